"""The eligibility contract: qualified by default, every provider must agree, reasons are joined."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from channelhub import eligibility
from channelhub.eligibility import Answer
from channelhub.tenancy.context import current_tenant_id, tenant_scope
from tests.factories import PartnerFactory


@pytest.fixture
def no_providers():
    saved = dict(eligibility._providers)
    eligibility._providers.clear()
    yield
    eligibility._providers.clear()
    eligibility._providers.update(saved)


def test_with_no_provider_everyone_is_qualified(tenant, no_providers):
    with tenant_scope(tenant):
        partner = PartnerFactory()
    answer = eligibility.partner_is_qualified(partner, "deal_registration")
    assert answer.ok and bool(answer) and answer.reasons == ()
    assert eligibility.partner_is_qualified(partner).ok
    assert eligibility.user_is_qualified(None, "sell", tenant=tenant).ok


def test_every_provider_must_agree_and_reasons_are_joined(tenant, no_providers):
    seen = []

    def refuses(partner, requirement):
        seen.append((requirement, current_tenant_id()))
        return Answer(ok=False, reasons=("no certified staff",))

    eligibility.register_provider("a", partner=lambda partner, requirement: None)
    eligibility.register_provider("b", partner=refuses)
    eligibility.register_provider("c", partner=lambda p, r: Answer(ok=False, reasons=("licence lapsed",)))
    with tenant_scope(tenant):
        partner = PartnerFactory()
    answer = eligibility.partner_is_qualified(partner, "payout")
    assert not answer
    assert answer.reasons == ("no certified staff", "licence lapsed")
    # Providers run inside the partner's tenant, even when the caller had no scope.
    assert seen == [("payout", tenant.pk)]


def test_user_question_asks_user_providers_only(tenant, no_providers):
    eligibility.register_provider("partner-only", partner=lambda p, r: Answer(ok=False, reasons=("x",)))
    assert eligibility.user_is_qualified(object(), "sell", tenant=tenant).ok
    eligibility.register_provider(
        "people", partner=lambda p, r: None, user=lambda u, r, t: Answer(ok=False, reasons=("no licence",)))
    assert eligibility.user_is_qualified(object(), "sell", tenant=tenant).reasons == ("no licence",)


def test_unknown_requirements_are_refused(tenant, no_providers):
    with tenant_scope(tenant):
        partner = PartnerFactory()
    with pytest.raises(ImproperlyConfigured):
        eligibility.partner_is_qualified(partner, "deal_registation")


def test_the_vocabulary_can_grow():
    eligibility.declare("test.custom", "Custom")
    assert "test.custom" in eligibility.vocabulary()
    assert ("general", eligibility.vocabulary()["general"]) in eligibility.requirement_choices()
