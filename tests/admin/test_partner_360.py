"""The partner 360° page: the header at a glance, one merged history, a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from channelhub.partners import services
from channelhub.partners.models import PartnerStatus
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from tests.conftest import make_member
from tests.factories import PartnerContactFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def _page(client, partner):
    response = client.get(f"/admin/partners/partner/{partner.pk}/change/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response


def test_the_header_and_the_timeline_tell_who_changed_what_and_why(client, tenant, manager):
    with tenant_scope(tenant):
        partner = PartnerFactory(owner=manager)
        PartnerContactFactory(partner=partner, name="Wang Fang")
        make_member(tenant, Role.PARTNER_ADMIN, partner=partner)
        services.partner_transition(partner=partner, to_status=PartnerStatus.ONBOARDING, actor=manager,
                                    reason="Licence checked")
    client.force_login(manager)
    response = _page(client, partner)

    header = response.context["partner_header"]
    assert header.status == PartnerStatus.ONBOARDING and header.status_label == "Onboarding"
    assert (header.contacts, header.portal_users) == (1, 1)
    assert header.owner == (manager.get_full_name() or manager.get_username())

    history = next(panel for panel in response.context["partner_panels"] if panel.key == "partners.history")
    lines = [(entry.what, entry.why) for entry in history.context["entries"]]
    # The status move in words (no "partner.status", no "prospect → onboarding" keys) with its reason.
    assert ("Partner status: Prospect → Onboarding", "Licence checked") in lines
    assert any(what == "Contact Wang Fang created" for what, _why in lines)
    html = response.content.decode()
    assert "partner.status" not in html and "Licence checked" in html


def test_the_page_costs_the_same_queries_however_long_the_history(client, tenant, manager):
    with tenant_scope(tenant):
        partner = PartnerFactory()
        PartnerContactFactory(partner=partner)
    client.force_login(manager)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            _page(client, partner)
        return len(captured)

    queries()
    few = queries()
    with tenant_scope(tenant):
        PartnerContactFactory.create_batch(4, partner=partner)
        services.partner_transition(partner=partner, to_status=PartnerStatus.ONBOARDING, actor=None, reason="x")
        services.partner_transition(partner=partner, to_status=PartnerStatus.ACTIVE, actor=None, reason="y")
    # Inline contact rows are a form each (no query per row); the header and the history are fixed.
    assert queries() == few
