"""Every tenant-owned table is scoped, fails closed, is audited and keys its uniques by tenant."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models

from channelhub.tenancy.context import TenantScopeError
from channelhub.tenancy.managers import AllTenantsManager, TenantHistoryManager, TenantScopedManager
from channelhub.tenancy.models import TenantOwnedBase, TenantOwnedModel
from channelhub.testing import (
    global_unique_reason,
    has_spec,
    has_tenant_fk,
    history_model,
    is_historical,
    is_tenant_owned,
    tenant_foreign_keys,
    tenant_owned_models,
)

# Tables that point at tenant-owned rows without carrying ``tenant_id`` themselves.
TENANTLESS_EXEMPT: set[type[models.Model]] = set()


def _label(model) -> str:
    return model._meta.label


TENANT_FK_MODELS = [m for m in apps.get_models() if has_tenant_fk(m)]
OWNED_MODELS = tenant_owned_models()


def test_the_model_lists_are_not_empty():
    assert len(TENANT_FK_MODELS) > len(OWNED_MODELS) >= 8  # audit tables are included in the first


@pytest.mark.parametrize("model", TENANT_FK_MODELS, ids=_label)
def test_every_tenant_owned_model_is_scoped(model):
    """Every table with a tenant column, audit tables included, reads through a scoped manager."""
    assert isinstance(model._meta.default_manager, TenantScopedManager), (
        f"{_label(model)}: the default manager is {type(model._meta.default_manager).__name__}, "
        "not TenantScopedManager; inherit TenantOwnedModel / TenantOwnedBase"
    )
    assert isinstance(getattr(model, "all_tenants", None), AllTenantsManager), f"{_label(model)}: no all_tenants"
    if is_historical(model):
        assert is_tenant_owned(model.instance_type), f"{_label(model)} records a model that is not tenant-owned"
        return
    assert issubclass(model, TenantOwnedBase), (
        f"{_label(model)} has a tenant column but does not inherit TenantOwnedBase (no cross-tenant checks)"
    )
    (tenant_field,) = tenant_foreign_keys(model)
    assert tenant_field.name == "tenant" and tenant_field.remote_field.on_delete is models.PROTECT


@pytest.mark.parametrize("model", OWNED_MODELS, ids=_label)
def test_unique_keys_begin_with_tenant(model):
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            assert constraint.fields and constraint.fields[0] == "tenant", (
                f"{_label(model)}.{constraint.name}: unique constraints must begin with tenant"
            )
    for fields in model._meta.unique_together:
        assert fields[0] == "tenant", f"{_label(model)}: unique_together {fields} must begin with tenant"
    for field in model._meta.concrete_fields:
        if field.unique and not field.primary_key and not global_unique_reason(model, field.name):
            raise AssertionError(
                f"{_label(model)}.{field.name} is unique across tenants; use UniqueConstraint(fields="
                "['tenant', …]) or channelhub.testing.allow_global_unique(model, field, reason)"
            )


@pytest.mark.parametrize(
    "model", [m for m in OWNED_MODELS if issubclass(m, TenantOwnedModel)], ids=_label
)
def test_every_tenant_owned_model_is_audited(model):
    history = history_model(model)
    assert history is not None, f"{_label(model)} has no simple-history audit table"
    assert isinstance(model.history, TenantHistoryManager), f"{_label(model)}.history is not tenant-scoped"
    assert has_tenant_fk(history)


def test_tables_pointing_at_tenant_rows_carry_the_tenant():
    offenders = []
    for model in apps.get_models(include_auto_created=True):
        if is_tenant_owned(model) or is_historical(model) or model in TENANTLESS_EXEMPT:
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model and is_tenant_owned(field.related_model):
                offenders.append(f"{_label(model)}.{field.name}")
    assert not offenders, f"tables pointing at tenant-owned rows without a tenant column: {offenders}"


@pytest.mark.django_db
@pytest.mark.parametrize("model", TENANT_FK_MODELS, ids=_label)
def test_unscoped_query_fails(model):
    """No current tenant: every tenant-owned query raises instead of returning every tenant's rows."""
    with pytest.raises(TenantScopeError):
        model.objects.count()
    with pytest.raises(TenantScopeError):
        list(model._default_manager.all()[:1])
    if not is_historical(model) and history_model(model) is not None:
        with pytest.raises(TenantScopeError):
            model.history.count()


@pytest.mark.parametrize("model", OWNED_MODELS, ids=_label)
def test_every_tenant_owned_model_has_a_factory(model):
    """The isolation world must be able to build every tenant-owned model in either tenant."""
    assert has_spec(model), (
        f"register a factory for {_label(model)}: channelhub.testing.register_model({model.__name__}, "
        f"build=lambda side, marker: …, payload=…) in tests/{model._meta.app_label}/harness.py"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("model", [m for m in OWNED_MODELS if has_spec(m)], ids=_label)
def test_factories_build_in_either_tenant(world, model):
    mine, theirs = world.a.get(model), world.b.get(model)
    assert (mine.tenant_id, theirs.tenant_id) == (world.a.tenant.pk, world.b.tenant.pk)
    assert model.all_tenants.filter(pk__in=[mine.pk, theirs.pk]).count() == 2
