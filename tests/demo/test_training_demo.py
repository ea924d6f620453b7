"""The training demo: both tenants' catalogues, the 3-month plan, sessions past and upcoming, a waiting
list, attempts, certificates (some expiring soon), a lapsed qualification, feedback, assessed needs."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import Tenant
from training.models import (
    Attempt,
    Certificate,
    CoursePrerequisite,
    Enrolment,
    LearningPath,
    QualificationLapse,
    Session,
    SessionFeedback,
    TrainingNeed,
    TrainingPlan,
)

from .seeding import rerun

# The package's modules share one seed (tests/demo/conftest.py), so one worker runs them all.
pytestmark = pytest.mark.xdist_group("demo")


def _counts():
    with tenant_scope(Tenant.objects.get(slug="huaxin")):
        return Enrolment.objects.count(), Certificate.objects.count()


@pytest.fixture(scope="module")
def demo(demo_seed, django_db_blocker):
    """The package's seed, run once more (undone after the module); yields the counts before the rerun."""
    with rerun(django_db_blocker, _counts) as before:
        yield before


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["huaxin", "anhe"])
def test_both_tenants_get_a_realistic_training_year(demo, slug):
    now = timezone.now()
    with tenant_scope(Tenant.objects.get(slug=slug)):
        staff_plan = TrainingPlan.objects.get(include_channel_staff=True)
        assert (staff_plan.ends_on - staff_plan.starts_on).days >= 89
        assert Session.objects.filter(plan=staff_plan, format="on_site").count() >= 3
        assert Session.objects.filter(starts_at__lt=now).exists()
        assert Session.objects.filter(starts_at__gt=now).exists()
        assert Enrolment.objects.filter(state="waitlisted").exists()
        assert Enrolment.objects.filter(state="attended").exists() and SessionFeedback.objects.exists()
        assert Attempt.objects.filter(passed=True).exists() and Attempt.objects.filter(passed=False).exists()
        assert LearningPath.objects.filter(certification__isnull=False).exists()
        assert CoursePrerequisite.objects.exists()
        soon = timezone.localdate() + datetime.timedelta(days=60)
        assert Certificate.objects.filter(revoked_at__isnull=True, expires_on__lte=soon,
                                          expires_on__gte=timezone.localdate()).exists()
        assert QualificationLapse.objects.filter(resolved_at__isnull=True).exists()
        assert TrainingNeed.objects.exclude(manager_assessment="").exists()


@pytest.mark.django_db
def test_a_second_run_adds_nothing(demo):
    with tenant_scope(Tenant.objects.get(slug="huaxin")):
        assert (Enrolment.objects.count(), Certificate.objects.count()) == demo
