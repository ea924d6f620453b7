"""Headless Chromium (Debian's, never a downloaded one) driving the live server.

Every browser module marks its tests ``browser`` and puts them in the xdist group "browser", so
that one worker runs them all (``--dist loadgroup``). Screenshots go to /tmp/channelhub-shots/ for people to look at.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SHOTS = Path(os.environ.get("CHANNELHUB_SHOTS", "/tmp/channelhub-shots"))
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@pytest.fixture(scope="module")
def chromium():
    """One browser per test module.

    Sync Playwright keeps an event loop running in this thread, and Django refuses ORM calls
    from a thread with a running loop unless DJANGO_ALLOW_ASYNC_UNSAFE is set. The variable is
    set only while the browser runs, and the browser stops with its module: other tests in the
    same worker (and the subprocesses they start, e.g. ``check --deploy``) never see either.
    """
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); browser tests skipped")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extras install it
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def base_url(live_server) -> str:
    """The live server by IP, so every request the page makes can be checked against 127.0.0.1."""
    parts = urlsplit(live_server.url)
    return f"{parts.scheme}://127.0.0.1:{parts.port}"


class Browsing:
    """A browser context with a language, a record of every request and a screenshot helper."""

    def __init__(self, chromium, base_url: str, locale: str, mobile: bool = False):
        self.base_url = base_url
        viewport = {"width": 390, "height": 844} if mobile else {"width": 1280, "height": 860}
        self.context = chromium.new_context(locale=locale, viewport=viewport)
        self.context.set_default_timeout(15_000)
        self.requests: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.context.new_page()

    def goto(self, path: str):
        return self.page.goto(self.base_url + path)

    def shot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests
                if urlsplit(url).scheme in ("http", "https", "ws", "wss")
                and urlsplit(url).hostname not in LOCAL_HOSTS]


@pytest.fixture
def browse(chromium, base_url):
    """``browse(locale="zh-CN", mobile=False)`` → a fresh ``Browsing`` (closed after the test)."""
    opened: list[Browsing] = []

    def open_context(locale: str = "zh-CN", mobile: bool = False) -> Browsing:
        browsing = Browsing(chromium, base_url, locale, mobile)
        opened.append(browsing)
        return browsing

    yield open_context
    for browsing in opened:
        assert not browsing.foreign_requests(), browsing.foreign_requests()
        browsing.context.close()


def xingchen_admin(tenant, partner):
    """The partner admin of 星辰科技 the portal tests sign in as (``xc-admin``)."""
    from channelhub.tenancy.roles import Role
    from tests.conftest import make_member

    return make_member(
        tenant, Role.PARTNER_ADMIN, partner=partner, username="xc-admin",
        email="admin@xingchen.example", first_name="芳", last_name="王",
    )
