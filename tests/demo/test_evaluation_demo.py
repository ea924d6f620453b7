"""The evaluation demo: both tenants have a catalogue, tiers and two published quarters; a second run adds nothing."""

from __future__ import annotations

from collections import Counter

import pytest

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

from .seeding import rerun

# The package's modules share one seed (tests/demo/conftest.py), so one worker runs them all.
pytestmark = pytest.mark.xdist_group("demo")

MODELS = (Kpi, Scorecard, Tier, ReviewCycle, PartnerScore, IncentiveStatement, ImprovementPlan, RelationshipSurvey)


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def _huaxin_counts():
    with tenant_scope(Tenant.objects.get(slug="huaxin")):
        return _counts()


@pytest.fixture(scope="module")
def demo(demo_seed, django_db_blocker):
    """The package's seed, run once more (undone after the module); yields the counts before the rerun."""
    with rerun(django_db_blocker, _huaxin_counts) as before:
        yield before


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
