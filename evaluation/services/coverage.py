"""Coverage (渠道布置): the tenant's coverage targets and the rollup of their gaps.

A target names a region, a partner type (and, as a label, a product line), the number of active
partners wanted there and the market's estimated weight. ``coverage_compute`` counts the active
partners of each type in each region's subtree (one GROUP BY over the partners, whatever their
number) and rewrites every ``CoverageGap`` row: gap = wanted − active (never below zero), weighted
gap = gap ÷ wanted × market estimate (the share of that market nobody covers). Gaps feed
recruitment plans through the coverage page's link and its CSV/XLSX export (recruitment is another
chapter: evaluation never imports it).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from channelhub.partners.models import Partner, PartnerStatus
from channelhub.partners.services import delete_guarded
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.policy import authorize
from channelhub.tenancy.services import assign_fields, audited_save, require_same_tenant

from ..models import CoverageGap, CoverageTarget
from ..permissions import COVERAGE_MANAGE

_FIXED = ("id", "tenant", "tenant_id")


def coverage_compute(*, tenant, actor) -> int:
    """Rewrite the coverage gaps of every target of the tenant from its active partners; return how many."""
    authorize(actor, COVERAGE_MANAGE.code, tenant=tenant)
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    with tenant_scope(tenant_id, source="evaluation.coverage"), transaction.atomic():
        counts: dict[str, dict[str, int]] = {}
        for path, partner_type, n in (
            Partner.objects.filter(status=PartnerStatus.ACTIVE).values("region__path", "partner_type")
            .annotate(n=Count("id")).values_list("region__path", "partner_type", "n")
        ):
            counts.setdefault(partner_type, {})[path or ""] = n
        now = timezone.now()
        rows = []
        for target in CoverageTarget.objects.select_related("region"):
            prefix = target.region.path
            active = sum(n for path, n in counts.get(target.partner_type, {}).items() if path.startswith(prefix))
            gap = max(target.wanted - active, 0)
            weighted = (Decimal(gap) / Decimal(target.wanted) * target.market_weight).quantize(Decimal("0.01"))
            rows.append(CoverageGap(
                tenant_id=tenant_id, target=target, region_id=target.region_id, partner_type=target.partner_type,
                product_category=target.product_category, active=active, wanted=target.wanted, gap=gap,
                market_weight=target.market_weight, weighted_gap=weighted, computed_at=now,
            ))
        CoverageGap.objects.all().delete()
        CoverageGap.objects.bulk_create(rows, batch_size=1000)
        return len(rows)


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if name not in _FIXED}


def coverage_target_create(*, tenant, actor, **fields) -> CoverageTarget:
    """A coverage target (region × partner type [× product line]): owners and channel managers."""
    authorize(actor, COVERAGE_MANAGE.code, tenant=tenant)
    fields = _clean(fields)
    require_same_tenant(tenant, *[v for v in fields.values() if hasattr(v, "tenant_id")])
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    with tenant_scope(tenant_id, source="evaluation.coverage"), transaction.atomic():
        return audited_save(assign_fields(CoverageTarget(tenant_id=tenant_id), fields), actor=actor,
                            reason=_("Created"))


def coverage_target_update(*, target: CoverageTarget, actor, **fields) -> CoverageTarget:
    authorize(actor, COVERAGE_MANAGE.code, tenant=target.tenant_id)
    fields = _clean(fields)
    require_same_tenant(target.tenant_id, *[v for v in fields.values() if hasattr(v, "tenant_id")])
    with tenant_scope(target.tenant_id, source="evaluation.coverage"), transaction.atomic():
        return audited_save(assign_fields(target, fields), actor=actor, reason=_("Updated"))


def coverage_target_delete(*, target: CoverageTarget, actor) -> None:
    authorize(actor, COVERAGE_MANAGE.code, tenant=target.tenant_id)
    with tenant_scope(target.tenant_id, source="evaluation.coverage"):
        delete_guarded(target, actor=actor)
