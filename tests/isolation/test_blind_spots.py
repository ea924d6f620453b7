"""The walks fail where they used to pass vacuously, and on a deliberate partner leak.

Each test breaks one thing for its own duration (a class attribute, restored afterwards)
and asserts that the check that should notice it fails, naming the route.
"""

from __future__ import annotations

import pytest
from django.http import Http404

from channelhub.partners.api.views import PartnerContactViewSet
from channelhub.portal.views import StaffInvitationActionView
from channelhub.testing import classified_routes, temporary_attribute

from .checks import run_check
from .partner_checks import run_partner_check

ROUTES = {c.id: c for c in classified_routes()}


def _refuse_everything(self, request, *args, **kwargs):
    raise Http404


@pytest.mark.django_db
def test_a_post_only_portal_view_that_refuses_every_row_fails(world):
    classified = ROUTES["portal:staff_invitation_revoke"]
    with temporary_attribute(StaffInvitationActionView, "post", _refuse_everything):
        with pytest.raises(AssertionError, match=r"portal:staff_invitation_revoke.*own row"):
            run_check(world, classified)
        with pytest.raises(AssertionError, match=r"portal:staff_invitation_revoke.*own row"):
            run_partner_check(world, classified)


@pytest.mark.django_db
def test_an_api_route_no_role_may_call_fails(world):
    classified = ROUTES["partners-api:contact-detail"]
    with (
        temporary_attribute(PartnerContactViewSet, "read_roles", frozenset()),
        temporary_attribute(PartnerContactViewSet, "write_roles", frozenset()),
        pytest.raises(AssertionError, match="partners-api:contact-detail: no role is admitted"),
    ):
        run_check(world, classified)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ["partners-api:contact-list", "partners-api:contact-detail"])
def test_the_partner_walk_fails_when_partner_2_leaks_to_partner_1(world, route):
    # A wrong lookup: partner 1's filter also matches partner 2 (created after it).
    with (
        temporary_attribute(PartnerContactViewSet, "partner_lookup", "partner__gte"),
        pytest.raises(AssertionError, match="partner 2's row"),
    ):
        run_partner_check(world, ROUTES[route])
