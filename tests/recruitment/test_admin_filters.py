"""The recruitment admin's yes/no list filters: possible duplicate (applications), done (checklist items)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from channelhub.tenancy.context import tenant_scope
from tests.factories import PartnerFactory

from .factories import ApplicationFactory, OnboardingTaskFactory


@pytest.fixture
def manager_client(people):
    client = Client()
    client.force_login(people["manager"])
    return client


def listed(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_duplicate_filter(tenant, manager_client, region):
    with tenant_scope(tenant):
        flagged = ApplicationFactory(regions=[region], legal_name="FLAGGED-APPLICANT")
        ApplicationFactory(regions=[region], legal_name="CLEAN-APPLICANT")
        type(flagged).objects.filter(pk=flagged.pk).update(has_duplicates=True)
    url = "/admin/recruitment/application/"
    yes, no, every = (listed(manager_client, f"{url}{q}") for q in ("?duplicate=yes", "?duplicate=no", ""))
    assert "FLAGGED-APPLICANT" in yes and "CLEAN-APPLICANT" not in yes
    assert "CLEAN-APPLICANT" in no and "FLAGGED-APPLICANT" not in no
    assert "FLAGGED-APPLICANT" in every and "CLEAN-APPLICANT" in every


def test_done_filter(tenant, manager_client):
    with tenant_scope(tenant):
        partner = PartnerFactory()
        OnboardingTaskFactory(partner=partner, name="TICKED-STEP", done_at=timezone.now())
        OnboardingTaskFactory(partner=partner, name="OPEN-STEP")
    url = "/admin/recruitment/onboardingtask/"
    yes, no = listed(manager_client, f"{url}?done=yes"), listed(manager_client, f"{url}?done=no")
    assert "TICKED-STEP" in yes and "OPEN-STEP" not in yes
    assert "OPEN-STEP" in no and "TICKED-STEP" not in no
