"""The 3-month programme generated in one action, the audience enrolled in one action, plan states."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from tests.conftest import make_member
from tests.factories import PartnerFactory, RegionFactory
from training import services
from training.models import Enrolment, EnrolmentState, PlanState, Session, SessionFormat

from .factories import CourseFactory


@pytest.fixture
def plan(tenant, trainer):
    with tenant_scope(tenant):
        return services.plan_create(
            tenant=tenant, actor=trainer, name="渠道管理培训 2027 Q1", goals="提升渠道管理人员的专业能力",
            starts_on=datetime.date(2027, 1, 4), ends_on=datetime.date(2027, 4, 2),
            partner_types=["distributor"], include_channel_staff=True)


def test_the_three_month_programme_is_generated_in_one_action(tenant, plan, trainer):
    with tenant_scope(tenant):
        on_site = [CourseFactory(code="TH", kind="management_theory"),
                   CourseFactory(code="ST", kind="channel_strategy")]
        online = [CourseFactory(code="OL", kind="case_analysis", delivery="online")]
        programme = services.Programme(on_site_courses=on_site, online_courses=online, location="上海总部",
                                       online_url="https://meet.example.com/q1", instructor=trainer,
                                       on_site_days=3, online_per_week=2)
        sessions = services.plan_generate_sessions(plan=plan, programme=programme, actor=trainer)
        on_site_sessions = [s for s in sessions if s.format == SessionFormat.ON_SITE]
        online_sessions = [s for s in sessions if s.format == SessionFormat.ONLINE]
        assert len(on_site_sessions) == 3  # one a month for three months
        assert all((s.ends_at.date() - s.starts_at.date()).days == 2 for s in on_site_sessions)
        assert 24 <= len(online_sessions) <= 26  # two a week for 13 weeks
        assert [s.course.code for s in on_site_sessions] == ["TH", "ST", "TH"]
        with pytest.raises(ValidationError):  # once per plan
            services.plan_generate_sessions(plan=plan, programme=programme, actor=trainer)


def test_enrolling_the_audience_takes_partner_staff_and_channel_staff(tenant, plan, trainer):
    with tenant_scope(tenant):
        east = RegionFactory(code="EAST")
        distributor = PartnerFactory(partner_type="distributor", status="active", region=east)
        reseller = PartnerFactory(partner_type="reseller", status="active", region=east)
        prospect = PartnerFactory(partner_type="distributor", status="prospect", region=east)
    inside = [make_member(tenant, Role.PARTNER_USER, partner=distributor) for _ in range(2)]
    outside = make_member(tenant, Role.PARTNER_USER, partner=reseller)
    not_yet = make_member(tenant, Role.PARTNER_USER, partner=prospect)
    manager = make_member(tenant, Role.CHANNEL_MANAGER)
    with tenant_scope(tenant):
        course = CourseFactory()
        with pytest.raises(ValidationError):
            services.plan_enrol_audience(plan=plan, actor=trainer)
        services.plan_transition(plan=plan, to_status=PlanState.PUBLISHED, actor=trainer)
        session = Session.objects.create(plan=plan, course=course, title="Month 1", location="上海",
                                         starts_at=_future(), ends_at=_future(8), capacity=2)
        counts = services.plan_enrol_audience(plan=plan, actor=trainer)
        assert counts[EnrolmentState.ENROLLED] == 2 and counts[EnrolmentState.WAITLISTED] == 1
        enrolled = set(Enrolment.objects.filter(session=session).values_list("trainee_id", flat=True))
        assert enrolled == {inside[0].pk, inside[1].pk, manager.pk}
        assert outside.pk not in enrolled and not_yet.pk not in enrolled
        again = services.plan_enrol_audience(plan=plan, actor=trainer)
        assert again["skipped"] == 3
        # Named partners join the audience.
        services.audience_add(plan=plan, partner=reseller, actor=trainer)
        assert services.plan_includes_partner(plan, reseller.pk)


def test_only_trainers_and_managers_write_plans(tenant, plan, partner_admin):
    with tenant_scope(tenant), pytest.raises(PermissionDenied):
        services.plan_transition(plan=plan, to_status=PlanState.PUBLISHED, actor=partner_admin)


def _future(hours: int = 0):
    from django.utils import timezone

    return timezone.now() + datetime.timedelta(days=3, hours=hours)
