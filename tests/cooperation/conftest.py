"""Cooperation fixtures: staff in every deciding role, a partner with its administrator, a published template."""

from __future__ import annotations

import pytest
from django.utils import translation

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from cooperation import services
from tests.conftest import make_member
from tests.factories import PartnerFactory, RegionFactory

from .factories import complete_template


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def people(tenant):
    return {
        "manager": make_member(tenant, Role.CHANNEL_MANAGER, username="manager", first_name="Li", last_name="Ming"),
        "owner": make_member(tenant, Role.OWNER, username="owner"),
        "legal": make_member(tenant, Role.LEGAL, username="legal"),
        "trainer": make_member(tenant, Role.TRAINER, username="trainer"),
    }


@pytest.fixture
def region(tenant):
    with tenant_scope(tenant):
        return RegionFactory(code="EAST", name="华东", name_en="East")


@pytest.fixture
def partner(tenant, region, people):
    with tenant_scope(tenant):
        return PartnerFactory(region=region, owner=people["manager"], address="上海市浦东新区")


@pytest.fixture
def partner_admin(tenant, partner):
    return make_member(tenant, Role.PARTNER_ADMIN, partner=partner, username="padmin", language="zh-hans")


@pytest.fixture
def partner_user(tenant, partner):
    return make_member(tenant, Role.PARTNER_USER, partner=partner, username="puser")


@pytest.fixture
def template(tenant, people):
    with tenant_scope(tenant):
        draft = complete_template()
        return services.template_publish(template=draft, actor=people["manager"])


@pytest.fixture
def draft(tenant, partner, template, people):
    """``draft(**terms)`` → a new draft agreement of ``partner``."""

    def build(**terms):
        with tenant_scope(tenant):
            return services.agreement_create(tenant=tenant, actor=people["manager"], partner=partner, **terms)

    return build


@pytest.fixture
def sent(tenant, draft, people):
    """``sent()`` → an agreement approved by legal, waiting for the partner's signature."""

    def build(**terms):
        agreement = draft(**terms)
        with tenant_scope(tenant):
            services.agreement_submit(agreement=agreement, actor=people["manager"])
            services.agreement_review(agreement=agreement, actor=people["legal"], decision="approve")
            agreement.refresh_from_db()
        return agreement

    return build


@pytest.fixture
def signed(tenant, sent, partner_admin):
    def build(**terms):
        agreement = sent(**terms)
        with tenant_scope(tenant):
            services.agreement_sign(agreement=agreement, actor=partner_admin, signer_name="周强",
                                    signer_title="总经理", content_hash=agreement.content_hash, ip_address="10.0.0.8")
            agreement.refresh_from_db()
        return agreement

    return build


@pytest.fixture
def active(tenant, signed, people):
    def build(**terms):
        agreement = signed(**terms)
        with tenant_scope(tenant):
            services.agreement_countersign(agreement=agreement, actor=people["manager"], signer_name="Li Ming",
                                           signer_title="Channel director", content_hash=agreement.content_hash,
                                           ip_address="10.0.0.9")
            agreement.refresh_from_db()
        return agreement

    return build
