"""A partner with an administrator and a user, plus a neighbour partner in the same tenant."""

from __future__ import annotations

import pytest

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from tests.conftest import make_member
from tests.factories import PartnerContactFactory, PartnerFactory


@pytest.fixture
def partner(tenant):
    with tenant_scope(tenant):
        partner = PartnerFactory(legal_name="星辰科技有限公司", english_name="Xingchen Technology Ltd.")
        PartnerContactFactory(partner=partner, name="王芳", is_primary=True)
    return partner


@pytest.fixture
def neighbour(tenant):
    """Another partner of the same tenant: partner staff must never see it."""
    with tenant_scope(tenant):
        neighbour = PartnerFactory(legal_name="远航贸易有限公司", english_name="Yuanhang Trading Ltd.")
        PartnerContactFactory(partner=neighbour, name="赵敏")
    return neighbour


@pytest.fixture
def partner_admin(tenant, partner):
    return make_member(tenant, Role.PARTNER_ADMIN, partner=partner, username="xc-admin",
                       email="admin@xingchen.example", first_name="芳", last_name="王")


@pytest.fixture
def partner_user(tenant, partner):
    return make_member(tenant, Role.PARTNER_USER, partner=partner, username="xc-sales",
                       email="sales@xingchen.example", first_name="Qiang", last_name="Li")
