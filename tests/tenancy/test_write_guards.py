"""The scoped queryset guards the writes that skip ``save()``: update, bulk_create, bulk_update, raw."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from channelhub.partners.models import Partner, PartnerContact, Region
from channelhub.tenancy.context import TenantScopeError, tenant_scope
from tests.factories import PartnerFactory, RegionFactory


@pytest.fixture
def two_sides(tenant, other_tenant):
    with tenant_scope(other_tenant):
        theirs = PartnerFactory()
    with tenant_scope(tenant):
        mine = PartnerFactory()
    return mine, theirs


def test_update_refuses_a_foreign_key_into_another_tenant(tenant, two_sides):
    mine, theirs = two_sides
    region = mine.region
    with tenant_scope(tenant), pytest.raises(ValidationError) as refused:
        Partner.objects.filter(pk=mine.pk).update(region=theirs.region)
    assert "region" in refused.value.message_dict
    with tenant_scope(tenant), pytest.raises(ValidationError):
        Partner.objects.filter(pk=mine.pk).update(region_id=theirs.region_id)
    with tenant_scope(tenant):
        mine.refresh_from_db()
        assert mine.region == region
        # The tenant's own rows remain fair game.
        other_region = RegionFactory()
        assert Partner.objects.filter(pk=mine.pk).update(region=other_region) == 1


def test_update_cannot_move_rows_to_another_tenant(tenant, other_tenant, two_sides):
    with tenant_scope(tenant), pytest.raises(TenantScopeError):
        Partner.objects.update(tenant=other_tenant)


def test_bulk_create_binds_the_current_tenant_and_refuses_another(tenant, other_tenant, two_sides):
    mine, theirs = two_sides
    with tenant_scope(tenant):
        created = PartnerContact.objects.bulk_create([PartnerContact(partner=mine, name="张伟")])
        assert created[0].tenant_id == tenant.pk
        with pytest.raises(TenantScopeError):
            PartnerContact.objects.bulk_create(
                [PartnerContact(tenant_id=other_tenant.pk, partner=theirs, name="李娜")]
            )
        with pytest.raises(ValidationError):
            PartnerContact.objects.bulk_create([PartnerContact(partner=theirs, name="王芳")])
    with tenant_scope(other_tenant):
        assert not PartnerContact.objects.exists()


def test_bulk_update_refuses_foreign_keys_and_foreign_rows(tenant, other_tenant, two_sides):
    mine, theirs = two_sides
    with tenant_scope(tenant):
        mine.region_id = theirs.region_id
        with pytest.raises(ValidationError):
            Partner.objects.bulk_update([mine], ["region"])
        with pytest.raises(TenantScopeError):
            Partner.objects.bulk_update([theirs], ["notes"])


def test_raw_is_refused_on_the_scoped_manager_and_explicit_on_the_deliberate_one(tenant, two_sides):
    with tenant_scope(tenant), pytest.raises(TenantScopeError):
        list(Region.objects.raw("SELECT * FROM partners_region"))
    assert len(list(Region.all_tenants.raw("SELECT * FROM partners_region"))) >= 2
