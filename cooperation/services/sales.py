"""Sales reporting (销售数据): every row checked, nothing half-imported, corrections kept.

``sales_import`` is the one way figures come in (portal form, file upload, API, demo): it
checks every row first and answers a row-level report (line, column, message); with any
error, or with ``dry_run``, nothing is written. A commit is one transaction under the
partner's row lock: new lines are bulk-inserted, corrected lines stop being current and the
new line points at them, and the partner's reporting status per period records whether the
report came before the deadline. An idempotency key makes a repeated API call answer the
first report instead of importing twice.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from channelhub.partners.models import Partner, Product, Region
from channelhub.tenancy.models import Tenant, User
from channelhub.tenancy.policy import authorize
from channelhub.tenancy.services import assign_fields, audited_save

from ..models import (
    Currency,
    ReportingStatus,
    SalesLine,
    SalesPeriod,
    SalesReport,
    SalesSource,
    default_deadline,
    month_start,
)
from ..permissions import SALES_MANAGE, SALES_REPORT

MAX_AMOUNT = Decimal("99999999999999.99")
MAX_QUANTITY = 2_000_000_000
PREVIEW_ROWS = 50
BATCH = 2000
TRUE_WORDS = {"1", "y", "yes", "true", "x", "是", "更正"}


class IdempotencyConflict(Exception):
    """The idempotency key was used before with other rows (the API answers 409)."""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


@dataclass(frozen=True)
class ParsedRow:
    line: int
    month: datetime.date
    product_id: int
    region_id: int
    quantity: int
    amount: Decimal
    currency: str
    end_customers: int
    correction: bool
    reason: str
    # for the preview
    sku: str = ""
    region_code: str = ""


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    rows: list[ParsedRow] = field(default_factory=list)
    report: SalesReport | None = None
    replayed: bool = False  # the idempotency key named an earlier report: nothing new was imported
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def line_count(self) -> int:
        return len(self.rows)

    @property
    def correction_count(self) -> int:
        return sum(1 for row in self.rows if row.correction)

    @property
    def preview(self) -> list[ParsedRow]:
        return self.rows[:PREVIEW_ROWS]

    def totals(self) -> list[tuple[str, int, Decimal]]:
        """(currency, quantity, amount) over every row, per currency."""
        sums: dict[str, list] = {}
        for row in self.rows:
            entry = sums.setdefault(row.currency, [0, Decimal(0)])
            entry[0] += row.quantity
            entry[1] += row.amount
        return [(currency, qty, amount) for currency, (qty, amount) in sorted(sums.items())]

    def error_dict(self) -> dict:
        return {"rows": [{"line": e.line, "column": e.column, "message": e.message} for e in self.errors]}


# --------------------------------------------------------------------------- periods


def _tenant_today(tenant: Tenant) -> datetime.date:
    return timezone.now().astimezone(tenant.zone).date()


def periods_for(months: Iterable[datetime.date]) -> dict[datetime.date, SalesPeriod]:
    """The reporting periods of these months, created with the default deadline when missing."""
    months = {month_start(m) for m in months}
    found = {p.month: p for p in SalesPeriod.objects.filter(month__in=months)}
    for month in sorted(months - set(found)):
        try:
            with transaction.atomic():
                period = SalesPeriod(month=month, deadline=default_deadline(month))
                found[month] = audited_save(period, actor=None, reason=_("Opened for reporting"))
        except (IntegrityError, ValidationError):  # created meanwhile by another report
            found[month] = SalesPeriod.objects.get(month=month)
    return found


@transaction.atomic
def sales_period_update(*, period: SalesPeriod, actor: User | None, **fields: Any) -> SalesPeriod:
    """Change a period's deadline or close / reopen it."""
    authorize(actor, SALES_MANAGE.code, tenant=period.tenant_id)
    assign_fields(period, {k: v for k, v in fields.items() if k in ("deadline", "is_closed")})
    if period.deadline and period.deadline < period.month:
        raise ValidationError({"deadline": _("The deadline lies before the period begins.")})
    return audited_save(period, actor=actor, reason=_("Updated"))


@transaction.atomic
def sales_period_create(*, tenant: Tenant, actor: User | None, month: datetime.date,
                        deadline: datetime.date | None = None, is_closed: bool = False) -> SalesPeriod:
    authorize(actor, SALES_MANAGE.code, tenant=tenant)
    month = month_start(month)
    if SalesPeriod.objects.filter(month=month).exists():
        raise ValidationError({"month": _("This period exists already.")})
    deadline = deadline or default_deadline(month)
    if deadline < month:
        raise ValidationError({"deadline": _("The deadline lies before the period begins.")})
    period = SalesPeriod(tenant=tenant, month=month, deadline=deadline, is_closed=is_closed)
    return audited_save(period, actor=actor, reason=_("Created"))


# --------------------------------------------------------------------------- checking rows


def _text(row: Mapping[str, Any], key: str) -> str:
    value = row.get(key)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet's 10.0
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%Y-%m")
    return str(value).replace("\x00", "").strip()  # PostgreSQL text holds no NUL


def _month(value: str) -> datetime.date:
    cleaned = value.replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "")
    parts = cleaned.split("-")
    try:
        if len(parts) < 2 or len(parts[0]) != 4:
            raise ValueError
        return datetime.date(int(parts[0]), int(parts[1]), 1)
    except (ValueError, OverflowError):
        raise ValidationError(_("Write the period as YYYY-MM, e.g. 2026-11.")) from None


def _whole(value: str, *, column_label: str) -> int:
    try:
        number = Decimal(value.replace(",", "")) if value else Decimal(0)
    except InvalidOperation:
        raise ValidationError(_("%(column)s must be a whole number.") % {"column": column_label}) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise ValidationError(_("%(column)s must be a whole number.") % {"column": column_label})
    if number < 0:
        raise ValidationError(_("%(column)s cannot be negative.") % {"column": column_label})
    if number > MAX_QUANTITY:
        raise ValidationError(_("%(column)s is too large.") % {"column": column_label})
    return int(number)


def _amount(value: str) -> Decimal:
    try:
        number = Decimal(value.replace(",", "").replace("¥", "").replace("￥", ""))
    except InvalidOperation:
        raise ValidationError(_("The amount must be a number, e.g. 12500.00.")) from None
    if not number.is_finite():
        raise ValidationError(_("The amount must be a number, e.g. 12500.00."))
    if number < 0:
        raise ValidationError(_("The amount cannot be negative."))
    if number > MAX_AMOUNT:
        raise ValidationError(_("The amount is too large."))
    if number != number.quantize(Decimal("0.01")):
        raise ValidationError(_("The amount has at most two decimal places."))
    return number.quantize(Decimal("0.01"))


@dataclass
class _Lookups:
    products: dict[str, int]
    regions: dict[str, int]
    periods: dict[datetime.date, SalesPeriod]
    current: set[tuple[int, int, int, int]]  # (period_id, product_id, region_id) of the partner's current lines
    this_month: datetime.date


def _lookups(partner: Partner, raw_rows: list[tuple[int, Mapping[str, Any]]], today: datetime.date) -> _Lookups:
    """Everything the checks need, in a fixed number of queries whatever the number of rows."""
    months = set()
    for _line, row in raw_rows:
        with contextlib.suppress(ValidationError):
            months.add(_month(_text(row, "period")))
    this_month = month_start(today)
    existing = {p.month: p for p in SalesPeriod.objects.filter(month__in=months)}
    current = set(SalesLine.objects.filter(partner=partner, is_current=True, month__in=months)
                  .values_list("period_id", "product_id", "region_id"))
    return _Lookups(
        products={sku.casefold(): pk for sku, pk in Product.objects.values_list("sku", "pk")},
        regions={code.casefold(): pk for code, pk in Region.objects.values_list("code", "pk")},
        periods=existing, current=current, this_month=this_month,
    )


COLUMN_LABELS = {
    "period": "period", "sku": "sku", "region": "region", "quantity": "quantity", "amount": "amount",
    "currency": "currency", "end_customers": "end_customers", "reason": "reason",
}


def _check_row(line: int, row: Mapping[str, Any], found: _Lookups, errors: list[RowError]) -> ParsedRow | None:
    problems: list[RowError] = []

    def check(column: str, function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except ValidationError as error:
            problems.append(RowError(line, column, " ".join(error.messages)))
            return None

    period_text = _text(row, "period")
    month = check("period", _month, period_text) if period_text else None
    if not period_text:
        problems.append(RowError(line, "period", _("The period is missing.")))
    elif month is not None:
        period = found.periods.get(month)
        if month > found.this_month:
            problems.append(RowError(line, "period", _("Sales of %(period)s cannot be reported yet.")
                                     % {"period": period_text}))
        elif period is not None and period.is_closed:
            problems.append(RowError(line, "period", _("The period %(period)s is closed.") % {"period": period.key}))
    sku = _text(row, "sku")
    product_id = found.products.get(sku.casefold()) if sku else None
    if not sku:
        problems.append(RowError(line, "sku", _("The product (SKU) is missing.")))
    elif product_id is None:
        problems.append(RowError(line, "sku", _("Unknown product “%(sku)s”.") % {"sku": sku[:64]}))
    region_code = _text(row, "region")
    region_id = found.regions.get(region_code.casefold()) if region_code else None
    if not region_code:
        problems.append(RowError(line, "region", _("The region is missing.")))
    elif region_id is None:
        problems.append(RowError(line, "region", _("Unknown region “%(code)s”.") % {"code": region_code[:32]}))
    quantity = check("quantity", _whole, _text(row, "quantity"), column_label=_("The quantity"))
    amount_text = _text(row, "amount")
    amount = check("amount", _amount, amount_text) if amount_text else None
    if not amount_text:
        problems.append(RowError(line, "amount", _("The amount is missing.")))
    currency = (_text(row, "currency") or Currency.CNY).upper()
    if currency not in Currency.values:
        problems.append(RowError(line, "currency", _("Unknown currency “%(currency)s”; use %(known)s.")
                                 % {"currency": currency[:8], "known": ", ".join(Currency.values)}))
    customers = check("end_customers", _whole, _text(row, "end_customers"), column_label=_("End customers"))
    correction = _text(row, "correction").casefold() in TRUE_WORDS
    reason = _text(row, "reason")[:300]
    if correction and not reason:
        problems.append(RowError(line, "reason", _("Say why the figure is corrected.")))
    if problems:
        errors.extend(problems)
        return None
    return ParsedRow(line=line, month=month, product_id=product_id, region_id=region_id, quantity=quantity,
                     amount=amount, currency=currency, end_customers=customers, correction=correction,
                     reason=reason, sku=sku, region_code=region_code)


def check_rows(partner: Partner, rows: Iterable[Mapping[str, Any]], *, first_line: int = 2,
               today: datetime.date | None = None) -> ImportResult:
    """Check every row (nothing is written): the parsed rows, or every problem by line and column."""
    today = today or _tenant_today(partner.tenant)
    raw = [(line, row) for line, row in enumerate(rows, start=first_line)
           if any(str(value or "").strip() for value in row.values())]
    result = ImportResult()
    if not raw:
        result.errors.append(RowError(first_line, "", _("There are no sales rows to report.")))
        return result
    found = _lookups(partner, raw, today)
    seen: dict[tuple, int] = {}
    for line, row in raw:
        parsed = _check_row(line, row, found, result.errors)
        if parsed is None:
            continue
        key = (parsed.month, parsed.product_id, parsed.region_id)
        if key in seen:
            result.errors.append(RowError(line, "sku", _("Line %(line)s reports the same period, product and "
                                                         "region.") % {"line": seen[key]}))
            continue
        seen[key] = line
        period = found.periods.get(parsed.month)
        exists = period is not None and (period.pk, parsed.product_id, parsed.region_id) in found.current
        if exists and not parsed.correction:
            result.errors.append(RowError(line, "correction", _(
                "%(period)s, %(sku)s, %(region)s is reported already; mark the row as a correction and give a "
                "reason to replace it.") % {"period": parsed.month.strftime("%Y-%m"), "sku": parsed.sku,
                                           "region": parsed.region_code}))
            continue
        if parsed.correction and not exists:
            result.errors.append(RowError(line, "correction", _("There is no reported figure to correct for "
                                                                "this period, product and region.")))
            continue
        result.rows.append(parsed)
    if result.errors:
        result.rows = []
    return result


# --------------------------------------------------------------------------- importing


def sales_import(*, tenant: Tenant, partner: Partner, actor: User | None, rows: Iterable[Mapping[str, Any]],
                 source: str = SalesSource.UPLOAD, dry_run: bool = False, idempotency_key: str = "",
                 file_name: str = "", first_line: int = 2) -> ImportResult:
    """Check and (unless ``dry_run`` or any row is wrong) import a partner's sales rows, all or nothing."""
    authorize(actor, SALES_REPORT.code, tenant=tenant, partner=partner.pk)
    rows = list(rows)
    idempotency_key = (idempotency_key or "").replace("\x00", "").strip()[:100]
    file_name = (file_name or "").replace("\x00", "")
    sent_hash = _raw_hash(rows)
    if dry_run:
        result = check_rows(partner, rows, first_line=first_line)
        result.dry_run = True
        return result
    with transaction.atomic():
        # One import per partner at a time: the second waits here, then checks against the first's lines.
        Partner.objects.select_for_update().filter(pk=partner.pk).first()
        if idempotency_key:
            earlier = SalesReport.objects.filter(partner=partner, idempotency_key=idempotency_key).first()
            if earlier is not None:
                if earlier.payload_hash != sent_hash:
                    raise IdempotencyConflict(_("This idempotency key was used for a different report."))
                return ImportResult(report=earlier, replayed=True)
        result = check_rows(partner, rows, first_line=first_line)
        if result.errors:
            return result
        result.report = _commit(tenant, partner, actor, result.rows, source=source, payload_hash=sent_hash,
                                idempotency_key=idempotency_key, file_name=file_name)
    return result


def _raw_hash(rows: list[Mapping[str, Any]]) -> str:
    """The hash of the rows as sent (what a repeated call with the same idempotency key is compared on)."""
    body = json.dumps([{str(k): str(v) for k, v in sorted(row.items(), key=lambda item: str(item[0]))}
                       for row in rows], separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()


def _commit(tenant: Tenant, partner: Partner, actor: User | None, rows: list[ParsedRow], *, source: str,
            payload_hash: str, idempotency_key: str, file_name: str) -> SalesReport:
    periods = periods_for(row.month for row in rows)
    now = timezone.now()
    today = now.astimezone(tenant.zone).date()
    corrected_keys = {(periods[r.month].pk, r.product_id, r.region_id) for r in rows if r.correction}
    current = {}
    if corrected_keys:
        for line in SalesLine.objects.filter(partner=partner, is_current=True,
                                             period_id__in={k[0] for k in corrected_keys}).only(
                "pk", "period_id", "product_id", "region_id"):
            current[(line.period_id, line.product_id, line.region_id)] = line.pk
    late_months = {row.month for row in rows if today > periods[row.month].deadline}
    report = SalesReport(tenant=tenant, partner=partner, source=source, submitted_by=actor, submitted_at=now,
                         file_name=(file_name or "")[:200], idempotency_key=idempotency_key,
                         payload_hash=payload_hash, line_count=len(rows), correction_count=len(corrected_keys),
                         late_count=len(late_months))
    audited_save(report, actor=actor, reason=_("Sales reported"))
    if corrected_keys:
        # Only the corrected keys' lines stop counting; the period's other figures stand.
        SalesLine.objects.filter(pk__in=[current[key] for key in corrected_keys]).update(
            is_current=False, superseded_at=now)
    lines = [
        SalesLine(tenant_id=tenant.pk, report=report, partner_id=partner.pk, period_id=periods[r.month].pk,
                  month=r.month, product_id=r.product_id, region_id=r.region_id, quantity=r.quantity,
                  amount=r.amount, currency=r.currency, end_customers=r.end_customers, is_current=True,
                  corrects_id=current.get((periods[r.month].pk, r.product_id, r.region_id)) if r.correction
                  else None, correction_reason=r.reason if r.correction else "", created_at=now)
        for r in rows
    ]
    for start in range(0, len(lines), BATCH):
        SalesLine.objects.bulk_create(lines[start:start + BATCH])
    _record_status(partner, periods, {row.month for row in rows if not row.correction}, now, today)
    return report


def _record_status(partner: Partner, periods: dict, months: set[datetime.date], now, today) -> None:
    """The first report of a period fixes whether the partner was on time; later ones only update the time."""
    if not months:
        return
    period_ids = {periods[m].pk: m for m in months}
    existing = {s.period_id: s for s in ReportingStatus.objects.filter(partner=partner, period_id__in=period_ids)}
    new = []
    for period_id, month in period_ids.items():
        status = existing.get(period_id)
        if status is None:
            new.append(ReportingStatus(partner_id=partner.pk, period_id=period_id, month=month,
                                       first_reported_at=now, last_reported_at=now,
                                       is_late=today > periods[month].deadline))
        elif status.first_reported_at is None:  # recorded as missing by the deadline job: late, now in
            ReportingStatus.objects.filter(pk=status.pk).update(first_reported_at=now, last_reported_at=now)
        else:
            ReportingStatus.objects.filter(pk=status.pk).update(last_reported_at=now)
    if new:
        ReportingStatus.objects.bulk_create(new)


# --------------------------------------------------------------------------- deadlines (jobs)


def record_missing_reports(*, period: SalesPeriod) -> int:
    """After the deadline: every active partner without a report of the period is recorded late (once)."""
    from channelhub.partners.models import PartnerStatus

    with transaction.atomic():
        claimed = SalesPeriod.objects.filter(pk=period.pk, missing_recorded_at__isnull=True).update(
            missing_recorded_at=timezone.now())
        if not claimed:
            return 0
        reported = ReportingStatus.objects.filter(period=period).values("partner_id")
        # Partners that joined after the deadline owed no report for it.
        joined_by = datetime.datetime.combine(period.deadline, datetime.time.max,
                                              tzinfo=timezone.get_current_timezone())
        missing = list(Partner.objects.filter(status=PartnerStatus.ACTIVE, created_at__lte=joined_by)
                       .exclude(pk__in=reported).values_list("pk", flat=True))
        ReportingStatus.objects.bulk_create(
            [ReportingStatus(partner_id=pk, period_id=period.pk, month=period.month, is_late=True) for pk in missing],
            batch_size=BATCH)
    return len(missing)
