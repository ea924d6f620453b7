"""Lockout after repeated failed sign-ins, on the admin, the portal and the API token exchange.

Ten wrong passwords for one account (from anywhere), or ten failures from one address
(whatever the user names), and even the right password is refused until the cool-off ends
or an owner unlocks the account. Password-reset requests are limited too, without telling
anyone whether an address has an account.
"""

from __future__ import annotations

import itertools

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client

from channelhub.tenancy.lockout import is_locked_out, lockout_clear
from channelhub.tenancy.models import Membership
from channelhub.tenancy.roles import Role
from tests.conftest import PASSWORD, make_member

pytestmark = pytest.mark.django_db

LIMIT = 10
_addresses = itertools.count(1)


def new_address() -> str:
    number = next(_addresses)
    return f"203.0.{number // 250}.{number % 250 + 1}"


def portal_login(address, username, password):
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")
    return client, client.post("/portal/login/", {"username": username, "password": password})


def admin_login(address, username, password):
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")
    return client, client.post("/admin/login/?next=/admin/", {"username": username, "password": password,
                                                               "next": "/admin/"})


def api_login(address, username, password):
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")
    return client, client.post("/api/v1/auth/token/", {"username": username, "password": password})


SURFACES = {"portal": portal_login, "admin": admin_login, "api": api_login}


def signed_in(surface: str, client, response) -> bool:
    if surface == "api":
        return response.status_code == 200 and "token" in response.json()
    return response.status_code == 302 and "_auth_user_id" in client.session


def assert_locked_page(surface: str, client, response) -> None:
    assert not signed_in(surface, client, response)
    assert response.status_code == 429, response.status_code
    if surface == "api":
        body = response.json()
        assert body["code"] == "locked_out" and "Too many failed sign-in attempts" in body["detail"]
        assert "token" not in body
        assert response["Retry-After"] == "900"
    else:
        template = "admin/lockout.html" if surface == "admin" else "portal/lockout.html"
        assert template in [t.name for t in response.templates]
        assert "Too many failed sign-in attempts" in response.content.decode()


@pytest.fixture
def person(tenant):
    """Someone who can use all three surfaces: tenant staff (admin, API) and the portal."""
    return make_member(tenant, Role.CHANNEL_MANAGER, username="li.lei")


@pytest.mark.parametrize("surface", SURFACES)
def test_the_right_password_still_works_below_the_limit(surface, person):
    login = SURFACES[surface]
    for _ in range(LIMIT - 1):
        assert not signed_in(surface, *login(new_address(), person.username, "wrong"))
    assert signed_in(surface, *login(new_address(), person.username, PASSWORD))


@pytest.mark.parametrize("surface", SURFACES)
def test_an_account_is_locked_after_ten_failures_from_many_addresses(surface, tenant, person):
    login = SURFACES[surface]
    for _ in range(LIMIT):
        client, response = login(new_address(), person.username, "wrong")
        assert not signed_in(surface, client, response)
    assert is_locked_out(person)
    assert_locked_page(surface, *login(new_address(), person.username, PASSWORD))
    # Another account from a fresh address is not affected.
    other = make_member(tenant, Role.CHANNEL_MANAGER)
    assert signed_in(surface, *login(new_address(), other.username, PASSWORD))


@pytest.mark.parametrize("surface", SURFACES)
def test_an_address_is_locked_after_ten_failures_across_user_names(surface, person):
    login = SURFACES[surface]
    address = new_address()
    for number in range(LIMIT):
        login(address, f"guess-{number}", "wrong")
    assert not is_locked_out(person)
    assert_locked_page(surface, *login(address, person.username, PASSWORD))
    # The same person from elsewhere is fine: it was the address that was blocked.
    assert signed_in(surface, *login(new_address(), person.username, PASSWORD))


def test_failures_count_across_surfaces(person):
    for login in (portal_login, admin_login, api_login, portal_login, admin_login):
        login(new_address(), person.username, "wrong")
        login(new_address(), person.username, "wrong")
    assert_locked_page("api", *api_login(new_address(), person.username, PASSWORD))


def test_lockout_page_in_chinese_is_a_page_not_a_text_blob(person):
    for _ in range(LIMIT):
        portal_login(new_address(), person.username, "wrong")
    client = Client(REMOTE_ADDR=new_address(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    response = client.post("/portal/login/", {"username": person.username, "password": PASSWORD})
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    assert '<html lang="zh-hans"' in response.content.decode() or 'lang="zh-hans"' in response.content.decode()
    assert "portal/lockout.html" in [t.name for t in response.templates]


# --------------------------------------------------------------------------- unlocking


def lock(user) -> None:
    for _ in range(LIMIT):
        portal_login(new_address(), user.username, "wrong")
    assert is_locked_out(user)


def test_owner_unlocks_someone_of_their_tenant_from_the_admin(tenant, person, owner):
    lock(person)
    admin = Client()
    admin.force_login(owner)
    membership = Membership.all_tenants.get(user=person, tenant=tenant)
    page = admin.get("/admin/tenancy/membership/")
    assert "unlock_sign_in" in page.content.decode()
    response = admin.post("/admin/tenancy/membership/", {
        "action": "unlock_sign_in", "_selected_action": [membership.pk],
    }, follow=True)
    assert response.status_code == 200
    assert "1 person can sign in again." in response.content.decode()
    assert not is_locked_out(person)
    assert signed_in("portal", *portal_login(new_address(), person.username, PASSWORD))


def test_a_manager_is_not_offered_the_unlock_action_and_cannot_use_it(tenant, person):
    lock(person)
    manager = make_member(tenant, Role.CHANNEL_MANAGER)
    admin = Client()
    admin.force_login(manager)
    assert "unlock_sign_in" not in admin.get("/admin/tenancy/membership/").content.decode()
    membership = Membership.all_tenants.get(user=person, tenant=tenant)
    admin.post("/admin/tenancy/membership/", {"action": "unlock_sign_in", "_selected_action": [membership.pk]})
    assert is_locked_out(person)
    with pytest.raises(PermissionDenied):
        lockout_clear(actor=manager, user=person)
    assert is_locked_out(person)


def test_an_owner_of_another_tenant_cannot_unlock(tenant, other_tenant, person):
    lock(person)
    stranger = make_member(other_tenant, Role.OWNER)
    with pytest.raises(PermissionDenied):
        lockout_clear(actor=stranger, user=person)
    assert is_locked_out(person)
    # Through the admin, the other tenant's owner does not even see the membership.
    admin = Client()
    admin.force_login(stranger)
    membership = Membership.all_tenants.get(user=person, tenant=tenant)
    admin.post("/admin/tenancy/membership/", {"action": "unlock_sign_in", "_selected_action": [membership.pk]})
    assert is_locked_out(person)


def test_a_superuser_unlocks_anyone(person, django_user_model):
    lock(person)
    root = django_user_model.objects.create_superuser("root", "root@example.com", PASSWORD)
    lockout_clear(actor=root, user=person)
    assert not is_locked_out(person)


# --------------------------------------------------------------------------- password reset


def reset(address: str, email: str):
    return Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en").post("/portal/password-reset/", {"email": email})


def test_password_reset_sends_at_most_n_mails_per_email(person, settings):
    settings.PASSWORD_RESET_PER_EMAIL_PER_HOUR = 3
    answers = [reset(new_address(), person.email.upper() if n % 2 else person.email) for n in range(6)]
    assert len(mail.outbox) == 3
    assert {(r.status_code, r["Location"]) for r in answers} == {(302, "/portal/password-reset/done/")}


def test_password_reset_sends_at_most_n_mails_per_address(tenant, settings):
    settings.PASSWORD_RESET_PER_ADDRESS_PER_HOUR = 4
    people = [make_member(tenant, Role.CHANNEL_MANAGER) for _ in range(6)]
    address = new_address()
    answers = [reset(address, someone.email) for someone in people]
    assert len(mail.outbox) == 4
    assert {(r.status_code, r["Location"]) for r in answers} == {(302, "/portal/password-reset/done/")}
    # Another address is not affected.
    reset(new_address(), people[-1].email)
    assert len(mail.outbox) == 5


def test_limited_and_unknown_addresses_get_the_same_answer_as_a_real_one(person, settings):
    settings.PASSWORD_RESET_PER_EMAIL_PER_HOUR = 1
    first = reset(new_address(), person.email)
    limited = reset(new_address(), person.email)
    unknown = reset(new_address(), "nobody@example.com")
    assert len(mail.outbox) == 1
    assert first["Location"] == limited["Location"] == unknown["Location"] == "/portal/password-reset/done/"
    done = Client(HTTP_ACCEPT_LANGUAGE="en").get(limited["Location"])
    assert "If an account exists for that address" in done.content.decode()
