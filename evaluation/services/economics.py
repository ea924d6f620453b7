"""Channel cost and return (渠道成本控制): the tenant's cost rates, hand-recorded costs, and the monthly rollup.

Per partner and month, ``economics_compute`` writes one ``ChannelEconomics`` row: revenue
(``cooperation.sales_amount``, read through the KPI-input registry), margin (revenue × the
partner type's margin %), and cost by category — recruiting (the type's cost per new partner,
in the month the partner was created), training (trainee-days from a registered training input
× the type's rate), promotion support (MDF paid, from a registered cooperation input),
incentives paid (evaluation's own statements marked paid that month) and every hand-recorded
``CostEntry`` of the month by category. Inputs that are not registered count nothing.

The run is a constant number of statements, whatever the number of partners: one read per
input (set-based inputs answer one query), one GROUP BY for the statements, one for the
entries, one read of the partners, one DELETE of the month and batched INSERTs. A rerun of the
same month replaces its rows (idempotent per tenant and month) inside one transaction.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from channelhub import kpi_inputs
from channelhub.partners.models import Partner, PartnerStatus
from channelhub.partners.services import delete_guarded
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.jobs import Period
from channelhub.tenancy.models import Cadence, Tenant
from channelhub.tenancy.policy import authorize
from channelhub.tenancy.services import assign_fields, audited_save, require_same_tenant

from ..models import (
    ChannelEconomics,
    CostCategory,
    CostEntry,
    CostRate,
    IncentiveStatement,
    StatementState,
)
from ..permissions import COST_MANAGE, ECONOMICS_COMPUTE

CENT = Decimal("0.01")
# The figures other chapters offer (``channelhub.kpi_inputs``); the first registered name of each
# list is read. Evaluation never imports the chapters themselves.
REVENUE_INPUTS = ("cooperation.sales_amount",)
PROMOTION_INPUTS = ("cooperation.mdf_paid", "cooperation.mdf_paid_amount")
TRAINING_INPUTS = ("training.trainee_days", "training.attended_sessions")
# Partners that count in a month: every partner but prospects (not yet partners).
COUNTED = (PartnerStatus.ONBOARDING, PartnerStatus.ACTIVE, PartnerStatus.SUSPENDED, PartnerStatus.TERMINATED)
_FIXED = ("id", "tenant", "tenant_id")


def money(value) -> Decimal:
    """A figure as CNY with two decimals (inputs may answer floats)."""
    if value is None:
        return Decimal("0.00")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal("0.00")
    if not amount.is_finite():
        return Decimal("0.00")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def month_period(tenant: Tenant, period_key: str) -> Period:
    """The calendar month ``YYYY-MM`` in the tenant's time zone; a malformed key is a ``ValidationError``."""
    try:
        year, month = (int(part) for part in str(period_key).split("-"))
        start = datetime.datetime(year, month, 1, tzinfo=tenant.zone)
    except (TypeError, ValueError):
        raise ValidationError({"period_key": _("Enter a month as YYYY-MM.")}) from None
    if not 2000 <= year <= 2100:
        raise ValidationError({"period_key": _("Enter a month as YYYY-MM.")})
    end = start.replace(year=year + 1, month=1) if month == 12 else start.replace(month=month + 1)
    return Period(Cadence.MONTHLY, start, end, f"{year:04d}-{month:02d}")


def previous_month_key(today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    first = today.replace(day=1) - datetime.timedelta(days=1)
    return f"{first.year:04d}-{first.month:02d}"


def _first_input(names) -> str | None:
    registered = kpi_inputs.kpi_inputs()
    return next((name for name in names if name in registered), None)


def _read(names, tenant, period) -> dict[int, Decimal]:
    name = _first_input(names)
    if name is None:
        return {}
    return {int(partner_id): money(value) for partner_id, value in kpi_inputs.read(name, tenant, period).items()}


def _tenant(tenant) -> Tenant:
    return tenant if isinstance(tenant, Tenant) else Tenant.objects.get(pk=tenant)


def economics_compute(*, tenant, period_key: str, actor) -> int:
    """Write every partner's cost and return of the month ``period_key``, replacing an earlier run's rows.

    Rule: margin = revenue × margin % of the partner's type; total cost = recruiting + training +
    promotion + incentives paid + other; net return = margin − total cost; return on cost =
    margin ÷ total cost (none when nothing was spent). Partners with neither revenue nor cost are
    written too while they are active (from the month they were created), so the list shows who costs
    nothing and brings nothing; a partner with a figure in the month counts whatever its state.
    Returns the number of rows written.
    """
    authorize(actor, ECONOMICS_COMPUTE.code, tenant=tenant)
    tenant = _tenant(tenant)
    period = month_period(tenant, period_key)
    with tenant_scope(tenant, source="evaluation.economics"), transaction.atomic():
        rates = {rate.partner_type: rate for rate in CostRate.objects.all()}
        revenue = _read(REVENUE_INPUTS, tenant, period)
        promotion = _read(PROMOTION_INPUTS, tenant, period)
        trainee_days = _read(TRAINING_INPUTS, tenant, period)
        incentives = {
            partner_id: money(total) for partner_id, total in
            IncentiveStatement.objects.filter(state=StatementState.PAID, state_changed_at__gte=period.start,
                                              state_changed_at__lt=period.end)
            .values("partner_id").annotate(total=Sum("total")).values_list("partner_id", "total")
        }
        entries: dict[int, dict[str, Decimal]] = {}
        for partner_id, category, total in (
            CostEntry.objects.filter(period_key=period.key).values("partner_id", "category")
            .annotate(total=Sum("amount")).values_list("partner_id", "category", "total")
        ):
            entries.setdefault(partner_id, {})[category] = money(total)
        with_figures = set(revenue) | set(promotion) | set(trainee_days) | set(incentives) | set(entries)
        partners = Partner.objects.filter(status__in=COUNTED).values_list(
            "id", "partner_type", "region_id", "created_at", "status")
        now = timezone.now()
        rows = []
        zero = Decimal("0.00")
        for partner_id, partner_type, region_id, created_at, status in partners:
            # A partner with a figure in the month counts (records may predate its row: imports, the
            # demo); one without counts while active, from the month it was created.
            if partner_id not in with_figures and (status != PartnerStatus.ACTIVE or created_at >= period.end):
                continue
            rate = rates.get(partner_type)
            by_category = entries.get(partner_id, {})
            recruiting = by_category.get(CostCategory.RECRUITING, zero)
            if rate is not None and period.start <= created_at < period.end:
                recruiting += rate.recruiting_cost
            training = by_category.get(CostCategory.TRAINING, zero)
            if rate is not None and partner_id in trainee_days:
                training += money(trainee_days[partner_id] * rate.training_cost)
            promo = promotion.get(partner_id, zero) + by_category.get(CostCategory.PROMOTION, zero)
            paid = incentives.get(partner_id, zero) + by_category.get(CostCategory.INCENTIVES, zero)
            other = by_category.get(CostCategory.OTHER, zero)
            sales = revenue.get(partner_id, zero)
            margin = money(sales * rate.margin_percent / 100) if rate is not None else zero
            total = recruiting + training + promo + paid + other
            rows.append(ChannelEconomics(
                tenant_id=tenant.pk, partner_id=partner_id, partner_type=partner_type, region_id=region_id,
                period_key=period.key, revenue=sales, margin=margin, recruiting=recruiting, training=training,
                promotion=promo, incentives=paid, other=other, total_cost=total, net_return=margin - total,
                return_ratio=(margin / total).quantize(Decimal("0.0001")) if total > 0 else None,
                computed_at=now,
            ))
        ChannelEconomics.objects.filter(period_key=period.key).delete()
        ChannelEconomics.objects.bulk_create(rows, batch_size=1000)
        return len(rows)


# --------------------------------------------------------------------------- cost rates and entries


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if name not in _FIXED}


def _create(model, *, tenant, actor, fields: dict[str, Any]):
    authorize(actor, COST_MANAGE.code, tenant=tenant)
    fields = _clean(fields)
    require_same_tenant(tenant, *[v for v in fields.values() if hasattr(v, "tenant_id")])
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    with tenant_scope(tenant_id, source="evaluation.costs"), transaction.atomic():
        return audited_save(assign_fields(model(tenant_id=tenant_id), fields), actor=actor, reason=_("Created"))


def _update(instance, *, actor, fields: dict[str, Any]):
    authorize(actor, COST_MANAGE.code, tenant=instance.tenant_id)
    fields = _clean(fields)
    require_same_tenant(instance.tenant_id, *[v for v in fields.values() if hasattr(v, "tenant_id")])
    with tenant_scope(instance.tenant_id, source="evaluation.costs"), transaction.atomic():
        return audited_save(assign_fields(instance, fields), actor=actor, reason=_("Updated"))


def _delete(instance, *, actor) -> None:
    authorize(actor, COST_MANAGE.code, tenant=instance.tenant_id)
    with tenant_scope(instance.tenant_id, source="evaluation.costs"):
        delete_guarded(instance, actor=actor)


def cost_rate_create(*, tenant, actor, **fields) -> CostRate:
    """A partner type's margin % and unit costs (one row per type): owners and finance."""
    return _create(CostRate, tenant=tenant, actor=actor, fields=fields)


def cost_rate_update(*, rate: CostRate, actor, **fields) -> CostRate:
    return _update(rate, actor=actor, fields=fields)


def cost_rate_delete(*, rate: CostRate, actor) -> None:
    _delete(rate, actor=actor)


def cost_entry_create(*, tenant, actor, **fields) -> CostEntry:
    """A channel cost recorded by hand for one partner and month: owners and finance."""
    return _create(CostEntry, tenant=tenant, actor=actor, fields=fields)


def cost_entry_update(*, entry: CostEntry, actor, **fields) -> CostEntry:
    return _update(entry, actor=actor, fields=fields)


def cost_entry_delete(*, entry: CostEntry, actor) -> None:
    _delete(entry, actor=actor)
