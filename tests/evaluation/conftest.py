"""Fixtures for evaluation: a tenant with active partners, KPIs read from inputs the test registers."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from channelhub import kpi_inputs
from channelhub.partners.models import PartnerStatus, PartnerType
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import Cadence
from evaluation.models import Kpi, KpiKind, MissingRule, Normalisation, ReviewCycle, Scorecard, ScorecardLine
from tests.factories import PartnerFactory

UTC = datetime.UTC


@pytest.fixture
def figures():
    """``figures[name] = {partner_id: value}``: KPI inputs registered for the test, removed after."""
    data: dict[str, dict[int, float]] = {}

    def register(name):
        kpi_inputs.register_kpi_input(name, label=name, function=lambda tenant, period: dict(data.get(name, {})))

    names = ("test.sales", "test.sla", "test.incidents", "test.amount", "test.coverage")
    for name in names:
        register(name)
    yield data
    for name in names:
        kpi_inputs.unregister_kpi_input(name)


def make_partners(count: int, partner_type=PartnerType.DISTRIBUTOR):
    return [PartnerFactory(status=PartnerStatus.ACTIVE, partner_type=partner_type) for _ in range(count)]


def make_kpi(code, source, **fields):
    defaults = {"name": code, "kind": KpiKind.SALES_ACHIEVEMENT, "input_name": source,
                "normalisation": Normalisation.TARGET, "target": Decimal("100"), "missing_rule": MissingRule.ZERO}
    defaults.update(fields)
    kpi = Kpi(code=code, **defaults)
    kpi.full_clean()
    kpi.save()
    return kpi


def make_scorecard(partner_type=PartnerType.DISTRIBUTOR, lines=(), version=1):
    scorecard = Scorecard.objects.create(name=f"{partner_type} card", partner_type=partner_type, version=version)
    for kpi, weight in lines:
        ScorecardLine.objects.create(scorecard=scorecard, kpi=kpi, weight=Decimal(weight))
    return scorecard


def make_cycle(key="2026-Q3", start=(2026, 7, 1), end=(2026, 10, 1), cadence=Cadence.QUARTERLY):
    return ReviewCycle.objects.create(
        cadence=cadence, period_key=key, period_start=datetime.datetime(*start, tzinfo=UTC),
        period_end=datetime.datetime(*end, tzinfo=UTC),
    )


@pytest.fixture
def scoped(tenant):
    with tenant_scope(tenant, source="test"):
        yield tenant
