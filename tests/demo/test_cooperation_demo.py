"""The cooperation demo: both tenants' templates, agreements in every state, communication, library; idempotent."""

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

# One worker builds the module-scoped data once (with --dist loadgroup), instead of one build per worker.
pytestmark = pytest.mark.xdist_group("cooperation-demo")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    private = tmp_path_factory.mktemp("private")
    with django_db_blocker.unblock(), override_settings(PRIVATE_MEDIA_ROOT=private):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", "--partners", "12", verbosity=0, stdout=StringIO(), stderr=StringIO())
            with tenant_scope(Tenant.objects.get(slug="huaxin")):
                before = Agreement.objects.count(), Announcement.objects.count(), LibraryItem.objects.count()
            call_command("seed_demo", "--partners", "12", verbosity=0, stdout=StringIO(), stderr=StringIO())
            yield before
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


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
