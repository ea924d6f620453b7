"""Enrolment with capacity and a waiting list, attendance, feedback, and who may enrol whom."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from tests.conftest import make_member
from tests.factories import PartnerFactory
from training import services
from training.models import Enrolment, EnrolmentState, PlanState

E = EnrolmentState


def test_a_full_session_waitlists_and_a_freed_seat_goes_to_the_next_in_line(tenant, session, staff, trainer):
    with tenant_scope(tenant):
        first = services.enrolment_create(session=session, trainee=staff[0], actor=trainer)
        second = services.enrolment_create(session=session, trainee=staff[1], actor=trainer)
        third = services.enrolment_create(session=session, trainee=staff[2], actor=trainer)
        assert (first.state, second.state, third.state) == (E.ENROLLED, E.ENROLLED, E.WAITLISTED)
        assert third.waitlist_position == 1
        services.enrolment_cancel(enrolment=first, actor=trainer, reason="ill")
        third.refresh_from_db()
        assert third.state == E.ENROLLED and third.waitlist_position is None
        with pytest.raises(ValidationError):
            services.enrolment_create(session=session, trainee=staff[1], actor=trainer)


def test_raising_the_capacity_seats_the_waiting_list(tenant, session, staff, trainer):
    with tenant_scope(tenant):
        for person in staff:
            services.enrolment_create(session=session, trainee=person, actor=trainer)
        services.session_update(session=session, actor=trainer, capacity=3)
        assert Enrolment.objects.filter(session=session, state=E.ENROLLED).count() == 3


def test_partner_admin_enrols_own_staff_only(tenant, session, staff, partner_admin):
    with tenant_scope(tenant):
        other = PartnerFactory(partner_type="distributor", status="active")
    stranger = make_member(tenant, Role.PARTNER_USER, partner=other)
    with tenant_scope(tenant):
        enrolment = services.enrolment_create(session=session, trainee=staff[0], actor=partner_admin)
        assert enrolment.partner_id == staff_partner(staff[0])
        with pytest.raises(PermissionDenied):
            services.enrolment_create(session=session, trainee=stranger, actor=partner_admin)


def staff_partner(user):
    from channelhub.tenancy.models import Membership

    return Membership.objects.get(user=user).partner_id


def test_self_enrolment_only_where_the_plan_allows_it(tenant, session, staff, partner_admin):
    with tenant_scope(tenant):
        services.enrolment_create(session=session, trainee=staff[0], actor=staff[0])
        plan = session.plan
        plan.self_enrolment = False
        plan.save()
        with pytest.raises(PermissionDenied):
            services.enrolment_create(session=session, trainee=staff[1], actor=staff[1])
        # A partner user never enrols someone else.
        with pytest.raises(PermissionDenied):
            services.enrolment_create(session=session, trainee=staff[2], actor=staff[1])
        # The partner admin enrols the company's staff, themself included.
        assert services.enrolment_create(session=session, trainee=partner_admin, actor=partner_admin).pk


def test_draft_plans_are_closed_to_partner_staff(tenant, session, staff, partner_admin):
    with tenant_scope(tenant):
        session.plan.state = PlanState.DRAFT
        session.plan.save()
        with pytest.raises(PermissionDenied):
            services.enrolment_create(session=session, trainee=staff[0], actor=partner_admin)


def test_people_outside_the_tenant_cannot_be_enrolled(tenant, other_tenant, session, trainer):
    outsider = make_member(other_tenant, Role.PARTNER_USER)
    with tenant_scope(tenant), pytest.raises(ValidationError):
        services.enrolment_create(session=session, trainee=outsider, actor=trainer)


def test_attendance_completes_a_course_without_assessment_and_feedback_follows(tenant, session, staff, trainer):
    with tenant_scope(tenant):
        enrolment = services.enrolment_create(session=session, trainee=staff[0], actor=trainer)
        absent = services.enrolment_create(session=session, trainee=staff[1], actor=trainer)
        with pytest.raises(ValidationError):  # not started yet
            services.attendance_record(session=session, marks={enrolment.pk: "attended"}, actor=trainer)
        session.starts_at = timezone.now() - datetime.timedelta(hours=1)
        session.save()
        counts = services.attendance_record(session=session, marks={enrolment.pk: "attended", absent.pk: "absent"},
                                            actor=trainer)
        assert counts == {"attended": 1, "absent": 1}
        from training.models import CourseCompletion

        assert CourseCompletion.objects.filter(trainee=staff[0], course=session.course).exists()
        enrolment.refresh_from_db()
        feedback = services.feedback_give(enrolment=enrolment, actor=staff[0], rating=5, comment="useful")
        assert feedback.rating == 5
        absent.refresh_from_db()
        with pytest.raises(ValidationError):
            services.feedback_give(enrolment=absent, actor=staff[1], rating=1)
        with pytest.raises(PermissionDenied):
            services.attendance_record(session=session, marks={enrolment.pk: "absent"}, actor=staff[0])
