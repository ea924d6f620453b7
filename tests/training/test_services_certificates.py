"""Certificates: issued when a learning path is complete, numbered, expiring, revocable; orientation milestone;
external qualifications; the lapse check and the eligibility provider."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from channelhub import eligibility, milestones
from channelhub.tenancy.context import tenant_scope
from training import services
from training.models import Certificate, Certification, QualificationLapse, QualificationRequirement

from .factories import CertificationFactory, CourseFactory


@pytest.fixture
def heard():
    received = []

    def listener(announcement):
        received.append(announcement)

    milestones.listens_to("course.completed", "certificate.issued")(listener)
    yield received
    for code in ("course.completed", "certificate.issued"):
        milestones._listeners[code].remove(listener)


def test_passing_the_last_step_issues_a_numbered_certificate(tenant, quiz, path, staff, heard,
                                                             django_capture_on_commit_callbacks):
    with tenant_scope(tenant), django_capture_on_commit_callbacks(execute=True):
        attempt = services.attempt_start(assessment=quiz["assessment"], actor=staff[0])
        services.attempt_submit(attempt=attempt, answers=quiz["right"], actor=staff[0])
    with tenant_scope(tenant):
        certificate = Certificate.objects.get(holder=staff[0])
        year = timezone.localdate().year
        assert certificate.number == f"{path.certification.code}-{year}-00001"
        assert certificate.expires_on > certificate.issued_on and certificate.status == "valid"
        assert len(certificate.verification_code) == 16
    assert [a.milestone for a in heard] == ["course.completed", "certificate.issued"]
    assert heard[0].details["course_kind"] == "product_knowledge"


def test_completing_the_orientation_course_ticks_onboarding(tenant, partner, staff,
                                                            django_capture_on_commit_callbacks):
    from recruitment.models import OnboardingTask

    with tenant_scope(tenant):
        OnboardingTask.objects.create(partner=partner, key="orientation_course", name="Orientation", order=2)
        course = CourseFactory(kind="orientation", code="ORI")
        with django_capture_on_commit_callbacks(execute=True):
            services.course_complete(course=course, trainee=staff[0], partner=partner, source="test")
        assert OnboardingTask.objects.get(partner=partner, key="orientation_course").done_at is not None


def test_revocation_needs_a_reason_and_is_final(tenant, staff, partner):
    from channelhub.tenancy.roles import Role
    from tests.conftest import make_member

    manager = make_member(tenant, Role.CHANNEL_MANAGER)
    with tenant_scope(tenant):
        certification = CertificationFactory()
        certificate = services.certificate_issue(certification=certification, holder=staff[0], actor=None)
        with pytest.raises(ValidationError):
            services.certificate_revoke(certificate=certificate, actor=manager, reason=" ")
        services.certificate_revoke(certificate=certificate, actor=manager, reason="fraud")
        assert certificate.status == "revoked"
        with pytest.raises(ValidationError):
            services.certificate_revoke(certificate=certificate, actor=manager, reason="again")


def test_a_valid_certificate_is_kept_and_recertification_opens_in_the_window(tenant, staff):
    with tenant_scope(tenant):
        certification = CertificationFactory(validity_months=12, recertification_days=30)
        first = services.certificate_issue(certification=certification, holder=staff[0], actor=None)
        assert services.certificate_issue(certification=certification, holder=staff[0], actor=None) == first
        Certificate.objects.filter(pk=first.pk).update(expires_on=timezone.localdate() + datetime.timedelta(days=10))
        renewed = services.certificate_issue(certification=certification, holder=staff[0], actor=None)
        assert renewed.pk != first.pk and renewed.number.endswith("00002")


def _require(tenant, min_staff=2):
    with tenant_scope(tenant):
        certification = CertificationFactory(code="AGENT", name="Agent licence", is_external=True)
        QualificationRequirement.objects.create(partner_type="distributor", certification=certification,
                                                min_staff=min_staff, purpose="general")
    return certification


def test_lapse_check_flags_and_clears_and_eligibility_answers(tenant, partner, staff):
    certification = _require(tenant)
    with tenant_scope(tenant):
        assert services.qualification_lapse_check(tenant=tenant) == {"opened": 1, "resolved": 0}
        assert services.qualification_lapse_check(tenant=tenant) == {"opened": 0, "resolved": 0}
        assert QualificationLapse.objects.filter(partner=partner, resolved_at__isnull=True).count() == 1
    answer = eligibility.partner_is_qualified(partner, "deal_registration")
    assert not answer and "0 of 2" in answer.reasons[0]
    assert not eligibility.user_is_qualified(staff[0], "sell", tenant=tenant)
    with tenant_scope(tenant):
        for person in staff[:2]:
            services.certificate_issue(certification=certification, holder=person, actor=None)
        assert services.qualification_lapse_check(tenant=tenant) == {"opened": 0, "resolved": 1}
    assert eligibility.partner_is_qualified(partner, "deal_registration").ok
    assert eligibility.user_is_qualified(staff[0], "sell", tenant=tenant).ok
    assert not eligibility.user_is_qualified(staff[2], "sell", tenant=tenant).ok


def test_requirements_of_another_purpose_do_not_apply(tenant, partner):
    with tenant_scope(tenant):
        certification = CertificationFactory()
        QualificationRequirement.objects.create(partner_type="distributor", certification=certification,
                                                min_staff=1, purpose="payout")
    assert eligibility.partner_is_qualified(partner, "deal_registration").ok
    assert not eligibility.partner_is_qualified(partner, "payout").ok


def test_external_qualification_counts_once_verified(tenant, partner, staff):
    from channelhub.tenancy.roles import Role
    from tests.conftest import make_member

    manager = make_member(tenant, Role.CHANNEL_MANAGER)
    certification = _require(tenant, min_staff=1)
    with tenant_scope(tenant):
        qualification = services.qualification_submit(
            tenant=tenant, actor=staff[0], certification=certification, licence_number="0201-123",
            issued_on=timezone.localdate(), expires_on=timezone.localdate() + datetime.timedelta(days=400))
        assert not eligibility.partner_is_qualified(partner).ok
        qualification = services.qualification_verify(qualification=qualification, actor=manager)
        assert qualification.certificate.is_external
        assert eligibility.partner_is_qualified(partner).ok
        with pytest.raises(ValidationError):
            services.qualification_submit(tenant=tenant, actor=staff[0],
                                          certification=Certification.objects.create(code="INT", name="internal"),
                                          licence_number="x", issued_on=timezone.localdate(),
                                          expires_on=timezone.localdate())


def test_kpi_inputs_read_ratio_and_status(tenant, partner, staff):
    from channelhub import kpi_inputs

    certification = _require(tenant, min_staff=1)
    with tenant_scope(tenant):
        services.certificate_issue(certification=certification, holder=staff[0], actor=None)
    day = timezone.localdate()
    assert kpi_inputs.read("training.certified_staff_ratio", tenant, day) == {partner.pk: round(1 / 3, 4)}
    assert kpi_inputs.read("training.qualification_status", tenant, day) == {partner.pk: 1.0}


def test_a_requirement_for_one_tier_binds_only_the_partners_of_that_tier(tenant, partner, staff):
    """Gold distributors need a certified seller; distributors of other tiers (or none) do not."""
    from channelhub.partners.models import Partner
    from evaluation.models import PartnerTier, Tier
    from tests.factories import PartnerFactory

    with tenant_scope(tenant):
        gold = Tier.objects.create(code="gold", name="Gold", rank=3, min_score=80)
        Tier.objects.create(code="silver", name="Silver", rank=2, min_score=60)
        certification = CertificationFactory()
        requirement = QualificationRequirement(partner_type="distributor", tier="gold", certification=certification,
                                               min_staff=1, purpose="general")
        requirement.full_clean()
        requirement.save()
        with pytest.raises(ValidationError) as error:
            QualificationRequirement(partner_type="distributor", tier="diamond", certification=certification,
                                     min_staff=1).full_clean()
        assert "tier" in error.value.message_dict
        other = PartnerFactory(partner_type="distributor", status="active")
        PartnerTier.objects.create(partner=partner, tier=gold)
    assert not eligibility.partner_is_qualified(partner, "deal_registration")
    assert not eligibility.user_is_qualified(staff[0], "sell", tenant=tenant)
    assert eligibility.partner_is_qualified(Partner.all_tenants.get(pk=other.pk), "deal_registration").ok
    with tenant_scope(tenant):
        assert services.qualification_lapse_check(tenant=tenant) == {"opened": 1, "resolved": 0}
        assert set(QualificationLapse.objects.values_list("partner_id", flat=True)) == {partner.pk}
        services.certificate_issue(certification=certification, holder=staff[0], actor=None)
        assert services.qualification_lapse_check(tenant=tenant) == {"opened": 0, "resolved": 1}
    assert eligibility.partner_is_qualified(partner, "deal_registration").ok
