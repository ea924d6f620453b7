"""The partner walk: every API route and portal page a partner role reaches keeps partners apart.

Each route is its own test (``test_partner_route_is_isolated[<route>]``); see ``partner_checks``.
"""

from __future__ import annotations

import pytest

from channelhub.partners.models import PartnerContact
from channelhub.tenancy.models import Membership
from channelhub.testing import classified_routes, is_partner_owned, published_routes, walk_routes

from .partner_checks import PARTNER_CHECKS, partner_routes, run_partner_check

ROUTES = classified_routes()
PARTNER_ROUTES = partner_routes(ROUTES)


@pytest.mark.django_db
@pytest.mark.parametrize("classified", PARTNER_ROUTES, ids=[c.id for c in PARTNER_ROUTES])
def test_partner_route_is_isolated(world, classified):
    run_partner_check(world, classified)


def test_the_walk_finds_the_partner_routes():
    """The walk cannot silently find nothing: the routes partner staff use are in it."""
    ids = {c.id for c in PARTNER_ROUTES}
    for expected in ("partners-api:contact-list", "partners-api:contact-detail", "portal:staff",
                     "portal:staff_toggle", "portal:dashboard"):
        assert expected in ids, f"{expected} is missing from the partner walk"
    assert all(c.kind in PARTNER_CHECKS for c in PARTNER_ROUTES), [
        c.id for c in PARTNER_ROUTES if c.kind not in PARTNER_CHECKS]


def test_published_routes_exist_and_say_why():
    known = {r.id for r in walk_routes()} | {r.pattern for r in walk_routes()}
    assert set(published_routes()) <= known, set(published_routes()) - known
    assert all(reason.strip() for reason in published_routes().values())


@pytest.mark.django_db
def test_the_two_partners_own_distinct_rows(world):
    """Partner 2's rows are its own, and its texts never carry partner 1's markers."""
    one, two = world.a, world.a.partner2
    assert one.partner.pk != two.partner.pk and one.tenant == two.tenant
    assert is_partner_owned(PartnerContact)
    contact = two.get(PartnerContact)
    assert contact.partner_id == two.partner.pk and contact != one.get(PartnerContact)
    assert two.token in contact.name and two.token not in one.marker_of(one.get(PartnerContact))
    with world.a.scope():
        for role in ("partner_admin", "partner_user"):
            membership = Membership.objects.get(user=two.user(role))
            assert membership.partner_id == two.partner.pk and membership.role == role
