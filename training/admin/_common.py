"""What the training admin modules share: role sets, bulk reporting, the intermediate action page."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse

from channelhub.admin.base import TenantScopedInline
from channelhub.tenancy.roles import STAFF_ROLES
from channelhub.tenancy.workflow import IllegalTransition

REFUSALS = (ValidationError, IllegalTransition, PermissionDenied)


def staff_roles(permission) -> frozenset[str]:
    return permission.roles & STAFF_ROLES


def errors_of(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, IllegalTransition):
        return error.message
    return str(error)


def bulk(request, rows, apply, message) -> None:
    done, refused = 0, []
    for row in rows:
        try:
            if apply(row) is not False:
                done += 1
        except REFUSALS as error:
            refused.append(f"{row}: {errors_of(error)}")
    if done:
        messages.success(request, message(done) % {"count": done})
    for line in refused:
        messages.error(request, line)


def action_form(modeladmin, request, queryset, *, form, title: str, action: str, button: str):
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title, "opts": modeladmin.model._meta, "form": form, "objects": queryset,
        "action": action, "button": button, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "training/admin/action_form.html", context)


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
    parent_field = ""  # the key to the parent row ("course", "path", "plan")

    def create_object(self, request, obj, fields):
        data = {name: getattr(obj, name) for name in (*self.fields, self.parent_field)}
        return type(self).create(tenant=request.tenant, actor=request.user, **data)

    def update_object(self, request, obj, fields):
        return type(self).update(**{self.instance: obj}, actor=request.user, **fields)

    def delete_object(self, request, obj):
        type(self).delete(**{self.instance: obj}, actor=request.user)
