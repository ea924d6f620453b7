"""Base classes for admin pages over tenant-owned models.

Querysets, foreign-key choices, autocompletes, list filters and inlines all go through the
models' tenant-scoped managers; what is left here is roles (deny by default), choices
that point at users (who are not tenant-owned) and export.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.resources import modelresource_factory
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin as UnfoldModelAdmin
from unfold.admin import TabularInline as UnfoldTabularInline
from unfold.contrib.import_export.forms import ExportForm, ImportForm

from channelhub.exports import SafeCSV, SafeXLSX
from channelhub.partners.selectors import channel_managers
from channelhub.tenancy.policy import Permission, request_may
from channelhub.tenancy.roles import MANAGERS, STAFF_ROLES
from channelhub.writes import ServiceTrio

from .autocomplete import SafeAutocompleteMixin
from .history import SafeHistoryMixin
from .listing import ActionBoxMixin


def _access(request):
    return getattr(request, "access", None)


def has_role(request, roles) -> bool:
    access = _access(request)
    return access is not None and access.is_staff and access.has_any(roles)


def has_permission(request, permission: Permission) -> bool:
    """The admin's question for a declared permission (tenant staff only: the admin is theirs)."""
    access = _access(request)
    return access is not None and access.is_staff and request_may(request, permission.code)


class RoleGate:
    """Admin permission methods driven by ``view_roles`` and ``change_roles``.

    Actions are denied by default: an action is offered only when it declares
    ``@admin.action(permissions=[...])`` and the request passes one of the matching
    ``has_<name>_permission`` methods. Django itself offers an undeclared action to everyone
    who can see the list; here it is offered to nobody (and ``channelhub.admin.checks`` fails
    on it at start-up).
    """

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

    def _filter_actions_by_permissions(self, request, actions):
        offered = []
        for action in actions:
            names = getattr(action[0], "allowed_permissions", None)
            if names and any(getattr(self, f"has_{name}_permission")(request) for name in names):
                offered.append(action)
        return offered


class UserChoicesMixin:
    """Foreign keys to users offer only this tenant's staff, never the whole user table."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is not None and db_field.related_model._meta.label == (
            settings.AUTH_USER_MODEL
        ):
            kwargs["queryset"] = channel_managers()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class TenantScopedAdmin(ActionBoxMixin, RoleGate, SafeAutocompleteMixin, UserChoicesMixin, ImportExportMixin,
                        SafeHistoryMixin, SimpleHistoryAdmin, UnfoldModelAdmin):
    """Admin of a tenant-owned model: scoped, role-gated, audited, exportable (CSV/XLSX)."""

    # The frame: lists use the whole width, filters sit in a side sheet, forms warn before
    # leaving unsaved changes.
    list_fullwidth = True
    list_filter_submit = True
    warn_unsaved_form = True
    import_form_class = ImportForm
    export_form_class = ExportForm
    # The command palette searches this admin's records when True (channelhub.admin.search).
    global_search = False
    # What an empty list will show once there is something (e.g. "Applications arrive from the
    # public form and the API"); the frame says it instead of a bare "no results".
    empty_hint = ""

    formats = [CSV, XLSX]
    import_formats = [CSV, XLSX]
    # Exports are written by channelhub.exports: text that looks like a formula is neutralised.
    export_formats = [SafeCSV, SafeXLSX]
    list_per_page = 50
    # unfold's list template asks every row for ``list_sections`` (we use none); a missing
    # attribute makes Django's template engine call ``dir()`` on the whole admin each time
    # (~100 times per page, a tenth of the partner list's rendering).
    list_sections = ()
    # Import is switched on per admin by giving it a ``resource_classes`` with row validation.
    import_enabled = False

    def has_import_permission(self, request) -> bool:
        return self.import_enabled and has_role(request, self.change_roles)

    def has_export_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def get_export_resource_classes(self, request):
        # Credentials never leave in a file, whichever admin forgets to list its fields:
        # stored hashes (API keys, invitations, tracking links) and their lookup keys.
        if self.resource_classes or getattr(self, "resource_class", None):
            return super().get_export_resource_classes(request)
        secret = [f.name for f in self.model._meta.concrete_fields if _is_secret(f.name)]
        return [modelresource_factory(self.model, meta_options={"exclude": secret})]

    def get_data_for_export(self, request, queryset, **kwargs):
        # Native values (numbers stay numbers, so only text is neutralised); import-export
        # decides this by exact format class, which our safe subclasses are not.
        kwargs["force_native_type"] = True
        return super().get_data_for_export(request, queryset, **kwargs)

    # -- Writes go through the app's services, like every other surface ------------------
    #
    # The form validates and fills ``obj``; the service then checks the actor's permission,
    # applies the rule (a moved region moves its subtree, a partner's status only moves
    # through its workflow…) and writes the audit entry. A subclass that lets people add,
    # change or delete implements the hooks it needs; ``channelhub.admin.checks`` refuses
    # to start when one is missing.

    # The usual three hooks at once: ``writes = ServiceTrio(...)`` (``channelhub.writes``).
    writes: ServiceTrio | None = None

    def create_object(self, request, obj, fields: dict):
        if self.writes is None:
            raise NotImplementedError(f"{type(self).__name__} must save new rows through a service")
        return self.writes.create_row(tenant=request.tenant, actor=request.user, fields=fields)

    def update_object(self, request, obj, fields: dict):
        if self.writes is None:
            raise NotImplementedError(f"{type(self).__name__} must save changes through a service")
        return self.writes.update_row(obj, actor=request.user, fields=fields)

    def delete_object(self, request, obj) -> None:
        if self.writes is None:
            raise NotImplementedError(f"{type(self).__name__} must delete through a service")
        self.writes.delete_row(obj, actor=request.user)

    def save_model(self, request, obj, form, change) -> None:
        names = form.changed_data if change else list(form.cleaned_data)
        fields = {name: form.cleaned_data[name] for name in names if name in _concrete_field_names(obj)}
        saved = self.update_object(request, obj, fields) if change else self.create_object(request, obj, fields)
        # The admin logs and links ``obj`` after this: give it the saved row's identity.
        if saved is not None and saved is not obj:
            obj.pk = saved.pk

    def save_formset(self, request, form, formset, change) -> None:
        inline = next(
            (i for i in self.get_inline_instances(request, form.instance) if i.model is formset.model), None
        )
        if not isinstance(inline, TenantScopedInline):
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            inline.delete_object(request, obj)
        for obj in instances:
            row_form = next((f for f in formset.forms if f.instance is obj), None)
            names = row_form.changed_data if row_form is not None and obj.pk else [
                f.name for f in obj._meta.concrete_fields]
            fields = {name: getattr(obj, name) for name in names if name in _concrete_field_names(obj)}
            if obj.pk:
                inline.update_object(request, obj, fields)
            else:
                inline.create_object(request, obj, fields)
        formset.save_m2m()

    def delete_model(self, request, obj) -> None:
        self.delete_object(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            self.delete_object(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # A service may still refuse after the form validated (a rule across rows, a race):
        # nothing is written (the view's transaction rolls back) and the person reads why.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            self.message_validation_error(request, error)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            self.message_validation_error(request, error)
            return HttpResponseRedirect(request.get_full_path())

    def response_action(self, request, queryset):
        try:
            return super().response_action(request, queryset)
        except ValidationError as error:
            self.message_validation_error(request, error)
            return HttpResponseRedirect(request.get_full_path())

    def message_validation_error(self, request, error: ValidationError) -> None:
        for message in error.messages:
            messages.error(request, message)


# Credentials and their lookup keys, by name (API keys, invitations, tracking links, sessions).
# Named precisely: a period key, an idempotency key or a signed text's content hash is data.
SECRET_FIELD_SUFFIXES = ("key_hash", "token_hash", "email_key", "session_key", "session_hash")


def _is_secret(field_name: str) -> bool:
    return field_name.endswith(SECRET_FIELD_SUFFIXES)


def _concrete_field_names(obj) -> set[str]:
    return {field.name for field in obj._meta.concrete_fields}


def refuse(request, error: PermissionDenied | ValidationError, obj=None) -> None:
    """Tell the person why a service refused a row of a bulk action (the others go on)."""
    text = " ".join(getattr(error, "messages", None) or [str(error)])
    messages.error(request, f"{obj}: {text}" if obj is not None else text)


class TenantScopedInline(RoleGate, SafeAutocompleteMixin, UserChoicesMixin, UnfoldTabularInline):
    """Inline rows of a tenant-owned parent; saved in the parent's tenant, through services."""

    extra = 0
    view_roles = STAFF_ROLES

    def create_object(self, request, obj, fields: dict):
        raise NotImplementedError(f"{type(self).__name__} must save new rows through a service")

    def update_object(self, request, obj, fields: dict):
        raise NotImplementedError(f"{type(self).__name__} must save changes through a service")

    def delete_object(self, request, obj) -> None:
        raise NotImplementedError(f"{type(self).__name__} must delete through a service")
