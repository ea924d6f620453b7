"""What every recruitment admin module shares: bulk-action reporting and the intermediate action page."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from channelhub.admin.base import TenantScopedInline
from channelhub.tenancy.roles import STAFF_ROLES
from channelhub.tenancy.workflow import IllegalTransition

ACTION_TEMPLATE = "recruitment/admin/action_form.html"


# What a service may refuse one row of a bulk action with; the other rows go on.
REFUSALS = (ValidationError, IllegalTransition, PermissionDenied)


def _staff_roles(permission) -> frozenset[str]:
    """Who may change a page: the permission's roles (the admin is for tenant staff only)."""
    return permission.roles & STAFF_ROLES


def _report(request, done: int, refused: list[str], message: str) -> None:
    if done:
        messages.success(request, message % {"count": done})
    for line in refused:
        messages.error(request, line)


def _bulk(request, rows, apply, message) -> None:
    """Apply one service call to each row of a bulk action and report how it went.

    A service's refusal of one row (``REFUSALS``) is reported with the row and the others go on;
    ``apply`` returns False for a row it had nothing to do for (not counted). ``message(n)`` is
    the success line for ``n`` rows.
    """
    done, refused = 0, []
    for row in rows:
        try:
            if apply(row) is not False:
                done += 1
        except REFUSALS as error:
            refused.append(f"{row}: {_errors(error)}")
    _report(request, done, refused, message(done))


def _errors(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, IllegalTransition):
        return error.message
    return str(error)


def _action_form(modeladmin, request, queryset, *, form, title: str, action: str, button: str):
    """Render the intermediate page of an admin action (choose reviewers, write a comment…)."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.model._meta,
        "form": form,
        "objects": queryset,
        "action": action,
        "button": button,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, ACTION_TEMPLATE, context)


# --------------------------------------------------------------------------- forms of the actions


class ReadOnlyInline(TenantScopedInline):
    """Records in their own right: shown on the application, written only by services."""

    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class YesNoFilter(admin.SimpleListFilter):
    """A yes / no list filter: subclasses say which rows are "yes" with ``yes_lookup``."""

    yes_lookup: dict = {}  # e.g. {"has_duplicates": True}; "no" is its negation

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(**self.yes_lookup)
        if self.value() == "no":
            return queryset.exclude(**self.yes_lookup)
        return queryset
