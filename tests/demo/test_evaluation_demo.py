"""The evaluation demo: both tenants have a catalogue, tiers and two published quarters; a second run adds nothing."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from channelhub.demo.data import TENANTS
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import Tenant
from evaluation.models import (
    ImprovementPlan,
    IncentiveStatement,
    Kpi,
    KpiTrend,
    PartnerScore,
    PartnerTier,
    RelationshipSurvey,
    ReviewCycle,
    Scorecard,
    Tier,
)

# One worker builds the module-scoped data once (with --dist loadgroup), instead of one build per worker.
pytestmark = pytest.mark.xdist_group("evaluation-demo")

MODELS = (Kpi, Scorecard, Tier, ReviewCycle, PartnerScore, IncentiveStatement, ImprovementPlan, RelationshipSurvey)


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    private = tmp_path_factory.mktemp("private")
    with django_db_blocker.unblock(), override_settings(PRIVATE_MEDIA_ROOT=private):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", "--partners", "12", verbosity=0, stdout=StringIO(), stderr=StringIO())
            with tenant_scope(Tenant.objects.get(slug="huaxin")):
                before = _counts()
            call_command("seed_demo", "--partners", "12", verbosity=0, stdout=StringIO(), stderr=StringIO())
            yield before
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.django_db
def test_both_tenants_have_published_reviews_and_a_rerun_adds_nothing(demo):
    for spec in TENANTS:
        with tenant_scope(Tenant.objects.get(slug=spec.slug)):
            cycles = list(ReviewCycle.objects.order_by("period_start"))
            assert [c.state for c in cycles] == ["published", "published"], cycles
            assert cycles[0].period_end == cycles[1].period_start  # two consecutive quarters
            assert Tier.objects.count() == 4 and Kpi.objects.count() == 5
            assert PartnerScore.objects.filter(cycle=cycles[1]).exists() and PartnerTier.objects.exists()
            # Published through cycle_publish: each quarter has its KPI trend per partner type and area.
            for cycle in cycles:
                trend = set(KpiTrend.objects.filter(cycle=cycle).values_list("dimension", flat=True))
                assert trend == {"partner_type", "area"}, (cycle, trend)
            states = Counter(IncentiveStatement.objects.values_list("state", flat=True))
            assert {"draft", "approved", "paid"} <= set(states), states
            assert ImprovementPlan.objects.exists() and RelationshipSurvey.objects.filter(
                support__isnull=False, manager_rating__isnull=False).exists()
    with tenant_scope(Tenant.objects.get(slug="huaxin")):
        assert _counts() == demo
