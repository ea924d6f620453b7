"""Security issue 6 (8a): a Content-Security-Policy in production, and pages that work under it."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

from channelhub.security.csp import HEADER, policy_for

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
# An executable <script> element without src (JSON data blocks are not executed).
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I)
STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=\s*["']""", re.I)


def _templates():
    return sorted(TEMPLATES.rglob("*.html"))


def test_no_template_has_inline_script_handlers_or_style_attributes():
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for name, pattern in (("inline <script>", INLINE_SCRIPT), ("on…= handler", HANDLER),
                              ("javascript: URL", JS_URL), ("style attribute", STYLE_ATTRIBUTE)):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {name}")
    assert offenders == []


def test_the_checks_catch_what_they_look_for():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js"></script>')
    assert HANDLER.search('<button onclick="go()">')
    assert STYLE_ATTRIBUTE.search('<span style="width: 3%">')
    assert JS_URL.search('<a href="javascript:history.back()">')


def _production_env() -> dict:
    return {
        **os.environ, "DJANGO_SETTINGS_MODULE": "channelhub.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": "prm.example.com", "DEBUG": "",
    }


def test_production_settings_carry_the_policy():
    """Production (no DEBUG) sends the policy the brief asks for, with the docs' exception only."""
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from channelhub.security.csp import policy_for\n"
        "assert not settings.DEBUG\n"
        "assert 'channelhub.security.csp.ContentSecurityPolicyMiddleware' in settings.MIDDLEWARE\n"
        "print(policy_for('/portal/'))\n"
        "print(policy_for('/api/v1/docs/'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], env=_production_env(), cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    default, docs = result.stdout.strip().splitlines()[-2:]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
                      "object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'", "form-action 'self'"):
        assert directive in default, directive
    assert "unsafe" not in default and "http" not in default
    assert "script-src 'self';" in docs and "'unsafe-eval'" not in docs


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/portal/login/", "/admin/login/", "/apply/no-such/", "/api/v1/schema/"])
def test_every_response_carries_the_header(path):
    assert not settings.DEBUG
    response = Client().get(path)
    assert response[HEADER] == policy_for(path)
    assert "script-src 'self'" in response[HEADER]


@pytest.mark.django_db
def test_swagger_ui_init_script_is_its_own_request():
    page = Client().get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert not INLINE_SCRIPT.search(html)
    script = re.search(r'<script src="([^"]*script=[^"]*)"', html).group(1).replace("&amp;", "&")
    js = Client().get(script)
    assert js.status_code == 200 and "SwaggerUIBundle" in js.content.decode()
    assert Client().get("/api/v1/redoc/").status_code == 404  # no Redoc: its bundle fetches a CDN logo


@pytest.mark.django_db
def test_debug_pages_are_left_alone():
    with override_settings(DEBUG=True):
        assert HEADER not in Client().get("/portal/login/")
