"""Helpers the cooperation services share."""

from __future__ import annotations

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from channelhub.partners import services as partner_services
from channelhub.tenancy.context import TenantScopeError, current_context, tenant_scope
from channelhub.tenancy.models import Tenant


@contextmanager
def scope(tenant: Tenant | int):
    """Run inside ``tenant``'s scope: enter it when none is set (jobs, tasks), refuse another."""
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    context = current_context()
    if context is None:
        with tenant_scope(tenant_id, source="cooperation"):
            yield
        return
    if context.tenant_id != tenant_id:
        raise TenantScopeError(f"Writing tenant {tenant_id}'s cooperation data inside tenant {context.tenant_id}.")
    yield


def delete_guarded(instance, *, actor) -> None:
    partner_services.delete_guarded(instance, actor=actor)


def required_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def refuse(field: str | None, message: str):
    raise ValidationError({field: message} if field else message)


__all__ = ["_", "delete_guarded", "refuse", "required_text", "scope"]
