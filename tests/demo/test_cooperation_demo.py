"""The cooperation demo: both tenants' templates, agreements in every state, communication, library; idempotent."""

from __future__ import annotations

from collections import Counter

import pytest

from channelhub.demo.data import TENANTS
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import Tenant
from cooperation.models import (
    Agreement,
    AgreementState,
    AgreementTemplate,
    Announcement,
    Event,
    EventRsvp,
    LegalReview,
    LibraryItem,
    Thread,
)

from .seeding import rerun

# The package's modules share one seed (tests/demo/conftest.py), so one worker runs them all.
pytestmark = pytest.mark.xdist_group("demo")


def _counts():
    with tenant_scope(Tenant.objects.get(slug="huaxin")):
        return Agreement.objects.count(), Announcement.objects.count(), LibraryItem.objects.count()


@pytest.fixture(scope="module")
def demo(demo_seed, django_db_blocker):
    """The package's seed, run once more (undone after the module); yields the counts before the rerun."""
    with rerun(django_db_blocker, _counts) as before:
        yield before


@pytest.mark.django_db
def test_every_state_templates_and_idempotence(demo):
    huaxin = Tenant.objects.get(slug="huaxin")
    with tenant_scope(huaxin):
        states = Counter(Agreement.objects.values_list("state", flat=True))
        assert set(AgreementState.values) <= set(states), states
        template = AgreementTemplate.objects.get(code="huaxin-distribution")
        assert template.language == "zh-hans" and template.status == "published"
        assert LegalReview.objects.filter(decision="return").exists()
        assert (Agreement.objects.count(), Announcement.objects.count(), LibraryItem.objects.count()) == demo
        assert Thread.objects.exists() and Event.objects.filter(status="published").exists()
        assert EventRsvp.objects.exists()
    for spec in TENANTS:
        with tenant_scope(Tenant.objects.get(slug=spec.slug)):
            assert AgreementTemplate.objects.filter(status="published").count() == 1
            assert Agreement.objects.filter(state="active").exists()
            assert LibraryItem.objects.filter(files__isnull=False).exists()
    with tenant_scope(Tenant.objects.get(slug="anhe")):
        assert AgreementTemplate.objects.get(code="anhe-agency").language == "en"
