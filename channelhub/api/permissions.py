"""Deny by default: a view names the roles that may read and write it."""

from __future__ import annotations

from rest_framework import permissions

from channelhub.tenancy.roles import PARTNER_ROLES


class HasTenantRole(permissions.BasePermission):
    """The caller acts in a tenant and holds one of the roles the view admits.

    Views declare ``read_roles`` and ``write_roles`` (frozensets of ``Role``). A view with
    neither admits nobody. Partner roles must also be scoped by the view (see
    ``TenantScopedViewSet.partner_lookup``).
    """

    def has_permission(self, request, view) -> bool:
        access = getattr(request, "access", None)
        if access is None:
            return False
        if request.method in permissions.SAFE_METHODS:
            roles = getattr(view, "read_roles", frozenset()) | getattr(
                view, "write_roles", frozenset()
            )
        else:
            roles = getattr(view, "write_roles", frozenset())
        action_roles = getattr(view, "action_roles", {}).get(getattr(view, "action", None))
        if action_roles is not None:
            roles = action_roles
        if access.is_superuser:
            return True
        return bool(access.roles & roles) and (
            not (access.roles & roles) <= PARTNER_ROLES or access.partner_id is not None
        )


class IsAuthenticatedUser(permissions.BasePermission):
    """For views about the caller themself (``/me/``): any signed-in user or key."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated)
