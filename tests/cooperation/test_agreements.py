"""Agreement templates and the agreement workflow: every move, legal and illegal; the hash; termination."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from channelhub.partners.models import PartnerStatus
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import StateTransition
from channelhub.tenancy.workflow import IllegalTransition
from cooperation import selectors, services
from cooperation.models import (
    AgreementState,
    AgreementTemplate,
    ClauseKind,
    LegalReview,
    Signature,
    TemplateClause,
    TemplateStatus,
)
from cooperation.workflow import AGREEMENT_WORKFLOW

from .factories import TemplateClauseFactory, complete_template

pytestmark = pytest.mark.django_db
S = AgreementState


# --------------------------------------------------------------------------- templates


def test_publishing_refuses_a_missing_required_clause(tenant, people):
    with tenant_scope(tenant):
        template = complete_template()
        TemplateClause.objects.filter(template=template, kind=ClauseKind.CONFIDENTIALITY).delete()
        with pytest.raises(ValidationError) as refused:
            services.template_publish(template=template, actor=people["manager"])
    assert "Required clause missing: Confidentiality." in refused.value.message_dict["clauses"]
    template.refresh_from_db()
    assert template.status == TemplateStatus.DRAFT


def test_publishing_refuses_an_unknown_placeholder_and_names_it(tenant, people):
    with tenant_scope(tenant):
        template = complete_template()
        TemplateClauseFactory(template=template, body="Paid by {{partner.bank_account}}.")
        with pytest.raises(ValidationError) as refused:
            services.template_publish(template=template, actor=people["manager"])
    assert "Unknown placeholder: {{partner.bank_account}}." in refused.value.message_dict["clauses"]


def test_publishing_a_new_version_retires_the_old_and_drafts_are_the_only_edits(tenant, people, template):
    with tenant_scope(tenant):
        with pytest.raises(ValidationError):
            services.template_update(template=template, actor=people["manager"], name="changed")
        second = services.template_new_version(template=template, actor=people["manager"])
        assert (second.version, second.status, second.clauses.count()) == (2, TemplateStatus.DRAFT, 9)
        services.template_publish(template=second, actor=people["manager"])
        template.refresh_from_db()
        assert template.status == TemplateStatus.RETIRED
        assert selectors.current_template_of(template.code) == second


def test_template_selection_by_partner_type_and_region(tenant, people, partner, region):
    from tests.factories import RegionFactory

    with tenant_scope(tenant):
        generic = services.template_publish(template=complete_template(), actor=None)
        typed = services.template_publish(template=complete_template(partner_type=partner.partner_type), actor=None)
        assert selectors.template_for(partner) == typed
        regional = services.template_publish(
            template=complete_template(partner_type=partner.partner_type, region=region), actor=None)
        elsewhere = RegionFactory(code="WEST")
        services.template_publish(template=complete_template(region=elsewhere, priority=9), actor=None)
        assert selectors.template_for(partner) == regional
        assert generic != regional


def test_trainers_and_partners_cannot_write_templates(tenant, people, partner_admin):
    with tenant_scope(tenant):
        for actor in (people["trainer"], partner_admin):
            with pytest.raises(PermissionDenied):
                services.template_create(tenant=tenant, actor=actor, code="x", name="x")


# --------------------------------------------------------------------------- drafting and rendering


def test_a_draft_renders_the_partner_terms_and_hashes_the_exact_text(draft, partner):
    agreement = draft(discount=Decimal("12.5"), start_date=datetime.date(2027, 1, 1))
    text = agreement.text
    assert partner.legal_name in text and partner.credit_code in text
    assert "list price less 12.50%" in text and "From 2027-01-01 to 2027-12-31." in text
    assert "{{" not in text
    assert agreement.content_hash == hashlib.sha256(text.encode()).hexdigest()
    assert agreement.state == S.DRAFT and agreement.number.startswith("AGR-2027-")


def test_the_full_path_legal_return_keeps_the_comment_on_its_version(tenant, draft, people, partner_admin):
    agreement = draft()
    with tenant_scope(tenant):
        services.agreement_submit(agreement=agreement, actor=people["manager"])
        first_version = agreement.current_version
        with pytest.raises(ValidationError):  # returning needs a comment
            services.agreement_review(agreement=agreement, actor=people["legal"], decision="return")
        services.agreement_review(agreement=agreement, actor=people["legal"], decision="return",
                                  comment="Name the venue in full.")
        assert agreement.state == S.DRAFT
        services.agreement_edit_text(agreement=agreement, actor=people["manager"], text=agreement.text + "\nAmended.")
        services.agreement_submit(agreement=agreement, actor=people["manager"])
        services.agreement_review(agreement=agreement, actor=people["legal"], decision="approve")
        assert agreement.state == S.SENT
        reviews = {r.version_id: r.comment for r in LegalReview.objects.all()}
    assert reviews[first_version.pk] == "Name the venue in full."
    assert agreement.current_version.number == 2 and reviews[agreement.current_version_id] == ""


def test_signing_and_countersigning_record_who_when_where_and_the_hash(active, partner):
    agreement = active()
    with tenant_scope(agreement.tenant_id):
        signatures = selectors.valid_signatures(agreement)
    assert [(s.party, s.signer_name, s.signer_title, s.ip_address) for s in signatures] == [
        ("partner", "周强", "总经理", "10.0.0.8"), ("tenant", "Li Ming", "Channel director", "10.0.0.9")]
    assert {s.content_hash for s in signatures} == {agreement.content_hash}
    assert agreement.state == S.ACTIVE


def test_a_signature_naming_another_text_is_refused(tenant, sent, partner_admin):
    agreement = sent()
    with tenant_scope(tenant), pytest.raises(ValidationError) as refused:
        services.agreement_sign(agreement=agreement, actor=partner_admin, signer_name="周强", signer_title="总经理",
                                content_hash="0" * 64)
    assert "content_hash" in refused.value.message_dict
    agreement.refresh_from_db()
    assert agreement.state == S.SENT
    with tenant_scope(tenant):
        assert not Signature.objects.exists()


def test_changing_the_text_after_signatures_voids_them_and_returns_to_draft(tenant, active, people):
    agreement = active()
    with tenant_scope(tenant):
        services.agreement_edit_text(agreement=agreement, actor=people["manager"], text=agreement.text + "\nP.S.")
        agreement.refresh_from_db()
        assert agreement.state == S.DRAFT
        assert selectors.valid_signatures(agreement) == []
        assert Signature.objects.filter(voided_at__isnull=False).count() == 2
        # The same text again is no change: no version, no move.
        services.agreement_edit_text(agreement=agreement, actor=people["manager"], text=agreement.text)
        assert agreement.versions.count() == 2


def test_changing_the_terms_renders_a_new_version(tenant, signed, people):
    agreement = signed()
    with tenant_scope(tenant):
        services.agreement_update(agreement=agreement, actor=people["manager"], discount=Decimal("20"))
    assert agreement.state == S.DRAFT and "less 20.00%" in agreement.text


@pytest.mark.parametrize("path,illegal", [
    ((), [S.SENT, S.PARTNER_SIGNED, S.ACTIVE, S.EXPIRED, S.TERMINATED, S.RENEWED, S.EXPIRING]),
    ((S.LEGAL_REVIEW,), [S.PARTNER_SIGNED, S.ACTIVE, S.TERMINATED]),
])
def test_illegal_moves_are_refused(tenant, draft, people, path, illegal):
    from channelhub.tenancy.workflow import transition

    agreement = draft()
    with tenant_scope(tenant):
        for state in path:
            transition(workflow=AGREEMENT_WORKFLOW, instance=agreement, to_state=state)
        for state in illegal:
            with pytest.raises(IllegalTransition):
                transition(workflow=AGREEMENT_WORKFLOW, instance=agreement, to_state=state)


def test_every_workflow_move_is_listed_and_final_states_are_final():
    for state in (S.RENEWED, S.EXPIRED, S.TERMINATED):
        assert AGREEMENT_WORKFLOW.targets(state) == []
    assert AGREEMENT_WORKFLOW.targets(S.DRAFT) == [S.LEGAL_REVIEW]


def test_services_refuse_moves_out_of_order(tenant, draft, people, partner_admin):
    agreement = draft()
    with tenant_scope(tenant):
        with pytest.raises(IllegalTransition):
            services.agreement_review(agreement=agreement, actor=people["legal"], decision="approve")
        with pytest.raises(IllegalTransition):
            services.agreement_sign(agreement=agreement, actor=partner_admin, signer_name="a", signer_title="b",
                                    content_hash=agreement.content_hash)
        with pytest.raises(ValidationError):  # the partner has not signed
            services.agreement_countersign(agreement=agreement, actor=people["manager"], signer_name="a",
                                           signer_title="b", content_hash=agreement.content_hash)
        with pytest.raises(IllegalTransition):
            services.agreement_terminate(agreement=agreement, actor=people["manager"], reason="x")


def test_roles_the_services_admit(tenant, sent, people, partner_user, partner_admin):
    agreement = sent()
    with tenant_scope(tenant):
        with pytest.raises(PermissionDenied):
            services.agreement_sign(agreement=agreement, actor=partner_user, signer_name="a", signer_title="b",
                                    content_hash=agreement.content_hash)
        with pytest.raises(PermissionDenied):
            services.agreement_submit(agreement=agreement, actor=people["legal"])
        with pytest.raises(PermissionDenied):
            services.agreement_review(agreement=agreement, actor=people["manager"], decision="approve")


def test_another_partners_admin_cannot_sign(tenant, sent, people):
    from channelhub.tenancy.roles import Role
    from tests.conftest import make_member

    stranger = make_member(tenant, Role.PARTNER_ADMIN)
    agreement = sent()
    with tenant_scope(tenant), pytest.raises(PermissionDenied):
        services.agreement_sign(agreement=agreement, actor=stranger, signer_name="a", signer_title="b",
                                content_hash=agreement.content_hash)


def test_termination_moves_the_partner_and_announces(
        tenant, active, people, partner, django_capture_on_commit_callbacks):
    from channelhub.partners import services as partner_services

    with tenant_scope(tenant):
        partner_services.partner_transition(partner=partner, to_status=PartnerStatus.ONBOARDING, actor=None)
    agreement = active()
    heard = []
    from channelhub import milestones

    milestones.listens_to("agreement.terminated")(heard.append)
    try:
        with django_capture_on_commit_callbacks(execute=True), tenant_scope(tenant):
            with pytest.raises(ValidationError):
                services.agreement_terminate(agreement=agreement, actor=people["manager"], reason=" ")
            services.agreement_terminate(agreement=agreement, actor=people["manager"], reason="Breach of 4.2",
                                         terminated_on=datetime.date.today())
    finally:
        milestones._listeners["agreement.terminated"].remove(heard.append)
    partner.refresh_from_db()
    agreement.refresh_from_db()
    assert agreement.state == S.TERMINATED and agreement.termination_reason == "Breach of 4.2"
    assert partner.status == PartnerStatus.TERMINATED
    assert [a.milestone for a in heard] == ["agreement.terminated"]
    with tenant_scope(tenant):
        moves = list(StateTransition.objects.filter(workflow="partner.status").order_by("pk")
                     .values_list("to_state", "actor"))
    assert moves[-1] == (PartnerStatus.TERMINATED, people["manager"].pk)


def test_countersigning_the_first_agreement_ticks_recruitments_checklist(
        tenant, signed, people, partner, django_capture_on_commit_callbacks):
    from recruitment.models import OnboardingTask

    with tenant_scope(tenant):
        OnboardingTask.objects.create(partner=partner, key="sign_agreement", name="Sign the agreement")
    agreement = signed()
    with django_capture_on_commit_callbacks(execute=True), tenant_scope(tenant):
        services.agreement_countersign(agreement=agreement, actor=people["owner"], signer_name="Chen",
                                       signer_title="CEO", content_hash=agreement.content_hash)
    with tenant_scope(tenant):
        task = OnboardingTask.objects.get(partner=partner, key="sign_agreement")
    # Ticked by the milestone (shown as its label, "Agreement signed", on the checklist).
    assert task.done_at is not None and task.done_source == "milestone:agreement.signed"


def test_renewal_draft_comes_from_the_current_template_and_closes_the_old(tenant, active, people, template):
    agreement = active(start_date=datetime.date(2026, 1, 1))
    with tenant_scope(tenant):
        newer = services.template_new_version(template=template, actor=people["manager"])
        TemplateClause.objects.filter(template=newer, kind=ClauseKind.OTHER).delete()
        TemplateClauseFactory(template=newer, kind=ClauseKind.OTHER, body="Version two.")
        services.template_publish(template=newer, actor=people["manager"])
        renewal = services.agreement_renew(agreement=agreement, actor=people["manager"])
        assert services.agreement_renew(agreement=agreement, actor=people["manager"]) == renewal
        assert renewal.template == newer and "Version two." in renewal.text
        assert renewal.start_date == datetime.date(2027, 1, 1)
    assert AgreementTemplate.objects.model is AgreementTemplate
