"""Base classes for admin pages over tenant-owned models.

Querysets, foreign-key choices, autocompletes, list filters and inlines all go through the
models' tenant-scoped managers; what is left here is roles (deny by default), choices
that point at users (who are not tenant-owned) and export.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin

from channelhub.partners.selectors import channel_managers
from channelhub.tenancy.roles import MANAGERS, STAFF_ROLES


def _access(request):
    return getattr(request, "access", None)


def has_role(request, roles) -> bool:
    access = _access(request)
    return access is not None and access.is_staff and access.has_any(roles)


class RoleGate:
    """Admin permission methods driven by ``view_roles`` and ``change_roles``."""

    view_roles: frozenset[str] = frozenset()
    change_roles: frozenset[str] = MANAGERS
    # Rows that are records in their own right (logs) are never edited by hand.
    read_only = False

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return has_role(request, self.view_roles | self.change_roles)

    def has_add_permission(self, request, *args) -> bool:
        return not self.read_only and has_role(request, self.change_roles)

    def has_change_permission(self, request, obj=None) -> bool:
        return not self.read_only and has_role(request, self.change_roles)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not self.read_only and has_role(request, self.change_roles)


class UserChoicesMixin:
    """Foreign keys to users offer only this tenant's staff, never the whole user table."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is not None and db_field.related_model._meta.label == (
            settings.AUTH_USER_MODEL
        ):
            kwargs["queryset"] = channel_managers()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class TenantScopedAdmin(RoleGate, UserChoicesMixin, ImportExportMixin, SimpleHistoryAdmin):
    """Admin of a tenant-owned model: scoped, role-gated, audited, exportable (CSV/XLSX)."""

    formats = [CSV, XLSX]
    list_per_page = 50
    # Import is switched on per admin by giving it a ``resource_classes`` with row validation.
    import_enabled = False

    def has_import_permission(self, request) -> bool:
        return self.import_enabled and has_role(request, self.change_roles)

    def has_export_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def save_model(self, request, obj, form, change) -> None:
        obj._history_user = request.user
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj) -> None:
        from django.db.models import ProtectedError

        try:
            super().delete_model(request, obj)
        except ProtectedError:
            messages.error(request, _still_used_message(obj))

    def message_validation_error(self, request, error: ValidationError) -> None:
        for message in error.messages:
            messages.error(request, message)


def _still_used_message(obj) -> str:
    from django.utils.translation import gettext as _

    return _("%(object)s is still used by other records and cannot be deleted.") % {"object": obj}


class TenantScopedInline(RoleGate, UserChoicesMixin, admin.TabularInline):
    """Inline rows of a tenant-owned parent; saved in the parent's tenant."""

    extra = 0
    view_roles = STAFF_ROLES
