"""Milestones: a chapter announces, another listens, after commit, without importing each other."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from channelhub import milestones
from channelhub.partners import services as partner_services
from channelhub.partners.models import PartnerStatus
from channelhub.tenancy.context import tenant_scope
from tests.factories import PartnerFactory


@pytest.fixture
def heard():
    received = []

    def listener(announcement):
        received.append(announcement)

    milestones.listens_to("agreement.signed", "partner.activated")(listener)
    yield received
    for code in ("agreement.signed", "partner.activated"):
        milestones._listeners[code].remove(listener)


def test_listeners_hear_an_announcement_after_commit_in_its_tenant(tenant, heard, django_capture_on_commit_callbacks):
    with tenant_scope(tenant):
        partner = PartnerFactory()
        with django_capture_on_commit_callbacks(execute=True):
            milestones.announce(partner=partner, milestone="agreement.signed", source="cooperation.agreement",
                                agreement_id=7)
            assert heard == []  # nothing before the commit
    (announcement,) = heard
    assert (announcement.partner_id, announcement.tenant_id) == (partner.pk, tenant.pk)
    assert announcement.details == {"agreement_id": 7}


def test_unknown_milestones_are_refused(tenant):
    with tenant_scope(tenant), pytest.raises(ImproperlyConfigured):
        milestones.announce(partner=PartnerFactory(), milestone="agreement.sigend", source="typo")


def test_activating_a_partner_announces_it(tenant, manager, heard, django_capture_on_commit_callbacks):
    with tenant_scope(tenant):
        partner = PartnerFactory(status=PartnerStatus.ONBOARDING)
        with django_capture_on_commit_callbacks(execute=True):
            partner_services.partner_transition(partner=partner, to_status=PartnerStatus.ACTIVE, actor=manager)
    assert [a.milestone for a in heard] == ["partner.activated"]


def test_a_tick_source_reads_as_words_never_as_a_code():
    from django.utils import translation

    from channelhub.milestones import source_label, vocabulary

    with translation.override("en"):
        assert source_label("manual") == "by hand"
        assert source_label("milestone:agreement.signed") == str(vocabulary()["agreement.signed"].label)
        assert source_label("partners.status") == "automatically"
        assert "." not in source_label("milestone:unknown.code")
