"""The tenancy core's entries in the isolation harness, and the core's public routes.

Imported by ``channelhub.testing.autodiscover()`` as ``tests.tenancy.harness``. The routes
listed as public at the end are the chrome of the core (sign-in, the API's description, the
language and tenant switches): they hold no tenant data.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from channelhub.partners.models import Partner
from channelhub.tenancy.models import (
    ApiKey,
    Cadence,
    Invitation,
    JobSchedule,
    Membership,
    NumberSequence,
    StateTransition,
)
from channelhub.tenancy.roles import Role
from channelhub.tenancy.services import api_key_create
from channelhub.testing import (
    Route,
    World,
    allow_global_unique,
    register_model,
    register_public_route,
    register_route_check,
    register_route_model,
)
from tests.factories import UserFactory


def saved(instance):
    instance.full_clean()
    instance.save()
    return instance


def _check_membership_add_is_an_invitation(world: World, route: Route) -> None:
    """The membership add page only redirects to the invitation form; a post creates nothing."""
    client = world.a.client(world.a.user(Role.OWNER))
    world.b.build_all()
    response = client.get(route.url())
    assert response.status_code == 302, f"{route.id}: {response.status_code}"
    assert response["Location"] == reverse("admin:tenancy_invitation_add"), response["Location"]
    before = world.counts()
    posted = client.post(route.url(), {
        "email": "someone@example.com", "role": Role.PARTNER_USER, "partner": str(world.b.partner.pk)})
    assert posted.status_code == 302 and world.counts() == before, f"POST {route.id} wrote rows"



def _check_api_root_holds_no_tenant_data(world: World, route: Route) -> None:
    """``GET /api/v1/`` is open to anyone (it says how to authenticate) and the same for every
    caller: no tenant's name, slug or rows in it, whoever asks (channelhub/api/root.py)."""
    from rest_framework.test import APIClient

    world.a.build_all()
    world.b.build_all()
    def get(client):
        return client.get(route.url(), HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE="en")

    answers = {
        "anonymous": get(APIClient()),
        "A's owner (token)": get(world.a.api(world.a.user(Role.OWNER))),
        "A's partner user (session)": get(world.a.client(world.a.user(Role.PARTNER_USER))),
        "B's owner (token)": get(world.b.api(world.b.user(Role.OWNER))),
    }
    for who, response in answers.items():
        assert response.status_code == 200, f"{route.id} as {who}: {response.status_code}"
        body = response.content.decode()
        for side in (world.a, world.b):
            for text in (side.token, side.tenant.slug):
                assert text.lower() not in body.lower(), f"{route.id} as {who} shows tenant data ({text})"
    bodies = {who: response.json() for who, response in answers.items()}
    assert len({repr(body) for body in bodies.values()}) == 1, f"{route.id} differs by caller: {bodies}"


def _check_admin_search_stays_in_the_tenant(world: World, route: Route) -> None:
    """The sidebar search and the command palette (``/admin/search/?s=…&extended=1``) find the
    current tenant's partners, contacts and applications by their text, never the other
    tenant's; a tenant's records are found only by people of that tenant (channelhub.admin.search)."""
    from channelhub.partners.models import Partner

    world.a.build_all()
    world.b.build_all()
    mine, theirs = world.a.get(Partner), world.b.get(Partner)
    client = world.a.client(world.a.user(Role.OWNER))
    for partner, side, expect in ((mine, world.a, True), (theirs, world.b, False)):
        with side.scope():
            name = Partner.objects.filter(pk=partner.pk).values_list("legal_name", flat=True).get()
        response = client.get(route.url(), {"s": name, "extended": "1"}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, f"{route.id}: {response.status_code}"
        body = response.content.decode()
        found = f"/admin/partners/partner/{partner.pk}/change/" in body
        assert found is expect, f"{route.id}: searching {name!r} as A's owner {'missed' if expect else 'found'} it"
        assert world.b.token not in body, f"{route.id} shows tenant B's data"


def build_membership(side, marker):
    user = UserFactory(username=marker.lower(), email=f"{marker.lower()}@example.com", first_name=marker)
    return saved(Membership(user=user, role=Role.PARTNER_USER, partner=side.partner))


register_model(
    Membership,
    build=build_membership,
    # The admin adds memberships by e-mail (membership_grant), not by picking a user.
    admin_payload=lambda side, marker: {
        "email": f"{marker.lower()}@example.com", "first_name": marker,
        "role": Role.PARTNER_USER, "partner": side.partner.pk,
    },
)


def build_invitation(side, marker):
    email = f"{marker.lower()}@example.com"
    return saved(Invitation(
        email=email, email_key=Invitation.fold(email), role=Role.PARTNER_USER, partner=side.partner,
        first_name=marker, token_hash=Invitation.hash_token(marker),
        expires_at=timezone.now() + timedelta(days=Invitation.VALID_DAYS)))


register_model(
    Invitation,
    build=build_invitation,
    admin_payload=lambda side, marker: {
        "email": f"{marker.lower()}@example.com", "first_name": marker, "language": "en",
        "role": Role.PARTNER_USER, "partner": side.partner.pk,
    },
)
# Memberships are offered by invitation: the membership add page opens the invitation form.
register_route_check("admin:tenancy_membership_add", _check_membership_add_is_an_invitation)
# The admin frame's search (sidebar and command palette): the current tenant's records only.
register_route_check("admin:search", _check_admin_search_stays_in_the_tenant)
# The API's entry point: open to anyone, the same for everyone, no tenant data.
register_route_check("api-root", _check_api_root_holds_no_tenant_data)
register_route_model("portal:staff_invitation_revoke", Invitation)
register_route_model("portal:staff_invitation_resend", Invitation)

register_model(
    ApiKey,
    build=lambda side, marker: api_key_create(
        tenant=side.tenant, actor=None, name=marker, role=Role.CHANNEL_MANAGER).api_key,
    payload=lambda side, marker: {"name": marker, "role": Role.CHANNEL_MANAGER},
)

register_model(
    JobSchedule,
    build=lambda side, marker: JobSchedule.objects.create(
        job=marker.lower(), cadence=Cadence.DAILY, hour=3, last_outcome={"message": marker, "values": {}}),
)

register_model(
    NumberSequence,
    build=lambda side, marker: NumberSequence.objects.create(key=marker, last=7),
)

register_model(
    StateTransition,
    build=lambda side, marker: StateTransition.objects.create(
        content_type=ContentType.objects.get_for_model(Partner), object_id=side.partner.pk,
        workflow="partner.status", from_state="prospect", to_state="onboarding", reason=marker),
)
allow_global_unique(
    ApiKey, "service_user",
    "one service user per key, created with the key in the key's tenant: unique across tenants by "
    "construction (a Citus distribution would need (tenant, service_user))",
)
# The partner admin's "deactivate / reactivate" button posts to a form view without a model.
register_route_model("portal:staff_toggle", Membership)


for route, reason in {
    # The site root only redirects to the portal dashboard.
    "": "redirect to the portal dashboard",
    # Admin chrome: sign-in and the signed-in user's own password.
    "admin:login": "sign-in form",
    "admin:logout": "sign-out",
    "admin:password_change": "the signed-in user's own password",
    "admin:password_change_done": "static confirmation",
    "admin:jsi18n": "translation catalogue for the admin's JavaScript",
    "admin/(?P<url>.*)$": "admin catch-all: appends a slash or answers 404",
    # API: credentials, the caller's identity and the description of the API.
    "api-token": "exchanges a username and password for the caller's own token",
    "api-me": "the caller's identity and roles; tenant choice is tested in tests/isolation/test_api_auth.py",
    "api-schema": "OpenAPI document: describes endpoints, holds no rows",
    "api-docs": "Swagger UI (served locally) for the schema",
    # Portal: signing in and out, resetting a password (by e-mail, before any tenant).
    "portal:login": "sign-in form",
    "portal:logout": "sign-out",
    "portal:password_reset": "asks for an e-mail address; reveals nothing about it",
    "portal:password_reset_done": "static confirmation",
    "portal:password_reset_confirm": "token-protected password form for one user",
    "portal:password_reset_complete": "static confirmation",
    "portal:invitation": "token-protected invitation page: the link's secret token names one invitation "
    "(stored hashed), shown only to whoever holds the e-mail's link",
    # Interface language and tenant choice.
    "set_language": "Django's language switch (i18n/setlang/)",
    "set-language": "the language switch; stores the user's own preference",
    "switch-tenant": "chooses among the user's own tenants; tested in tests/isolation/test_api_auth.py",
    # Static files, when DEBUG serves them.
    "^static/(?P<path>.*)$": "static files",
}.items():
    register_public_route(route, reason)
