"""Production settings: secure by default, refuse to start without a real secret."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Only what production would have: no test-only switches (the browser tests set one).
    dropped = {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG"}
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    environment.update(DJANGO_SETTINGS_MODULE="channelhub.settings.production", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True,
        timeout=120,
    )


@pytest.mark.xdist_group("subprocess")
def test_deploy_check_passes_with_the_required_environment():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        SECRET_KEY=secrets.token_urlsafe(60), ALLOWED_HOSTS="prm.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.xdist_group("subprocess")
@pytest.mark.parametrize("secret", ["", "django-insecure-" + "x" * 60, "short"])
def test_production_refuses_to_start_without_a_real_secret_key(secret):
    result = _manage("check", SECRET_KEY=secret, ALLOWED_HOSTS="prm.example.com")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
