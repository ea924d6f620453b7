"""Who may do what: one table of permissions, checked by every surface and again by services.

A permission is a named use case ("partners.transition", "recruitment.plan.manage") with the
roles that may perform it. Apps declare theirs from their own package with ``declare()``;
nothing is allowed unless a permission names the role (deny by default).

Surfaces ask ``request_may(request, code)`` to decide what to offer (admin actions and
buttons, API permissions, portal views). Services call ``authorize(actor, code, tenant=…)``
before they change anything, so an admin action, an API call, a portal form and a task
cannot differ: a surface that forgets its gate still hits the service's.

Actors:
- a ``User`` acts with the roles of their active memberships in the tenant, or, for an API
  key's service user, the key's role (a revoked key has none);
- a superuser acts as an owner in the tenant they entered;
- ``None`` is the system itself (Celery jobs, the demo seed, the public application form,
  which has no signed-in person). Surfaces always pass the signed-in user.

A service that has authorized its use case and then calls other services as part of that
rule (an approved application creating its partner) wraps those calls in ``trusted()``: the
inner checks are skipped for that block only, visibly.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .roles import PARTNER_ROLES, Role

if TYPE_CHECKING:
    from .models import Tenant, User


@dataclass(frozen=True)
class Permission:
    code: str
    roles: frozenset[str]
    # What the permission lets someone do, in words ("change a partner's status").
    label: str | Promise


_permissions: dict[str, Permission] = {}
_trusted: ContextVar[bool] = ContextVar("channelhub_policy_trusted", default=False)


def declare(code: str, roles: Iterable[str], label: str | Promise) -> Permission:
    """Declare a permission (once, at import time of the app's ``permissions`` module)."""
    permission = Permission(code=code, roles=frozenset(roles), label=label)
    existing = _permissions.get(code)
    if existing is not None and existing != permission:
        raise ImproperlyConfigured(f"Permission {code!r} is declared twice with different roles.")
    _permissions[code] = permission
    return permission


def permission(code: str) -> Permission:
    try:
        return _permissions[code]
    except KeyError:
        raise ImproperlyConfigured(f"Unknown permission {code!r}: declare it first.") from None


def permissions() -> dict[str, Permission]:
    """Every declared permission (for the role matrix and documentation)."""
    return dict(_permissions)


def roles_for(code: str) -> frozenset[str]:
    return permission(code).roles


@dataclass(frozen=True)
class Actor:
    """What one person (or key) is in one tenant: roles there and, for partner staff, the partner."""

    roles: frozenset[str]
    partner_id: int | None = None
    is_superuser: bool = False


def actor_in(user: User, tenant: Tenant | int) -> Actor:
    """The user's roles in ``tenant``, read once per user object (a request's user lives one request)."""
    from .models import ApiKey, Membership

    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    cache = user.__dict__.setdefault("_policy_actor_cache", {})
    if tenant_id in cache:
        return cache[tenant_id]
    if user.is_superuser and user.is_active:
        found = Actor(roles=frozenset({Role.OWNER}), is_superuser=True)
    elif not user.is_active:
        found = Actor(roles=frozenset())
    else:
        rows = list(
            Membership.all_tenants.filter(
                user=user, tenant_id=tenant_id, is_active=True, tenant__is_active=True
            ).values_list("role", "partner_id")
        )
        roles = {role for role, _partner in rows}
        partners = {partner for _role, partner in rows if partner}
        key_role = (
            ApiKey.all_tenants.filter(
                service_user=user, tenant_id=tenant_id, revoked_at__isnull=True
            ).values_list("role", flat=True).first()
        )
        if key_role:
            roles.add(key_role)
        found = Actor(roles=frozenset(roles), partner_id=next(iter(partners)) if len(partners) == 1 else None)
    cache[tenant_id] = found
    return found


def forget_actor(user: User) -> None:
    """Drop the cached roles (after a membership of this user changed in the same request)."""
    user.__dict__.pop("_policy_actor_cache", None)


def _allows(actor: Actor, code: str, partner_id: int | None) -> bool:
    if actor.is_superuser:
        return True
    roles = actor.roles & roles_for(code)
    if not roles:
        return False
    if roles - PARTNER_ROLES:
        return True
    # Only partner roles grant it: then it is about the actor's own partner, never another's.
    return actor.partner_id is not None and (partner_id is None or partner_id == actor.partner_id)


def may(user: User | None, code: str, *, tenant: Tenant | int, partner=None) -> bool:
    """Whether ``user`` may perform ``code`` in ``tenant`` (for ``partner``, when it is about one)."""
    if user is None or _trusted.get():
        return True
    partner_id = partner if isinstance(partner, int) or partner is None else partner.pk
    return _allows(actor_in(user, tenant), code, partner_id)


def authorize(user: User | None, code: str, *, tenant: Tenant | int, partner=None) -> None:
    """Raise ``PermissionDenied`` (a 403, a form error, an admin message) unless ``may``."""
    if not may(user, code, tenant=tenant, partner=partner):
        raise PermissionDenied(
            _("You are not allowed to %(action)s.") % {"action": permission(code).label}
        )


def request_may(request, code: str, *, partner=None) -> bool:
    """The surfaces' question: may the signed-in user of this request do ``code`` here?

    Uses the access the middleware or API authentication resolved for the request, so it
    costs no query.
    """
    access = getattr(request, "access", None)
    if access is None:
        return False
    actor = Actor(roles=access.roles, partner_id=access.partner_id, is_superuser=access.is_superuser)
    partner_id = partner if isinstance(partner, int) or partner is None else partner.pk
    return _allows(actor, code, partner_id)


@contextmanager
def trusted() -> Iterator[None]:
    """Run sub-steps of a use case the caller has already authorized, without re-checking."""
    token = _trusted.set(True)
    try:
        yield
    finally:
        _trusted.reset(token)
