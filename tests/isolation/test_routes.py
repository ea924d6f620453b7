"""The route walker: every URL the project resolves is checked for tenant isolation or listed as public.

Each route is its own test (``test_route_is_isolated[<route>]``); a route added by any app
is picked up the next run. A route the walker cannot classify fails until it is covered
(``channelhub.testing.register_route_check``) or listed as public with a reason.
"""

from __future__ import annotations

import pytest

from channelhub.testing import classified_routes, public_routes, walk_routes

from .checks import CHECKS, run_check

ROUTES = classified_routes()
CHECKED = [c for c in ROUTES if c.kind != "public"]


@pytest.mark.django_db
@pytest.mark.parametrize("classified", CHECKED, ids=[c.id for c in CHECKED])
def test_route_is_isolated(world, classified):
    run_check(world, classified)


def test_every_route_is_covered_or_public():
    unknown = [c.id for c in ROUTES if c.kind == "unknown"]
    assert not unknown, "\n".join(
        f"route {route} is not covered by the isolation walker: cover it or list it as public with a reason"
        for route in unknown
    )
    assert all(c.kind in CHECKS or c.kind in ("public", "custom") for c in ROUTES)


def test_public_list_names_existing_routes_with_reasons():
    known = {r.id for r in walk_routes()} | {r.pattern for r in walk_routes()}
    stale = [route for route in public_routes() if route not in known and route != "^static/(?P<path>.*)$"]
    assert not stale, f"public routes that no longer exist (remove them): {stale}"
    assert all(reason.strip() for reason in public_routes().values())


def test_walker_finds_the_known_routes():
    """The walker cannot silently find nothing: the core's own routes are there, classified."""
    kinds = {c.id: c.kind for c in ROUTES}
    expected = {
        "partners-api:partner-list": "api_list",
        "partners-api:partner-detail": "api_detail",
        "partners-api:partner-transition": "api_action_detail",
        "partners-api:partner-history": "api_action_detail",
        "partners-api:contact-list": "api_list",
        "api-key-revoke": "api_action_detail",
        "admin:partners_partner_changelist": "admin_changelist",
        "admin:partners_partner_change": "admin_change",
        "admin:partners_partner_status": "admin_custom_object",
        "admin:partners_partner_export": "admin_export",
        "admin:partners_partner_simple_history": "admin_simple_history",
        "admin:tenancy_user_changelist": "admin_platform",
        "admin:autocomplete": "admin_autocomplete",
        "admin:view_on_site": "admin_view_on_site",
        "portal:staff": "portal_list",
        "portal:staff_toggle": "portal_object",
        "portal:dashboard": "portal_page",
        "api-token": "public",
        "portal:login": "public",
    }
    assert {route: kinds.get(route) for route in expected} == expected
    assert len(ROUTES) > 100
