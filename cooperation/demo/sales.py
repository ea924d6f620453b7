"""The sales reporting demo: a year of monthly sales for every active partner.

The year is written in bulk (one report per partner and month, back-dated to when it came in,
most before the deadline, some late, a few months never reported), because a few hundred
partners × twelve months through the import would slow ``make run``. The flagship partners'
latest month then goes through ``services.sales_import`` as a partner would, with one
correction, so the portal shows a real submission and a figure with its history.
Idempotent: nothing is written when the tenant has sales reports.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from channelhub.partners.models import Partner, PartnerStatus, Product

MONTHS = 12
PRODUCTS_PER_PARTNER = 3


def _months(today: datetime.date) -> list[datetime.date]:
    month = today.replace(day=1)
    out = []
    for _step in range(MONTHS):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        out.append(month)
    return sorted(out)


def _noise(*numbers: int) -> int:
    """A stable pseudo-random number 0–999 (the demo is the same on every machine)."""
    value = 0
    for number in numbers:
        value = (value * 1_000_003 + number * 7919 + 12345) % 2_147_483_647
    return value % 1000


def ensure_sales(ctx) -> None:
    from cooperation import services
    from cooperation.models import ReportingStatus, SalesLine, SalesReport, SalesSource

    if SalesReport.objects.exists():
        return
    tenant, counts = ctx["tenant"], ctx["counts"]
    zone = tenant.zone
    today = timezone.now().astimezone(zone).date()
    months = _months(today)
    periods = services.periods_for(months)
    products = list(Product.objects.filter(is_active=True).order_by("sku")[:12])
    if not products:
        return
    flagship_ids = {p.pk for p in ctx["flagships"].values() if p is not None}
    partners = list(Partner.objects.filter(status=PartnerStatus.ACTIVE).exclude(region__isnull=True)
                    .order_by("pk").values_list("pk", "region_id"))
    reports, line_specs, statuses = [], [], []
    for partner_id, region_id in partners:
        for index, month in enumerate(months):
            if partner_id in flagship_ids and index == len(months) - 1:
                continue  # the flagships report their latest month through the service below
            noise = _noise(partner_id, index)
            if noise < 40:
                continue  # never reported: the deadline job records it missing
            period = periods[month]
            late_days = (noise % 9) + 1 if noise < 140 else 0
            day = period.deadline + datetime.timedelta(days=late_days) if late_days else \
                period.deadline - datetime.timedelta(days=noise % 8)
            at = datetime.datetime.combine(day, datetime.time(10, noise % 60), tzinfo=zone)
            reports.append(SalesReport(partner_id=partner_id, source=SalesSource.UPLOAD, submitted_at=at,
                                       payload_hash="demo", line_count=PRODUCTS_PER_PARTNER,
                                       late_count=1 if late_days else 0, file_name=f"sales-{month:%Y-%m}.xlsx"))
            line_specs.append((partner_id, region_id, index, month, period, at))
            statuses.append(ReportingStatus(partner_id=partner_id, period=period, month=month, first_reported_at=at,
                                            last_reported_at=at, is_late=bool(late_days)))
    SalesReport.objects.bulk_create(reports, batch_size=1000)
    lines = []
    for report, (partner_id, region_id, index, month, period, at) in zip(reports, line_specs, strict=True):
        for k in range(PRODUCTS_PER_PARTNER):
            product = products[(partner_id + k) % len(products)]
            noise = _noise(partner_id, index, k)
            # A seasonal curve: more before the Spring Festival and in the autumn.
            season = Decimal(100 + (30 if month.month in (1, 9, 10, 11) else 0))
            quantity = 5 + noise % 40
            unit = (product.list_price or Decimal("1000")) * Decimal("0.85")
            amount = (unit * quantity * season / 100).quantize(Decimal("0.01"))
            lines.append(SalesLine(report=report, partner_id=partner_id, period=period, month=month, product=product,
                                   region_id=region_id, quantity=quantity, amount=amount, end_customers=1 + noise % 6,
                                   created_at=at))
    SalesLine.objects.bulk_create(lines, batch_size=2000)
    ReportingStatus.objects.bulk_create(statuses, batch_size=2000)
    counts["cooperation.SalesReport"] += len(reports)
    counts["cooperation.SalesLine"] += len(lines)
    _flagships_report(ctx, months[-1], products)


def _flagships_report(ctx, month: datetime.date, products) -> None:
    """The flagships' latest month, imported as their administrators would; the first corrects a figure."""
    from cooperation import services
    from cooperation.models import SalesSource

    zh = ctx["spec"].default_language.startswith("zh")
    corrected = False
    for key, partner in ctx["flagships"].items():
        admin = ctx["admins"].get(key)
        if partner is None or admin is None or partner.region_id is None:
            continue
        region = partner.region.code
        rows = [{"period": month.strftime("%Y-%m"), "sku": product.sku, "region": region,
                 "quantity": str(10 + n * 3), "amount": str(((product.list_price or Decimal(1000)) * (10 + n * 3)
                                                             * Decimal("0.85")).quantize(Decimal("0.01"))),
                 "currency": "CNY", "end_customers": str(2 + n)} for n, product in enumerate(products[:3])]
        result = services.sales_import(tenant=ctx["tenant"], partner=partner, actor=admin, rows=rows,
                                       source=SalesSource.UPLOAD, file_name=f"sales-{month:%Y-%m}.csv")
        ctx["counts"]["cooperation.SalesLine"] += result.line_count
        if not corrected:
            corrected = True
            fixed = {**rows[0], "quantity": str(int(rows[0]["quantity"]) - 2), "correction": "1",
                     "reason": "两台退货，更正数量和金额" if zh else "Two units returned"}
            fixed["amount"] = str((Decimal(rows[0]["amount"]) * (int(fixed["quantity"]))
                                   / int(rows[0]["quantity"])).quantize(Decimal("0.01")))
            services.sales_import(tenant=ctx["tenant"], partner=partner, actor=admin, rows=[fixed],
                                  source=SalesSource.PORTAL)

