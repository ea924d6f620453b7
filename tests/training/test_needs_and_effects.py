"""A plan drafted from the partners' needs; prerequisites enforced; sales of trained vs untrained partners."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from channelhub import kpi_inputs
from channelhub.tenancy.context import tenant_scope
from training import selectors, services
from training.models import CourseCompletion, CoursePrerequisite, Enrolment, PlanState, TrainingNeed

from .factories import CourseFactory, SessionFactory, TrainingPlanFactory


def _survey(tenant, partner, actor, **fields):
    data = {"topics": ["product_knowledge"], "sales_staff": 8, "service_staff": 2, "managers": 1,
            "skill_levels": {"sales_skills": 2, "product_knowledge": 4}, "notes": ""} | fields
    return services.need_submit(tenant=tenant, partner=partner, actor=actor, **data)


def test_a_draft_plan_is_made_from_the_needs_of_its_audience(tenant, partner, partner_admin, trainer):
    from tests.factories import PartnerFactory

    with tenant_scope(tenant):
        other = PartnerFactory(status="active")
        CourseFactory(code="PK-101", title="产品知识", kind="product_knowledge", is_published=True)
        CourseFactory(code="SS-201", title="销售技巧", kind="sales_skills", is_published=True)
        CourseFactory(code="MK-1", title="Marketing", kind="marketing", is_published=True)
        need = _survey(tenant, partner, partner_admin)
        services.need_assess(need=need, actor=trainer, assessment="Weak at consultative selling.")
        second = _survey(tenant, other, None, topics=["product_knowledge", "after_sales"], skill_levels={})
        plan = services.plan_draft_from_needs(tenant=tenant, needs=TrainingNeed.objects.all(), actor=trainer)
        assert plan.state == PlanState.DRAFT and plan.owner == trainer
        assert {row.partner_id for row in plan.audience.all()} == {partner.pk, other.pk}
        assert plan.starts_on.day == 1 and plan.starts_on > datetime.date.today()
        assert (plan.ends_on - plan.starts_on).days in range(88, 93)
        # Topics asked for (with how many partners), weak skills count, the assessment and fitting courses.
        assert "Product knowledge: 2" in plan.goals and "Sales skills: 1" in plan.goals
        assert "After-sales service: 1" in plan.goals and "Marketing" not in plan.goals
        assert "PK-101" in plan.goals and "SS-201" in plan.goals
        assert "Weak at consultative selling." in plan.goals
        # A second draft gets its own name.
        again = services.plan_draft_from_needs(tenant=tenant, needs=[second], actor=trainer)
        assert again.name != plan.name
        with pytest.raises(ValidationError):
            services.plan_draft_from_needs(tenant=tenant, needs=[], actor=trainer)
        with pytest.raises(PermissionDenied):
            services.plan_draft_from_needs(tenant=tenant, needs=[need], actor=partner_admin)


def test_the_needs_admin_shows_labels_and_drafts_a_plan(tenant, partner, partner_admin, trainer, client):
    with tenant_scope(tenant):
        need = _survey(tenant, partner, partner_admin)
    client.force_login(trainer)
    page = client.get(reverse("admin:training_trainingneed_change", args=[need.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "Product knowledge" in body and "Sales skills: 2/5" in body
    assert "product_knowledge" not in body.replace('value="product_knowledge"', "")
    listing = client.get(reverse("admin:training_trainingneed_changelist"))
    assert "product_knowledge" not in listing.content.decode()
    done = client.post(reverse("admin:training_trainingneed_changelist"),
                       {"action": "draft_plan", "_selected_action": [need.pk]})
    assert done.status_code == 302 and "/trainingplan/" in done["Location"]


def test_prerequisites_gate_partner_enrolment_and_the_final_assessment(tenant, partner, staff, partner_admin,
                                                                       quiz):
    from channelhub.tenancy.models import User  # noqa: F401

    with tenant_scope(tenant):
        basics = CourseFactory(code="BASICS", title="Basics", is_published=True)
        CoursePrerequisite.objects.create(course=quiz["course"], required=basics)
        plan = TrainingPlanFactory(state="published", partner_types=["distributor"])
        session = SessionFactory(plan=plan, course=quiz["course"])
        with pytest.raises(ValidationError, match="Basics"):
            services.enrolment_create(session=session, trainee=staff[0], actor=partner_admin)
        with pytest.raises(ValidationError, match="Basics"):
            services.attempt_start(assessment=quiz["assessment"], actor=staff[0])
        CourseCompletion.objects.create(course=basics, trainee=staff[0], partner=partner)
        assert services.enrolment_create(session=session, trainee=staff[0], actor=partner_admin).pk
        assert services.attempt_start(assessment=quiz["assessment"], actor=staff[0]).pk


def test_catalogue_shows_prerequisites_and_paths(tenant, partner, staff, path, client):
    with tenant_scope(tenant):
        course = path.steps.get().course
        course.is_published = True
        course.save()
        basics = CourseFactory(code="BASICS", title="Basics of the range", is_published=True)
        CoursePrerequisite.objects.create(course=course, required=basics)
    client.force_login(staff[0])
    body = client.get(reverse("training-portal:catalogue")).content.decode()
    assert "Basics of the range" in body and path.name in body and "Learning paths" in body


@pytest.fixture
def sales_input():
    data: dict = {}
    saved = kpi_inputs.kpi_inputs().get("cooperation.sales_amount")
    kpi_inputs.register_kpi_input("cooperation.sales_amount", label="sales",
                                  function=lambda tenant, month: dict(data.get(month.replace(day=1), {})))
    yield data
    kpi_inputs.unregister_kpi_input("cooperation.sales_amount")
    if saved is not None:
        kpi_inputs.register_kpi_input(saved.name, label=saved.label, function=saved.function, query=saved.query,
                                      unit=saved.unit)


def test_sales_of_trained_vs_untrained_partners(tenant, partner, staff, sales_input):
    from tests.factories import PartnerFactory

    with tenant_scope(tenant):
        other = PartnerFactory(status="active")
        today = datetime.date.today().replace(day=1)
        start = (today - datetime.timedelta(days=70)).replace(day=1)
        plan = TrainingPlanFactory(starts_on=start, ends_on=today - datetime.timedelta(days=1), state="published")
        assert not selectors.sales_of_trained_vs_untrained(plan).has_data  # nobody trained yet
        session = SessionFactory(plan=plan)
        Enrolment.objects.create(session=session, trainee=staff[0], partner=partner, state="attended")
        assert not selectors.sales_of_trained_vs_untrained(plan).has_data  # no figures yet
        sales_input[start] = {partner.pk: 1000, other.pk: 800}
        sales_input[today] = {partner.pk: 3000, other.pk: 1000}
        sales = selectors.sales_of_trained_vs_untrained(plan)
        assert sales.has_data and sales.trained == Decimal("2000.00") and sales.untrained == Decimal("900.00")
        assert [row.month for row in sales.months] == [start, today]
        assert sales.months[-1].trained_width == 100 and sales.months[-1].untrained_width == 33
        report = selectors.plan_report(plan)
        assert report["sales"].has_data


def test_partners_see_only_sessions_of_plans_that_train_them(tenant, partner, staff, client):
    import datetime as dt

    from django.utils import timezone

    with tenant_scope(tenant):
        soon = timezone.now() + dt.timedelta(days=3)
        ours = TrainingPlanFactory(name="Distributors", state="published", partner_types=["distributor"])
        staff_only = TrainingPlanFactory(name="Channel staff", state="published", partner_types=[],
                                         include_channel_staff=True)
        SessionFactory(plan=ours, title="For distributors", starts_at=soon, ends_at=soon + dt.timedelta(hours=2))
        SessionFactory(plan=staff_only, title="For our managers", starts_at=soon,
                       ends_at=soon + dt.timedelta(hours=2))
        assert selectors.plans_training_partner(partner.pk) == [ours.pk]
    client.force_login(staff[0])
    body = client.get(reverse("training-portal:sessions")).content.decode()
    assert "For distributors" in body and "For our managers" not in body


def test_attendances_per_partner_are_a_kpi_input_for_channel_cost(tenant, partner, staff):
    """Channel cost and return prices training by attendance: the input counts, per partner, the
    attended sessions that started in the period (not the absent, not other months)."""
    from django.utils import timezone

    now = timezone.now()
    with tenant_scope(tenant):
        this_month = SessionFactory(starts_at=now.replace(day=1, hour=9), ends_at=now.replace(day=1, hour=17))
        earlier = SessionFactory(starts_at=now.replace(day=1, hour=9) - datetime.timedelta(days=40),
                                 ends_at=now.replace(day=1, hour=17) - datetime.timedelta(days=40))
        Enrolment.objects.create(session=this_month, trainee=staff[0], partner=partner, state="attended")
        Enrolment.objects.create(session=this_month, trainee=staff[1], partner=partner, state="attended")
        Enrolment.objects.create(session=this_month, trainee=staff[2], partner=partner, state="absent")
        Enrolment.objects.create(session=earlier, trainee=staff[0], partner=partner, state="attended")
    assert kpi_inputs.read("training.attended_sessions", tenant, timezone.localdate()) == {partner.pk: 2}
