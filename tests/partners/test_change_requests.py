"""Who may change a partner's profile, and how a change of its legal details is decided."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from channelhub.notifications.models import Notification
from channelhub.partners import services
from channelhub.partners.models import ChangeRequestState, Partner, PartnerChangeRequest
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import StateTransition
from channelhub.tenancy.roles import Role
from channelhub.tenancy.workflow import IllegalTransition
from tests.conftest import make_member
from tests.factories import PartnerFactory, next_credit_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tenant):
    manager = make_member(tenant, Role.CHANNEL_MANAGER, username="cm", email="cm@vendor.example")
    with tenant_scope(tenant):
        partner = PartnerFactory(legal_name="星辰科技有限公司", owner=manager)
        other = PartnerFactory(legal_name="远航贸易有限公司")
    admin = make_member(tenant, Role.PARTNER_ADMIN, partner=partner, username="xc-admin", email="a@xc.example")
    user = make_member(tenant, Role.PARTNER_USER, partner=partner, username="xc-user", email="u@xc.example")
    return {"tenant": tenant, "manager": manager, "partner": partner, "other": other, "admin": admin, "user": user}


def test_partner_admin_saves_descriptive_fields_of_their_own_company_only(world):
    with tenant_scope(world["tenant"]):
        partner = services.partner_profile_update(
            partner=world["partner"], actor=world["admin"], website="https://xingchen.example", staff_count=40)
        assert (partner.website, partner.staff_count) == ("https://xingchen.example", 40)
        record = partner.history.first()
        assert record.history_user == world["admin"] and record.history_change_reason == "Profile updated"
        with pytest.raises(PermissionDenied):  # the legal name goes through a request
            services.partner_profile_update(partner=world["partner"], actor=world["admin"], legal_name="X")
        with pytest.raises(PermissionDenied):  # another company
            services.partner_profile_update(partner=world["other"], actor=world["admin"], website="https://x.example")
        with pytest.raises(PermissionDenied):  # a partner user reads only
            services.partner_profile_update(partner=world["partner"], actor=world["user"], website="https://y.example")
        assert Partner.objects.get(pk=world["other"].pk).website == ""


def test_manager_may_change_any_field_directly(world):
    with tenant_scope(world["tenant"]):
        partner = services.partner_profile_update(partner=world["partner"], actor=world["manager"], legal_name="新名")
    assert partner.legal_name == "新名"


def test_a_request_keeps_only_real_changes_and_validates_them(world):
    partner = world["partner"]
    with tenant_scope(world["tenant"]):
        with pytest.raises(ValidationError):  # nothing different
            services.change_request_submit(partner=partner, actor=world["admin"],
                                           changes={"legal_name": partner.legal_name})
        with pytest.raises(ValidationError) as error:  # a malformed credit code is refused at once
            services.change_request_submit(partner=partner, actor=world["admin"], changes={"credit_code": "123"})
        assert "credit_code" in error.value.message_dict
        with pytest.raises(PermissionDenied):
            services.change_request_submit(partner=partner, actor=world["user"], changes={"legal_name": "新"})
        with pytest.raises(PermissionDenied):
            services.change_request_submit(partner=world["other"], actor=world["admin"], changes={"legal_name": "新"})
        request = services.change_request_submit(
            partner=partner, actor=world["admin"], comment="新营业执照",
            changes={"legal_name": "星辰智能科技有限公司", "registered_capital": Decimal("800.00")})
        assert request.state == ChangeRequestState.PENDING
        assert request.changes == {"legal_name": "星辰智能科技有限公司", "registered_capital": "800.00"}
        assert request.previous == {"legal_name": "星辰科技有限公司", "registered_capital": "500.00"}
        with pytest.raises(ValidationError):  # one waits at a time
            services.change_request_submit(partner=partner, actor=world["admin"], changes={"legal_name": "再改"})
        # The partner is unchanged until a manager decides; the manager is told.
        assert Partner.objects.get(pk=partner.pk).legal_name == "星辰科技有限公司"
        told = Notification.objects.get(recipient=world["manager"])
        assert told.kind == "partners.change_request_submitted" and "星辰" in told.title


def test_approval_applies_the_change_and_tells_the_requester(world):
    tenant, partner = world["tenant"], world["partner"]
    code = next_credit_code()
    with tenant_scope(tenant):
        request = services.change_request_submit(
            partner=partner, actor=world["admin"], changes={"legal_name": "星辰智能科技有限公司", "credit_code": code})
        with pytest.raises(PermissionDenied):
            services.change_request_approve(request=request, actor=world["admin"])
        services.change_request_approve(request=request, actor=world["manager"], reason="与营业执照一致")
        partner = Partner.objects.get(pk=partner.pk)
        assert (partner.legal_name, partner.credit_code) == ("星辰智能科技有限公司", code)
        request = PartnerChangeRequest.objects.get(pk=request.pk)
        assert (request.state, request.decided_by, request.decision_reason) == (
            ChangeRequestState.APPROVED, world["manager"], "与营业执照一致")
        # Audit: the partner's history names the manager and why; the transition is logged.
        record = partner.history.first()
        assert record.history_user == world["manager"] and "与营业执照一致" in record.history_change_reason
        assert StateTransition.objects.filter(workflow="partners.change_request", to_state="approved").exists()
        notice = Notification.objects.get(recipient=world["admin"])
        assert notice.kind == "partners.change_request_decided" and "approved" in notice.title
        with pytest.raises(IllegalTransition):  # decided once
            services.change_request_reject(request=request, actor=world["manager"], reason="late")


def test_rejection_keeps_the_partner_and_needs_a_reason(world):
    tenant, partner = world["tenant"], world["partner"]
    with tenant_scope(tenant):
        request = services.change_request_submit(
            partner=partner, actor=world["admin"], changes={"legal_name": "别的名字有限公司"})
        with pytest.raises(ValidationError):
            services.change_request_reject(request=request, actor=world["manager"], reason=" ")
        services.change_request_reject(request=request, actor=world["manager"], reason="名称与执照不符")
        assert Partner.objects.get(pk=partner.pk).legal_name == "星辰科技有限公司"
        assert PartnerChangeRequest.objects.get(pk=request.pk).state == ChangeRequestState.REJECTED
        notice = Notification.objects.get(recipient=world["admin"])
        assert "名称与执照不符" in notice.body


def test_approval_that_no_longer_fits_changes_nothing(world):
    """A credit code another partner took meanwhile: the approval is refused as a whole."""
    tenant, partner = world["tenant"], world["partner"]
    code = next_credit_code()
    with tenant_scope(tenant):
        request = services.change_request_submit(
            partner=partner, actor=world["admin"], changes={"credit_code": code, "legal_name": "改名有限公司"})
        Partner.objects.filter(pk=world["other"].pk).update(credit_code=code)
        with pytest.raises(ValidationError):
            services.change_request_approve(request=request, actor=world["manager"])
        assert PartnerChangeRequest.objects.get(pk=request.pk).state == ChangeRequestState.PENDING
        assert Partner.objects.get(pk=partner.pk).legal_name == "星辰科技有限公司"


def test_admin_decision_buttons_and_queue(client, world):
    tenant = world["tenant"]
    with tenant_scope(tenant):
        request = services.change_request_submit(
            partner=world["partner"], actor=world["admin"], changes={"legal_name": "星辰智能科技有限公司"})
    client.force_login(world["manager"])
    home = client.get("/admin/").content.decode()
    assert "/admin/partners/partnerchangerequest/?state__exact=pending" in home
    # The queue's list names the fields each request changes (translated labels, not codes).
    listing = client.get("/admin/partners/partnerchangerequest/?state__exact=pending", HTTP_ACCEPT_LANGUAGE="en")
    assert listing.status_code == 200 and "legal name" in listing.content.decode().lower()
    page = client.get(f"/admin/partners/partnerchangerequest/{request.pk}/change/").content.decode()
    assert f"/admin/partners/partnerchangerequest/{request.pk}/decide/?decision=approve" in page
    assert "星辰智能科技有限公司" in page
    response = client.post(f"/admin/partners/partnerchangerequest/{request.pk}/decide/",
                           {"decision": "reject", "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = client.post(f"/admin/partners/partnerchangerequest/{request.pk}/decide/",
                           {"decision": "approve", "reason": "ok"})
    assert response.status_code == 302
    with tenant_scope(tenant):
        assert Partner.objects.get(pk=world["partner"].pk).legal_name == "星辰智能科技有限公司"
    page = client.get(f"/admin/partners/partnerchangerequest/{request.pk}/change/").content.decode()
    assert "decide/?decision=approve" not in page  # decided: no buttons any more
