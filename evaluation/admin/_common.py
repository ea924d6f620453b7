"""What the evaluation admin modules share: refusals, role sets, inlines written by services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError

from channelhub.admin.base import TenantScopedInline
from channelhub.tenancy.roles import STAFF_ROLES
from channelhub.tenancy.workflow import IllegalTransition

REFUSALS = (ValidationError, IllegalTransition, PermissionDenied)


def staff_roles(permission) -> frozenset[str]:
    return permission.roles & STAFF_ROLES


def refusal_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, IllegalTransition):
        return error.message
    return str(error)


def report_refusal(request, error: Exception) -> None:
    messages.error(request, refusal_text(error))


def bulk(request, rows, apply, done_message: str) -> None:
    """Apply a service to each selected row; refusals are reported per row, the others go on."""
    done = 0
    for row in rows:
        try:
            apply(row)
            done += 1
        except REFUSALS as error:
            messages.error(request, f"{row}: {refusal_text(error)}")
    if done:
        messages.success(request, done_message % {"count": done})


class ReadOnlyInline(TenantScopedInline):
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceInline(TenantScopedInline):
    """An inline whose rows are written by three services (``create(tenant=, actor=, **fields)`` …)."""

    create = update = delete = None
    instance = ""
    parent_field = ""

    def create_object(self, request, obj, fields):
        data = {name: getattr(obj, name) for name in (*self.fields, self.parent_field)}
        return type(self).create(tenant=request.tenant, actor=request.user, **data)

    def update_object(self, request, obj, fields):
        return type(self).update(**{self.instance: obj}, actor=request.user, **fields)

    def delete_object(self, request, obj):
        type(self).delete(**{self.instance: obj}, actor=request.user)
