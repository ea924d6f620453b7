"""``manage.py seed_demo``: two realistic demo tenants, their users, regions, products and partners.

Safe to run again (it only adds what is missing). ``make run`` calls it with
``--if-empty`` on every start, which returns at once when the demo tenants exist.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from channelhub.demo.builder import demo_tenants_exist, seed_demo
from channelhub.demo.data import ADMIN_USERNAME, DEFAULT_PARTNERS_PER_TENANT, DEMO_CREDENTIALS, DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Create the demo tenants huaxin (electronics manufacturer) and anhe (insurer) with users "
        "in every role, a region tree, products and partners, then each app's demo data "
        "(its ChapterConfig.demo builder). Idempotent."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--partners", type=int, default=DEFAULT_PARTNERS_PER_TENANT,
            help=f"Partners per tenant (default {DEFAULT_PARTNERS_PER_TENANT}).",
        )
        parser.add_argument(
            "--if-empty", action="store_true",
            help="Do nothing if the demo tenants already exist (fast; used by `make run`).",
        )

    def handle(self, *args, partners: int, if_empty: bool, verbosity: int, **options) -> None:
        if partners < 0:
            raise CommandError("--partners must be 0 or more.")
        if if_empty and demo_tenants_exist():
            if verbosity:
                self.stdout.write(
                    f"Demo data already present; skipped. Sign in as {ADMIN_USERNAME} / {DEMO_PASSWORD}."
                )
            return

        def progress(*, total: int, desc: str):
            # Straight to the process's stderr: the command's wrapper appends a newline to
            # every write, which would break the bar's carriage-return redraws.
            return tqdm(total=total, desc=desc, unit="step", file=sys.stderr, disable=verbosity == 0, leave=True)

        result = seed_demo(partners=partners, progress_factory=progress)
        if not verbosity:
            return
        for scope, counts in result.created.items():
            summary = ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items())) or "nothing new"
            self.stdout.write(f"{scope}: {summary}")
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {result.seconds:.1f}s."))
        self.stdout.write("")
        self.stdout.write(self.credential_table())

    @staticmethod
    def credential_table() -> str:
        header = ("Tenant", "Role", "Username", "Password", "Partner")
        rows = [header] + [
            (c.tenant or "(all)", c.role, c.username, c.password, c.partner) for c in DEMO_CREDENTIALS
        ]
        # The partner names are Chinese (double width in a terminal), so they go last.
        widths = [max(len(row[column]) for row in rows) for column in range(4)]
        lines = []
        for index, row in enumerate(rows):
            cells = [value.ljust(width) for value, width in zip(row, widths, strict=False)]
            lines.append("  ".join([*cells, row[4]]))
            if index == 0:
                lines.append("  ".join("-" * width for width in widths) + "  " + "-" * 7)
        return "\n".join(line.rstrip() for line in lines)
