"""Start-up checks that keep the admin's rules from being forgotten by a new page.

- Every changelist action declares its permissions (``@admin.action(permissions=[...])``);
  ``RoleGate`` offers an undeclared action to nobody, so one would silently vanish.
- Every tenant-owned admin that can add, change or delete rows does it through the app's
  services (``create_object`` / ``update_object`` / ``delete_object``), which check the
  actor again and keep the rules that live only there.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import admin
from django.core.checks import Error, register

from channelhub.tenancy.roles import ALL_ROLES
from channelhub.tenancy.selectors import Access

from .base import RoleGate, TenantScopedAdmin, TenantScopedInline

_HOOKS = (
    ("has_add_permission", "create_object"),
    ("has_change_permission", "update_object"),
    ("has_delete_permission", "delete_object"),
)


def _everyone():
    """A request whose access passes every role gate: what could this page ever allow?"""
    access = Access(tenant=None, roles=frozenset(ALL_ROLES), is_superuser=True)
    return SimpleNamespace(access=access, user=SimpleNamespace(is_superuser=True, is_active=True))


def _missing_hooks(owner, base) -> list[str]:
    request = _everyone()
    missing = []
    for permission, hook in _HOOKS:
        try:
            allowed = getattr(owner, permission)(request, None)
        except TypeError:
            allowed = getattr(owner, permission)(request)
        declared = getattr(owner, "writes", None) is not None  # channelhub.writes.ServiceTrio
        if allowed and getattr(type(owner), hook) is getattr(base, hook) and not declared:
            missing.append(hook)
    return missing


@register()
def check_admin_writes(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    for model, model_admin in admin.site._registry.items():
        label = f"{type(model_admin).__module__}.{type(model_admin).__qualname__}"
        if isinstance(model_admin, RoleGate):
            for func, name, _description in model_admin._get_base_actions():
                if not getattr(func, "allowed_permissions", None):
                    errors.append(Error(
                        f"Admin action {name!r} of {label} declares no permissions.",
                        hint="Use @admin.action(permissions=[...]) with a has_<name>_permission method.",
                        obj=type(model_admin), id="channelhub.E001",
                    ))
        if isinstance(model_admin, TenantScopedAdmin):
            for hook in _missing_hooks(model_admin, TenantScopedAdmin):
                errors.append(Error(
                    f"{label} lets people write {model._meta.label} but has no {hook}().",
                    hint="Call the app's service there, so the admin cannot bypass its checks and rules.",
                    obj=type(model_admin), id="channelhub.E002",
                ))
            for inline_class in model_admin.inlines:
                if issubclass(inline_class, TenantScopedInline):
                    inline = inline_class(model, admin.site)
                    for hook in _missing_hooks(inline, TenantScopedInline):
                        errors.append(Error(
                            f"Inline {inline_class.__qualname__} of {label} has no {hook}().",
                            obj=inline_class, id="channelhub.E002",
                        ))
    return errors
