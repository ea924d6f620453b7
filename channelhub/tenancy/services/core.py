"""Writes about tenants, memberships and API keys. Each function is one use case."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from ..context import tenant_scope
from ..jobs import ensure_job_schedules
from ..models import ApiKey, JobSchedule, Membership, Tenant, User
from ..permissions import API_KEY_MANAGE, JOB_MANAGE, MEMBERSHIP_MANAGE, PARTNER_STAFF_MANAGE
from ..policy import authorize, forget_actor, may
from ..roles import PARTNER_ROLES, Role


def tenant_create(
    *, name: str, slug: str, default_language: str = "zh-hans", time_zone: str = "Asia/Shanghai"
) -> Tenant:
    """A new tenant with its periodic jobs scheduled (cadences are data, editable later)."""
    with transaction.atomic():
        tenant = Tenant(name=name, slug=slug, default_language=default_language, time_zone=time_zone)
        tenant.full_clean()
        tenant.save()
        with tenant_scope(tenant, source="tenant_create"):
            ensure_job_schedules(tenant)
    return tenant


def require_same_tenant(tenant: Tenant | int, *objects) -> None:
    """Refuse objects of another tenant handed to a service (worded as if they did not exist)."""
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    for obj in objects:
        if obj is not None and getattr(obj, "tenant_id", tenant_id) != tenant_id:
            raise ValidationError(_("Select a valid choice. That choice does not exist."))


def assign_fields(instance, fields: Mapping[str, Any]):
    """Set ``fields`` on ``instance`` (validated later by ``audited_save``); return it."""
    for name, value in fields.items():
        setattr(instance, name, value)
    return instance


@dataclass(frozen=True)
class Grant:
    membership: Membership
    created_user: bool


class MembershipConflict(ValidationError):
    """The person already works in the tenant as its staff or for another partner."""


def membership_ensure(
    *, tenant: Tenant, user: User, role: str, partner=None, actor: User | None, reason: str = ""
) -> Membership:
    """Give ``user`` ``role`` in ``tenant`` (reactivating it if it was revoked); return it.

    A person works for one partner per tenant: nobody is given a partner role while they are
    active staff of the tenant or of another partner (``MembershipConflict``).
    """
    require_same_tenant(tenant, partner)
    if role in PARTNER_ROLES and partner is None:
        raise ValidationError({"partner": _("Partner roles need a partner.")})
    with transaction.atomic(), tenant_scope(tenant, source="membership_ensure"):
        if role in PARTNER_ROLES and Membership.objects.filter(
            user=user, is_active=True
        ).exclude(role__in=PARTNER_ROLES, partner=partner).exists():
            raise MembershipConflict(
                _("This person already has access to this tenant for another company.")
            )
        membership = Membership.objects.select_for_update().filter(user=user, role=role).first()
        if membership is None:
            membership = Membership(user=user, role=role, partner=partner)
        membership.is_active = True
        membership.partner = partner if role in PARTNER_ROLES else None
        membership._history_user = actor
        membership._change_reason = reason or _("Role granted")
        membership.full_clean()
        membership.save()
    return membership


def membership_grant(
    *, tenant: Tenant, actor: User | None, email: str, role: str, partner=None,
    first_name: str = "", last_name: str = "", username: str | None = None,
    password: str | None = None, language: str = "", send_invitation: bool = True,
    base_url: str = "",
) -> Grant:
    """Give a person (found or created by email) a role in ``tenant``, at once.

    For trusted internal uses only (the demo seed, fixtures, platform scripts): it acts on an
    existing account without that person's consent. People invite others with
    ``invitation_create``, which changes nothing until the invitee accepts.

    A new user without a password gets an e-mail with a link to set one (``base_url``, e.g.
    ``https://prm.example.com``, makes the link absolute). Partner roles need a partner of
    the same tenant; staff roles have none; the rules of ``membership_ensure`` apply.
    """
    require_same_tenant(tenant, partner)
    email = email.strip().lower()
    if role in PARTNER_ROLES and partner is None:
        raise ValidationError({"partner": _("Partner roles need a partner.")})
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first() if email else None
        created = user is None
        if created:
            user = User(
                username=username or email, email=email, first_name=first_name,
                last_name=last_name, language=language,
            )
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.full_clean()
            user.save()
        with tenant_scope(tenant, source="membership_grant"):
            previous = Membership.objects.filter(user=user, role=role, is_active=True).exists()
            try:
                membership = membership_ensure(
                    tenant=tenant, user=user, role=role, partner=partner, actor=actor
                )
            except MembershipConflict as error:
                raise ValidationError({"email": error.messages}) from error
    newly_granted = not previous
    if send_invitation and not password and newly_granted:
        if user.has_usable_password():
            transaction.on_commit(lambda: send_access_granted_email(user=user, tenant=tenant, base_url=base_url))
        else:
            transaction.on_commit(lambda: send_invitation_email(user=user, tenant=tenant, base_url=base_url))
    return Grant(membership=membership, created_user=created)


def _authorize_membership_change(membership: Membership, actor: User | None) -> None:
    """Owners manage everyone's access; a partner administrator only their own company's staff."""
    if may(actor, MEMBERSHIP_MANAGE.code, tenant=membership.tenant_id):
        return
    if membership.role in PARTNER_ROLES:
        authorize(actor, PARTNER_STAFF_MANAGE.code, tenant=membership.tenant_id, partner=membership.partner_id)
    else:
        authorize(actor, MEMBERSHIP_MANAGE.code, tenant=membership.tenant_id)


def membership_deactivate(*, membership: Membership, actor: User | None, reason: str = "") -> Membership:
    """Revoke a role. Nobody revokes their own administrator or owner access (no lock-out by mistake)."""
    _authorize_membership_change(membership, actor)
    if actor is not None and membership.user_id == actor.pk and membership.role in (Role.PARTNER_ADMIN, Role.OWNER):
        raise PermissionDenied(_("You cannot deactivate your own administrator access."))
    membership.is_active = False
    membership._history_user = actor
    membership._change_reason = reason or _("Role revoked")
    membership.save(update_fields=["is_active"])
    return membership


def membership_reactivate(*, membership: Membership, actor: User | None) -> Membership:
    _authorize_membership_change(membership, actor)
    membership.is_active = True
    membership._history_user = actor
    membership._change_reason = _("Role restored")
    membership.save(update_fields=["is_active"])
    return membership


def membership_update(*, membership: Membership, actor: User | None, **fields: Any) -> Membership:
    """Change a role, its partner or whether it is active (owners only, from the admin)."""
    authorize(actor, MEMBERSHIP_MANAGE.code, tenant=membership.tenant_id)
    if actor is not None and membership.user_id == actor.pk and membership.role == Role.OWNER and (
        fields.get("role", Role.OWNER) != Role.OWNER or fields.get("is_active") is False
    ):
        raise PermissionDenied(_("You cannot deactivate your own administrator access."))
    saved = audited_save(assign_fields(membership, fields), actor=actor, reason=_("Role changed"))
    forget_actor(membership.user)
    return saved


def membership_delete(*, membership: Membership, actor: User | None) -> None:
    authorize(actor, MEMBERSHIP_MANAGE.code, tenant=membership.tenant_id)
    if actor is not None and membership.user_id == actor.pk and membership.role == Role.OWNER:
        raise PermissionDenied(_("You cannot deactivate your own administrator access."))
    audited_delete(membership, actor=actor, reason=_("Role revoked"))


def job_schedule_update(*, schedule: JobSchedule, actor: User | None, **fields: Any) -> JobSchedule:
    authorize(actor, JOB_MANAGE.code, tenant=schedule.tenant_id)
    return audited_save(assign_fields(schedule, fields), actor=actor, reason=_("Schedule changed"))


def job_schedule_run_now(*, schedule: JobSchedule, actor: User | None) -> None:
    """Start a tenant's periodic job now (outside its cadence); the job itself stays idempotent per period."""
    from channelhub.tasks import enqueue

    from ..tasks import run_tenant_job

    authorize(actor, JOB_MANAGE.code, tenant=schedule.tenant_id)
    enqueue(run_tenant_job, schedule.tenant_id, schedule.pk, timezone.now().isoformat())


def send_invitation_email(*, user: User, tenant: Tenant, base_url: str = "") -> None:
    """E-mail a set-your-password link, in the user's language (or the tenant's)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("portal:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    with translation.override(user.language or tenant.default_language):
        context = {"user": user, "tenant": tenant, "link": f"{base_url or settings.SITE_URL}{path}"}
        subject = _("You are invited to %(tenant)s on ChannelHub") % {"tenant": tenant.name}
        body = render_to_string("portal/email/invitation.txt", context)
    send_mail(subject, body, None, [user.email])


def send_access_granted_email(*, user: User, tenant: Tenant, base_url: str = "") -> None:
    """Tell someone who already has a password that they can now work in ``tenant``."""
    with translation.override(user.language or tenant.default_language):
        context = {"user": user, "tenant": tenant, "link": f"{base_url or settings.SITE_URL}{reverse('portal:login')}"}
        subject = _("You now have access to %(tenant)s on ChannelHub") % {"tenant": tenant.name}
        body = render_to_string("portal/email/access_granted.txt", context)
    send_mail(subject, body, None, [user.email])


def user_set_language(*, user: User, language: str) -> User:
    user.language = language
    user.save(update_fields=["language"])
    return user


@dataclass(frozen=True)
class IssuedKey:
    api_key: ApiKey
    secret: str  # shown once, never stored


def _refuse_api_key_actor(actor: User | None) -> None:
    """API keys are managed by people only: a key that could mint keys would survive its own
    revocation through the keys it made."""
    if actor is not None and ApiKey.all_tenants.filter(service_user_id=actor.pk).exists():
        raise PermissionDenied(_("An API key cannot create or revoke API keys; a tenant owner manages them."))


def api_key_create(*, tenant: Tenant, actor: User | None, name: str, role: str) -> IssuedKey:
    _refuse_api_key_actor(actor)
    authorize(actor, API_KEY_MANAGE.code, tenant=tenant)
    full_key, prefix, key_hash = ApiKey.generate()
    with transaction.atomic(), tenant_scope(tenant, source="api_key_create"):
        service_user = User(username=f"api-key-{tenant.slug}-{prefix}", first_name=name[:150])
        service_user.set_unusable_password()
        service_user.save()
        api_key = ApiKey(
            name=name, role=role, prefix=prefix, key_hash=key_hash, created_by=actor,
            service_user=service_user,
        )
        api_key._history_user = actor
        api_key.full_clean()
        api_key.save()
    return IssuedKey(api_key=api_key, secret=full_key)


def api_key_revoke(*, api_key: ApiKey, actor: User | None) -> ApiKey:
    _refuse_api_key_actor(actor)
    authorize(actor, API_KEY_MANAGE.code, tenant=api_key.tenant_id)
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        User.objects.filter(pk=api_key.service_user_id).update(is_active=False)
        api_key._history_user = actor
        api_key._change_reason = _("Revoked")
        api_key.save(update_fields=["revoked_at"])
    return api_key


def api_key_authenticate(full_key: str) -> ApiKey | None:
    """The active key matching ``full_key``, across tenants (the key names its tenant)."""
    prefix = ApiKey.split(full_key)
    if prefix is None:
        return None
    for candidate in ApiKey.all_tenants.select_related("tenant").filter(
        prefix=prefix, revoked_at__isnull=True, tenant__is_active=True
    ):
        if candidate.matches(full_key):
            now = timezone.now()
            # Touch at most once a minute: authentication should not write on every call.
            if candidate.last_used_at is None or (now - candidate.last_used_at).total_seconds() > 60:
                ApiKey.all_tenants.filter(pk=candidate.pk).update(last_used_at=now)
            return candidate
    return None


def audited_save(instance, *, actor: User | None, reason: str = "", update_fields=None):
    """Validate and save a tenant-owned row, recording who changed it and why."""
    instance.full_clean()
    if actor is not None:
        instance._history_user = actor
    if reason:
        instance._change_reason = reason
    instance.save(update_fields=update_fields)
    return instance


def audited_delete(instance, *, actor: User | None, reason: str = "") -> None:
    if actor is not None:
        instance._history_user = actor
    if reason:
        instance._change_reason = reason
    instance.delete()
