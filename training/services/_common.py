"""Helpers the training services share: the tenant scope, who a trainee is, guarded deletes."""

from __future__ import annotations

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from channelhub.partners import services as partner_services
from channelhub.partners.models import Partner
from channelhub.tenancy.context import TenantScopeError, current_context, tenant_scope
from channelhub.tenancy.models import Membership, Tenant, User
from channelhub.tenancy.roles import PARTNER_ROLES, STAFF_ROLES


@contextmanager
def scope(tenant: Tenant | int):
    """Run inside ``tenant``'s scope: enter it when none is set (jobs, demo), refuse another."""
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    context = current_context()
    if context is None:
        with tenant_scope(tenant_id, source="training"):
            yield
        return
    if context.tenant_id != tenant_id:
        raise TenantScopeError(f"Writing tenant {tenant_id}'s training data inside tenant {context.tenant_id}.")
    yield


def trainee_partner(user: User) -> Partner | None:
    """The partner ``user`` works for (None for the tenant's own staff); refuse anyone else.

    Trainees are partner staff and the tenant's own staff: an active membership here decides.
    """
    roles = list(
        Membership.objects.filter(user=user, is_active=True).values_list("role", "partner_id")
    )
    if any(role in STAFF_ROLES for role, _partner in roles):
        return None
    partner_ids = {partner for role, partner in roles if role in PARTNER_ROLES and partner}
    if len(partner_ids) != 1:
        raise ValidationError({"trainee": _("Choose a member of this tenant's staff or of one of its partners.")})
    return Partner.objects.get(pk=partner_ids.pop())


def delete_guarded(instance, *, actor: User | None) -> None:
    partner_services.delete_guarded(instance, actor=actor)


def require_prerequisites(course, trainee: User) -> None:
    """Refuse when ``trainee`` has not completed every course ``course`` requires (前置课程)."""
    from ..models import Course, CourseCompletion, CoursePrerequisite

    required = CoursePrerequisite.objects.filter(course=course).values("required_id")
    done = CourseCompletion.objects.filter(trainee=trainee).values("course_id")
    missing = list(Course.objects.filter(pk__in=required).exclude(pk__in=done).order_by("code"))
    if missing:
        raise ValidationError(_("Complete %(courses)s first.") % {
            "courses": ", ".join(str(course) for course in missing)})
