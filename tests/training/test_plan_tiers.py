"""A plan's audience by tier: through the platform's tier contract, whichever chapter keeps the tiers."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from channelhub import tiers
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.services import tenant_create
from evaluation.models import PartnerTier, Tier
from evaluation.tiers import EvaluationTiers
from tests.conftest import api_client_for
from tests.factories import PartnerFactory
from training import selectors, services
from training.admin.forms import TrainingPlanForm
from training.models import PlanState


def _tier(code: str, name: str, rank: int) -> Tier:
    return Tier.objects.create(code=code, name=name, rank=rank, min_score=Decimal(rank * 20))


@pytest.fixture
def tiered(tenant):
    """Two active distributors, one Gold and one Silver, and an untiered one."""
    with tenant_scope(tenant):
        gold, silver = _tier("gold", "Gold", 3), _tier("silver", "Silver", 2)
        partners = {name: PartnerFactory(partner_type="distributor", status="active") for name in ("g", "s", "none")}
        PartnerTier.objects.create(partner=partners["g"], tier=gold)
        PartnerTier.objects.create(partner=partners["s"], tier=silver)
    return partners


def _plan(tenant, trainer, **fields):
    fields.setdefault("partner_types", [])
    return services.plan_create(tenant=tenant, actor=trainer, name=f"Plan {fields}",
                                starts_on=datetime.date(2027, 1, 4), ends_on=datetime.date(2027, 4, 2), **fields)


def test_a_plan_for_gold_partners_trains_only_them(tenant, trainer, tiered):
    with tenant_scope(tenant):
        plan = _plan(tenant, trainer, tiers=["gold"])
        assert set(services.audience_partners(plan)) == {tiered["g"]}
        services.plan_transition(plan=plan, to_status=PlanState.PUBLISHED, actor=trainer)
        # The partner's own view (its portal's sessions) agrees with the audience rule.
        assert plan.pk in selectors.plans_training_partner(tiered["g"].pk)
        assert plan.pk not in selectors.plans_training_partner(tiered["s"].pk)
        assert plan.pk not in selectors.plans_training_partner(tiered["none"].pk)


def test_tiers_combine_with_partner_types(tenant, trainer, tiered):
    with tenant_scope(tenant):
        reseller = PartnerFactory(partner_type="reseller", status="active")
        PartnerTier.objects.create(partner=reseller, tier=Tier.objects.get(code="gold"))
        plan = _plan(tenant, trainer, tiers=["gold", "silver"], partner_types=["reseller"])
        assert set(services.audience_partners(plan)) == {reseller}


def test_an_unknown_tier_is_refused_on_every_surface(tenant, trainer, tiered):
    with tenant_scope(tenant):
        with pytest.raises(ValidationError) as error:
            _plan(tenant, trainer, tiers=["platinum"])
        assert "tiers" in error.value.message_dict
    response = api_client_for(trainer).post("/api/v1/training/plans/", {
        "name": "Gold plan", "starts_on": "2027-01-04", "ends_on": "2027-04-02", "tiers": ["platinum"]},
        format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "tiers" in response.json(), response.content
    created = api_client_for(trainer).post("/api/v1/training/plans/", {
        "name": "Gold plan", "starts_on": "2027-01-04", "ends_on": "2027-04-02", "tiers": ["gold"]}, format="json")
    assert created.status_code == 201 and created.json()["tiers"] == ["gold"], created.content


def test_the_admin_form_offers_only_this_tenants_tiers(tenant, tiered):
    other = tenant_create(name="Other vendor", slug="other-vendor")
    with tenant_scope(other):
        _tier("diamond", "Diamond", 5)
    with tenant_scope(tenant):
        offered = dict(TrainingPlanForm().fields["tiers"].choices)
    assert offered == {"gold": "Gold", "silver": "Silver"}


def test_without_a_tier_provider_a_tier_criterion_matches_no_one(tenant, trainer, tiered):
    with tenant_scope(tenant):
        plan = _plan(tenant, trainer, tiers=["gold"])
        tiers.unregister_provider()
        try:
            assert list(services.audience_partners(plan)) == []
            assert tiers.choices() == [] and tiers.codes_of([tiered["g"].pk]) == {}
            assert tiers.lead_weights([tiered["g"].pk]) == {tiered["g"].pk: Decimal(1)}
        finally:
            tiers.register_provider(EvaluationTiers())
