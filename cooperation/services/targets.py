"""Joint targets: proposed by either side, agreed by both; the partner's approval locks them.

``target_propose`` creates or changes a target for one side (managers for the vendor, the
partner's administrator for the partner): the figures are saved as a new revision, the
proposer's approval is recorded and the other side's cleared, so an agreed target that
changes needs both sides again. ``target_approve`` is the other side's yes: with both
approvals the target is agreed. The state moves with a compare-and-swap, so two approvals at
once cannot both win over a change made meanwhile.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from channelhub.partners.models import Partner
from channelhub.tenancy.models import Tenant, User
from channelhub.tenancy.policy import actor_in, authorize
from channelhub.tenancy.services import audited_save

from ..models import (
    SPAN_MONTHS,
    SalesTarget,
    TargetMonth,
    TargetSide,
    TargetSpan,
    TargetState,
    month_start,
    next_month,
)
from ..permissions import TARGET_PARTNER, TARGET_VENDOR

CENT = Decimal("0.01")


def side_of(actor: User | None, tenant_id: int) -> str:
    """Which side ``actor`` speaks for (the system speaks for the vendor)."""
    if actor is None:
        return TargetSide.VENDOR
    return TargetSide.PARTNER if actor_in(actor, tenant_id).partner_id is not None else TargetSide.VENDOR


def _authorize(actor: User | None, tenant_id: int, partner_id: int, side: str) -> None:
    code = TARGET_PARTNER.code if side == TargetSide.PARTNER else TARGET_VENDOR.code
    authorize(actor, code, tenant=tenant_id, partner=partner_id)


def target_key(span: str, start: datetime.date) -> str:
    if span == TargetSpan.YEAR:
        return str(start.year)
    if span == TargetSpan.QUARTER:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return start.strftime("%Y-%m")


def target_months(span: str, start: datetime.date) -> list[datetime.date]:
    months, month = [], start
    for _step in range(SPAN_MONTHS[span]):
        months.append(month)
        month = next_month(month)
    return months


def _normalise_start(span: str, start: datetime.date) -> datetime.date:
    start = month_start(start)
    if span == TargetSpan.YEAR:
        return start.replace(month=1)
    if span == TargetSpan.QUARTER:
        return start.replace(month=(start.month - 1) // 3 * 3 + 1)
    return start


def _breakdown(amount: Decimal, months: list[datetime.date], given: dict | None) -> dict[datetime.date, Decimal]:
    """The monthly amounts: as given (they must sum to the amount), else even with the cents in the last month."""
    if given:
        cleaned = {}
        for month, value in given.items():
            try:
                month = month_start(month if isinstance(month, datetime.date) else datetime.date.fromisoformat(
                    str(month)[:7] + "-01"))
            except ValueError:
                raise ValidationError({"breakdown": _("Name each month as YYYY-MM.")}) from None
            if month not in months:
                raise ValidationError({"breakdown": _("%(month)s lies outside the target's period.")
                                       % {"month": month.strftime("%Y-%m")}})
            value = Decimal(str(value)).quantize(CENT)
            if value < 0:
                raise ValidationError({"breakdown": _("A month's amount cannot be negative.")})
            cleaned[month] = value
        result = {month: cleaned.get(month, Decimal(0)) for month in months}
        if sum(result.values()) != amount:
            raise ValidationError({"breakdown": _("The months add up to %(sum)s, not %(amount)s.")
                                   % {"sum": sum(result.values()), "amount": amount}})
        return result
    share = (amount / len(months)).quantize(CENT)
    result = dict.fromkeys(months, share)
    result[months[-1]] = amount - share * (len(months) - 1)
    return result


@transaction.atomic
def target_propose(*, tenant: Tenant, actor: User | None, partner: Partner, span: str = TargetSpan.YEAR,
                   start: datetime.date, amount: Decimal, category: str = "", plan: str = "", note: str = "",
                   breakdown: dict | None = None, target: SalesTarget | None = None) -> SalesTarget:
    """Propose a new target, or a change of ``target``, for the actor's side."""
    side = side_of(actor, tenant.pk)
    _authorize(actor, tenant.pk, partner.pk, side)
    if span not in SPAN_MONTHS:
        raise ValidationError({"span": _("Choose month, quarter or year.")})
    amount = Decimal(str(amount))
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({"amount": _("The target amount must be more than zero.")})
    if amount > Decimal("99999999999999.99"):
        raise ValidationError({"amount": _("The amount is too large.")})
    amount = amount.quantize(CENT)
    start = _normalise_start(span, start)
    months = target_months(span, start)
    monthly = _breakdown(amount, months, breakdown)
    now = timezone.now()
    if target is None:
        target = SalesTarget(tenant=tenant, partner=partner)
        reason = _("Proposed")
    else:
        target = SalesTarget.objects.select_for_update().get(pk=target.pk)
        if target.partner_id != partner.pk:
            raise ValidationError({"partner": _("A target stays with its partner.")})
        target.revision += 1
        reason = _("Changed: needs both sides again") if target.state == TargetState.AGREED else _("Changed")
    target.span, target.start, target.key = span, start, target_key(span, start)
    target.category, target.amount = (category or "").strip()[:100], amount
    target.plan, target.note = plan or "", (note or "")[:300]
    target.state, target.proposed_by = TargetState.PROPOSED, side
    if side == TargetSide.VENDOR:
        target.vendor_approved_by, target.vendor_approved_at = actor, now
        target.partner_approved_by, target.partner_approved_at = None, None
    else:
        target.partner_approved_by, target.partner_approved_at = actor, now
        target.vendor_approved_by, target.vendor_approved_at = None, None
    duplicate = SalesTarget.objects.filter(partner=partner, span=span, start=start,
                                           category=target.category).exclude(pk=target.pk).exists()
    if duplicate:
        raise ValidationError({"start": _("This partner has a target for this period and category; change it.")})
    audited_save(target, actor=actor, reason=reason)
    TargetMonth.objects.filter(target=target).delete()
    TargetMonth.objects.bulk_create([TargetMonth(target=target, partner_id=partner.pk, month=month, amount=value)
                                     for month, value in monthly.items()])
    return target


@transaction.atomic
def target_approve(*, target: SalesTarget, actor: User | None, revision: int | None = None) -> SalesTarget:
    """The other side's yes (naming the revision it read); with both approvals the target is agreed and locked."""
    side = side_of(actor, target.tenant_id)
    _authorize(actor, target.tenant_id, target.partner_id, side)
    target = SalesTarget.objects.select_for_update().get(pk=target.pk)
    if target.state == TargetState.AGREED:
        raise ValidationError(_("This target is agreed already."))
    if revision is not None and revision != target.revision:
        raise ValidationError(_("The target changed since you read it: read revision %(revision)s and approve "
                                "again.") % {"revision": target.revision})
    if side == target.proposed_by:
        raise ValidationError(_("Your side proposed this target: the other side agrees to it."))
    now = timezone.now()
    if side == TargetSide.VENDOR:
        target.vendor_approved_by, target.vendor_approved_at = actor, now
    else:
        target.partner_approved_by, target.partner_approved_at = actor, now
    target.state = TargetState.AGREED
    return audited_save(target, actor=actor, reason=_("Agreed by both sides"))


def target_update(*, target: SalesTarget, actor: User | None, **fields: Any) -> SalesTarget:
    """A change of the figures is a new proposal (see ``target_propose``)."""
    values = {"span": target.span, "start": target.start, "amount": target.amount, "category": target.category,
              "plan": target.plan, "note": ""}
    values.update({k: v for k, v in fields.items() if k in (*values, "breakdown")})
    partner = Partner.objects.get(pk=target.partner_id)
    return target_propose(tenant=target.tenant, actor=actor, partner=partner, target=target, **values)
