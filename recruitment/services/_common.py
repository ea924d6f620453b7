"""Helpers the recruitment services share (tenant scope, staff check)."""

from __future__ import annotations

from contextlib import contextmanager

from channelhub.partners import services as partner_services
from channelhub.tenancy.context import TenantScopeError, current_context, tenant_scope
from channelhub.tenancy.models import Tenant, User
from channelhub.tenancy.selectors import is_tenant_staff

from ..models import ApplicationState

S = ApplicationState


@contextmanager
def _scope(tenant: Tenant):
    """Run inside ``tenant``'s scope: enter it when none is set (public form, tasks), refuse another."""
    context = current_context()
    if context is None:
        with tenant_scope(tenant, source="recruitment"):
            yield
        return
    if context.tenant_id != tenant.pk:
        raise TenantScopeError(f"Writing tenant {tenant.pk}'s recruitment data inside tenant {context.tenant_id}.")
    yield


def _is_staff(user: User | None) -> bool:
    return is_tenant_staff(user)


def _delete_guarded(instance, *, actor: User | None) -> None:
    """Delete a row unless other records still point at it (then a clear 400, no change).

    No permission check here: the ``<entity>_delete`` services authorize, then call this.
    """
    partner_services.delete_guarded(instance, actor=actor)
