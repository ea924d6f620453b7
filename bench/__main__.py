"""Run every benchmark: ``python -m bench`` (or ``make bench``).

Each benchmark builds its own data in a throw-away database (SQLite in /tmp unless
``BENCH_DATABASE_URL`` is set), then prints its figure next to the baseline it is compared
with, both measured in this run.
"""

import os
import sys
import tempfile


def main() -> int:
    database_url = os.environ.get("BENCH_DATABASE_URL")
    if not database_url:
        path = os.path.join(tempfile.mkdtemp(prefix="channelhub-bench-"), "bench.sqlite3")
        database_url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "channelhub.settings.dev")
    os.environ["DEBUG"] = "false"

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)

    from bench import partner_list

    for benchmark in (partner_list,):
        benchmark.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
