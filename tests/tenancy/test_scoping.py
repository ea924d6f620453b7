"""The tenant scope: fail closed, filter everything, reject writes across tenants."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from channelhub.partners.models import Partner, Region
from channelhub.tenancy.context import TenantScopeError, current_context, tenant_scope
from tests.factories import PartnerFactory, RegionFactory


def test_query_without_tenant_fails_closed(db):
    with pytest.raises(TenantScopeError):
        Partner.objects.count()


def test_class_level_queryset_is_filtered_at_evaluation(tenant, other_tenant):
    built_without_tenant = Partner.objects.all()  # as a serializer field would, at import
    with tenant_scope(tenant):
        mine = PartnerFactory()
    with tenant_scope(other_tenant):
        PartnerFactory()
    with tenant_scope(tenant):
        assert list(built_without_tenant.all()) == [mine]
    with pytest.raises(TenantScopeError):
        list(built_without_tenant.all())


def test_subqueries_updates_and_history_are_scoped(tenant, other_tenant):
    with tenant_scope(other_tenant):
        theirs = PartnerFactory()
    with tenant_scope(tenant):
        mine = PartnerFactory()
        assert list(Partner.objects.filter(region__in=Region.objects.all())) == [mine]
        assert Partner.objects.update(notes="touched") == 1
        assert Partner.history.filter(id=theirs.pk).count() == 0
        assert mine.history.count() == 1
    theirs.refresh_from_db()
    assert theirs.notes == ""


def test_foreign_key_to_other_tenant_is_rejected(tenant, other_tenant):
    with tenant_scope(other_tenant):
        foreign_region = RegionFactory()
    with tenant_scope(tenant), pytest.raises(ValidationError) as error:
        PartnerFactory(region=foreign_region)
    assert "region" in error.value.message_dict
    with tenant_scope(tenant):
        assert Partner.objects.count() == 0


def test_writing_another_tenants_row_inside_a_scope_is_refused(tenant, other_tenant):
    with tenant_scope(other_tenant):
        theirs = PartnerFactory()
    theirs.notes = "hijack"
    with tenant_scope(tenant), pytest.raises(TenantScopeError):
        theirs.save()


def test_scope_is_restored_after_the_block(tenant, other_tenant):
    with tenant_scope(tenant):
        with tenant_scope(other_tenant):
            assert current_context().tenant_id == other_tenant.pk
        assert current_context().tenant_id == tenant.pk
    assert current_context() is None


def test_unique_constraint_is_per_tenant(tenant, other_tenant):
    with tenant_scope(tenant):
        RegionFactory(code="EAST")
    with tenant_scope(other_tenant):
        RegionFactory(code="EAST")  # the same code in another tenant is fine
    with tenant_scope(tenant), pytest.raises(ValidationError):
        region = Region(code="EAST", name="x", level=Region.Level.AREA)
        region.full_clean()
