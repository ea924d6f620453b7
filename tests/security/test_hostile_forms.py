"""The server-rendered surfaces (admin, portal, public application form) survive hostile text.

Django decodes query strings and form bodies with ``errors="replace"`` (a lone surrogate
arrives as U+FFFD), but ``%00`` arrives as a NUL character, which PostgreSQL refuses in
any query a search box, filter or form builds from it. Every page the project routes is
found by walking the URL configuration, so new pages are covered as they are added.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLResolver, get_resolver
from hypothesis import given, settings
from hypothesis import strategies as st

from channelhub.tenancy.roles import Role
from tests.api.test_hostile_input import HYPOTHESIS, odd_text, quoted, shared_side, unusable_text

__all__ = ["shared_side"]  # the module-scoped tenant fixture, shared with the API tests

FORM_EXAMPLES = 2
SKIPPED_PREFIXES = ("api/", "i18n/", "language/", "tenant/switch/")


def _routes(patterns=None, prefix: str = "") -> list[str]:
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _routes(pattern.url_patterns, route)
        else:
            found.append(route)
    return found


def _page(route: str) -> str | None:
    """A concrete URL for ``route``: the tenant's slug filled in, other parameters skipped."""
    route = route.replace("<slug:tenant_slug>", "hostile")
    if route.startswith(SKIPPED_PREFIXES) or "logout" in route or re.search(r"[<^(]", route):
        return None
    return "/" + route


PAGES = sorted({page for page in map(_page, _routes()) if page is not None})
CHANGELISTS = [page for page in PAGES if re.fullmatch(r"/admin/\w+/\w+/", page)]
FORMS = [
    page for page in PAGES
    if page.endswith("/add/") or page in ("/portal/login/", "/portal/staff/invite/", "/portal/password-reset/")
] + ["/apply/hostile/"]


def test_the_walk_finds_the_pages():
    assert "/portal/login/" in PAGES and "/apply/hostile/" in PAGES
    assert "/admin/partners/partner/" in CHANGELISTS and "/admin/partners/partner/add/" in FORMS


@pytest.fixture
def owner_client(shared_side, db):
    return shared_side.client(shared_side.user(Role.OWNER))


@pytest.mark.parametrize("page", PAGES)
def test_nul_in_the_query_or_a_form_body_is_a_400_on_every_page(owner_client, page):
    assert owner_client.get(f"{page}?q=a%00b&p=1").status_code == 400
    # Refused before the tenant (and the user's language) is known: ask in English.
    response = owner_client.post(page, "name=a%00b&q=x", content_type="application/x-www-form-urlencoded",
                                 HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Invalid text encoding" in response.content.decode()


def test_nul_in_the_path_is_a_400(owner_client):
    """``<str:…>`` converters would hand it to a query (the public form's campaign code, tokens)."""
    assert owner_client.get("/apply/hostile/CODE%00/").status_code == 400
    assert owner_client.get("/apply/hostile/track/tok%00en/").status_code == 400


# Text a page must cope with: odd but storable, or unusable as the client sent it (a
# surrogate's bytes, which Django turns into U+FFFD; NUL is covered above).
page_text = st.one_of(odd_text, unusable_text.filter(lambda text: "\x00" not in text))


@pytest.mark.parametrize("page", CHANGELISTS)
@settings(HYPOTHESIS, max_examples=FORM_EXAMPLES)
@given(data=st.data())
def test_hostile_search_filters_and_paging_on_admin_lists_are_not_a_500(owner_client, page, data):
    names = ["q", "o", "p", "all", "status__exact", "partner_type__exact", "created_at__gte", "id__exact"]
    query = "&".join(f"{name}={quoted(data.draw(page_text))}" for name in names if data.draw(st.booleans()))
    response = owner_client.get(f"{page}?{query}")
    assert response.status_code < 500, (page, query, response.status_code)


_FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')


ANONYMOUS_FORMS = ("/portal/login/", "/portal/password-reset/", "/apply/hostile/")


@pytest.fixture
def form_clients(shared_side, db):
    """Each form as the person who fills it in: strangers, partner admins, the owner."""
    from django.test import Client

    partner_admin = shared_side.client(shared_side.user(Role.PARTNER_ADMIN))
    owner = shared_side.client(shared_side.user(Role.OWNER))
    return lambda page: Client() if page in ANONYMOUS_FORMS else partner_admin if "/staff/" in page else owner


@pytest.mark.parametrize("page", FORMS)
@settings(HYPOTHESIS, max_examples=FORM_EXAMPLES)
@given(data=st.data())
def test_hostile_text_in_every_form_field_is_a_form_error_not_a_500(form_clients, page, data):
    client = form_clients(page)
    form = client.get(page)
    # A form this role may not open (the owner adds no tenants) still gets hostile fields posted.
    fields = sorted(set(_FIELD.findall(form.content.decode())) - {"csrfmiddlewaretoken"}) or ["name", "q"]
    body = "&".join(f"{quoted(name)}={quoted(data.draw(page_text))}" for name in fields)
    response = client.post(page, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code < 500, (page, response.status_code)


HUGE_NUMBER = "9" * 400


@pytest.mark.parametrize("page", FORMS)
def test_a_number_past_any_integer_column_in_every_field_is_a_form_error_not_a_500(form_clients, page):
    """SQLite cannot bind an integer past 64 bits: a re-rendered autocomplete must not look it up."""
    client = form_clients(page)
    fields = sorted(set(_FIELD.findall(client.get(page).content.decode())) - {"csrfmiddlewaretoken"}) or ["name"]
    body = "&".join(f"{quoted(name)}={HUGE_NUMBER}" for name in fields)
    response = client.post(page, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code < 500, (page, response.status_code)


def test_a_sign_in_with_a_name_longer_than_any_account_is_a_failed_sign_in(client, db):
    """Axes keeps the name of each failed attempt (255 characters at most): a longer one is cut, not a 500."""
    from axes.models import AccessAttempt

    for page in ("/portal/login/", "/admin/login/"):
        response = client.post(page, {"username": "名" * 400, "password": "x"})
        assert response.status_code == 200, (page, response.status_code)
    assert AccessAttempt.objects.filter(username="名" * 150, failures_since_start=2).exists()
