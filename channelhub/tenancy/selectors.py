"""Read queries about tenants and memberships.

These run before a tenant is chosen (to choose it), so they use ``all_tenants`` on purpose
and always filter by the user.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from .models import Invitation, Membership, Tenant, User
from .roles import PARTNER_ROLES, STAFF_ROLES


def memberships_of(user: User) -> QuerySet[Membership]:
    """The user's active memberships in active tenants, across tenants."""
    return (
        Membership.all_tenants.filter(user=user, is_active=True, tenant__is_active=True)
        .select_related("tenant")  # read on every request: the partner is needed by id only
        .order_by("tenant__name", "role")
    )


def tenants_of(user: User, memberships: Iterable[Membership] | None = None) -> list[Tenant]:
    """Tenants the user may switch to: superusers may enter any active tenant.

    ``memberships``: the user's ``memberships_of`` rows when the caller has read them already
    (a request reads them once for both the tenant and the access).
    """
    if user.is_superuser:
        return list(Tenant.objects.filter(is_active=True))
    seen: dict[int, Tenant] = {}
    for membership in memberships_of(user) if memberships is None else memberships:
        seen.setdefault(membership.tenant_id, membership.tenant)
    return list(seen.values())


def staff_memberships() -> QuerySet[Membership]:
    """Active staff memberships of the current tenant (the scoped manager: no tenant, no rows)."""
    return Membership.objects.filter(role__in=STAFF_ROLES, is_active=True)


def is_tenant_staff(user: User | int | None) -> bool:
    """Whether ``user`` (or a user id) holds an active staff role in the current tenant: one query."""
    if user is None:
        return False
    return staff_memberships().filter(user_id=user if isinstance(user, int) else user.pk).exists()


def staff_users() -> QuerySet[User]:
    """Users holding an active staff role in the current tenant, by username (owners, reviewers…)."""
    return User.objects.filter(pk__in=staff_memberships().values("user_id")).order_by("username")


@dataclass(frozen=True)
class Access:
    """What a user may do in one tenant: their roles there and, for partner staff, the partner."""

    tenant: Tenant
    roles: frozenset[str]
    partner_id: int | None = None
    is_superuser: bool = False

    @property
    def is_staff(self) -> bool:
        return self.is_superuser or bool(self.roles & STAFF_ROLES)

    @property
    def is_partner(self) -> bool:
        return not self.is_staff and bool(self.roles & PARTNER_ROLES)

    def has_any(self, roles: Iterable[str]) -> bool:
        """Superusers act as owners inside the tenant they entered."""
        return self.is_superuser or bool(self.roles & frozenset(roles))


def access_for(user: User, tenant: Tenant, memberships: Iterable[Membership] | None = None) -> Access:
    rows = [m for m in (memberships_of(user) if memberships is None else memberships) if m.tenant_id == tenant.pk]
    partner_ids = {m.partner_id for m in rows if m.partner_id}
    return Access(
        tenant=tenant,
        roles=frozenset(m.role for m in rows),
        # A person works for one partner per tenant; staff roles win if both exist.
        partner_id=next(iter(partner_ids)) if len(partner_ids) == 1 else None,
        is_superuser=user.is_superuser,
    )


def resolve_tenant(
    user: User, wanted: int | str | None, memberships: Iterable[Membership] | None = None
) -> Tenant | None:
    """The tenant a request acts in: the wanted one (id or slug) if allowed, else the first."""
    if not user.is_authenticated or not user.is_active:
        return None
    candidates = tenants_of(user, memberships)
    if wanted not in (None, ""):
        for tenant in candidates:
            if str(tenant.pk) == str(wanted) or tenant.slug == wanted:
                return tenant
    return candidates[0] if candidates else None


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a link's token opens, in any tenant (the token names it), or None."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.all_tenants.select_related("tenant", "partner", "invited_by")
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )


def invitation_has_account(invitation: Invitation) -> bool:
    """Whether the invited address already has an account (asked for the invitee only)."""
    return User.objects.filter(email__iexact=invitation.email.strip()).exists()


_AUDIT_IGNORED = {"updated_at"}


def history_changes(record) -> list[dict[str, str]]:
    """Field-by-field changes of one history row against the row before it.

    simple-history's ``diff_against`` skips non-editable fields (such as workflow states,
    which only services change); the audit trail must show those above all.
    """
    previous = record.prev_record
    if previous is None:
        return []
    changes = []
    for field in record.instance_type._meta.concrete_fields:
        if field.attname in _AUDIT_IGNORED or field.primary_key:
            continue
        old, new = getattr(previous, field.attname, None), getattr(record, field.attname, None)
        if old != new:
            changes.append({"field": field.name, "old": "" if old is None else str(old),
                            "new": "" if new is None else str(new)})
    return changes
