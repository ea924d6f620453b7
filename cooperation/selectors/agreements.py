"""Reads about agreement templates and agreements (annotated, prefetched, constant queries)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from channelhub.partners.models import Partner

from ..models import (
    IN_FORCE,
    PARTNER_HAS_SIGNED,
    Agreement,
    AgreementState,
    AgreementTemplate,
    AgreementVersion,
    CooperationSettings,
    LegalReview,
    Signature,
    TemplateClause,
    TemplateStatus,
)


def template_list() -> QuerySet[AgreementTemplate]:
    return AgreementTemplate.objects.select_related("region").annotate(clause_count=Count("clauses"))


def template_clauses(template: AgreementTemplate) -> QuerySet[TemplateClause]:
    return TemplateClause.objects.filter(template=template).order_by("order", "pk")


def template_for(partner: Partner) -> AgreementTemplate | None:
    """The published template that fits ``partner`` best (type and region; priority, then most specific).

    A template for the partner's type beats one for every type; a template for a region the
    partner lies in beats one for every region, a deeper region a shallower one.
    """
    path = partner.region.path if partner.region_id else ""
    candidates = (
        AgreementTemplate.objects.filter(status=TemplateStatus.PUBLISHED)
        .filter(Q(partner_type="") | Q(partner_type=partner.partner_type))
        .select_related("region")
    )
    best, best_key = None, None
    for template in candidates:
        if template.region_id and not path.startswith(template.region.path):
            continue
        depth = template.region.path.count("/") if template.region_id else 0
        key = (template.priority, bool(template.partner_type), depth, template.version)
        if best_key is None or key > best_key:
            best, best_key = template, key
    return best


def current_template_of(code: str) -> AgreementTemplate | None:
    return AgreementTemplate.objects.filter(code=code, status=TemplateStatus.PUBLISHED).order_by("-version").first()


def agreement_list(*, partner_id: int | None = None) -> QuerySet[Agreement]:
    queryset = Agreement.objects.select_related("partner", "template", "current_version")
    if partner_id is not None:
        queryset = queryset.filter(partner_id=partner_id)
    return queryset


def agreement_detail(pk: int, *, partner_id: int | None = None) -> Agreement:
    return (
        agreement_list(partner_id=partner_id)
        .prefetch_related(
            Prefetch("versions", queryset=AgreementVersion.objects.order_by("-number").prefetch_related(
                Prefetch("reviews", queryset=LegalReview.objects.select_related("reviewer")))),
            Prefetch("signatures", queryset=Signature.objects.select_related("version").order_by("signed_at", "pk")),
        )
        .get(pk=pk)
    )


def valid_signatures(agreement: Agreement) -> list[Signature]:
    return list(
        Signature.objects.filter(agreement=agreement, version_id=agreement.current_version_id, voided_at__isnull=True)
        .order_by("signed_at", "pk")
    )


def has_signed_agreement(partner_id: int) -> bool:
    return Agreement.objects.filter(partner_id=partner_id, state__in=PARTNER_HAS_SIGNED).exists()


def agreements_in_force(partner_id: int) -> QuerySet[Agreement]:
    return Agreement.objects.filter(partner_id=partner_id, state__in=IN_FORCE)


def awaiting_signature(partner_id: int) -> QuerySet[Agreement]:
    return agreement_list(partner_id=partner_id).filter(state=AgreementState.SENT)


def expiring_soon(*, today: datetime.date, days: int) -> QuerySet[Agreement]:
    return Agreement.objects.filter(state__in=IN_FORCE, end_date__lte=today + datetime.timedelta(days=days))


def settings_of_tenant() -> CooperationSettings | None:
    return CooperationSettings.objects.first()


def reminder_days() -> int:
    row = settings_of_tenant()
    return row.reminder_days if row else 30
