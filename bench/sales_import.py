"""The sales-import benchmark: ``python -m bench.sales_import [--rows N]`` (or ``python -m bench --sales-import``).

On PostgreSQL (``SALES_BENCH_DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/channelhub_sales_bench``, created if missing; a database
of its own) a partner uploads one CSV file of N sales rows (period × product × region over two
years): the file is read by the same reader as the portal's upload (``cooperation.sales_files``)
and imported by ``cooperation.services.sales_import``, every row validated, all or nothing. The
baseline is a bare bulk insert of the same lines (``bulk_create`` of ready-made ``SalesLine``
objects, no parsing and no checks), measured in the same run. It prints::

    sales_import: rows=N seconds=S rows_per_s=R peak_mb=M
    sales_import baseline (bare bulk insert): rows=N seconds=B rows_per_s=R

M is the process's peak resident memory (Django included), read right after the import, before
the baseline runs. The issue's target: 100,000 rows in under 60 s and under 400 MB.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import os
import resource
import sys
import time

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/channelhub_sales_bench"
PRODUCTS = 100
REGIONS = 42
MONTHS = 24


def _setup() -> None:
    url = os.environ.get("SALES_BENCH_DATABASE_URL", DEFAULT_URL)
    if url.startswith("postgres"):
        from bench.__main__ import _create_database

        _create_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "channelhub.settings.dev")
    os.environ["DEBUG"] = "false"
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _months(today: datetime.date) -> list[datetime.date]:
    """The MONTHS months before the current one, oldest first (all reportable)."""
    month = today.replace(day=1)
    found = []
    for _ in range(MONTHS):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        found.append(month)
    return sorted(found)


def _world(run: str):
    """A fresh tenant with products, regions and one active partner (its administrator reports)."""
    from channelhub.partners.models import Partner, Product, Region
    from channelhub.tenancy.context import tenant_scope
    from channelhub.tenancy.models import Membership, User
    from channelhub.tenancy.roles import Role
    from channelhub.tenancy.services import tenant_create

    tenant = tenant_create(name=f"Sales bench {run}", slug=f"sales-{run}", default_language="en")
    with tenant_scope(tenant):
        Product.objects.bulk_create([Product(sku=f"SKU-{n:04d}", name=f"Product {n}", category="Bench", list_price=100)
                                     for n in range(PRODUCTS)])
        Region.objects.bulk_create([Region(code=f"R{n:02d}", name=f"Region {n}", path=f"/R{n:02d}/")
                                    for n in range(REGIONS)])
        partner = Partner.objects.create(legal_name=f"Bench distributor {run}", status="active",
                                         partner_type="distributor", region=Region.objects.order_by("code").first())
        user = User.objects.create_user(username=f"sales-bench-{run}", password=None)
        Membership.objects.create(tenant=tenant, user=user, role=Role.PARTNER_ADMIN, partner=partner)
    return tenant, partner, user


def _csv(rows: int, months: list[datetime.date]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["period", "sku", "region", "quantity", "amount", "currency", "end_customers"])
    n = 0
    for month in months:
        for product in range(PRODUCTS):
            for region in range(REGIONS):
                if n == rows:
                    return out.getvalue().encode("utf-8")
                writer.writerow([month.strftime("%Y-%m"), f"SKU-{product:04d}", f"R{region:02d}", 3 + n % 17,
                                 f"{1000 + n % 9000}.50", "CNY", n % 5])
                n += 1
    return out.getvalue().encode("utf-8")


def run_import(rows: int) -> tuple[int, float]:
    from django.utils import timezone

    from channelhub.tenancy.context import tenant_scope
    from cooperation.sales_files import read_rows
    from cooperation.services import sales_import

    tenant, partner, user = _world(f"import-{int(time.time())}")
    content = _csv(rows, _months(timezone.localdate()))
    with tenant_scope(tenant):
        started = time.perf_counter()
        parsed = read_rows(content, "sales.csv")
        result = sales_import(tenant=tenant, partner=partner, actor=user, rows=parsed, file_name="sales.csv")
        seconds = time.perf_counter() - started
    if result.errors:
        raise SystemExit(f"the bench file was refused: {result.errors[:3]}")
    return result.report.line_count, seconds


def run_baseline(rows: int) -> tuple[int, float]:
    """The same lines, built in memory and bulk-inserted with no parsing and no checks."""
    from django.db import transaction
    from django.utils import timezone

    from channelhub.partners.models import Product, Region
    from channelhub.tenancy.context import tenant_scope
    from cooperation.models import SalesLine, SalesReport
    from cooperation.services import periods_for

    tenant, partner, _user = _world(f"baseline-{int(time.time())}")
    months = _months(timezone.localdate())
    with tenant_scope(tenant):
        products = list(Product.objects.order_by("sku").values_list("pk", flat=True))
        regions = list(Region.objects.order_by("code").values_list("pk", flat=True))
        periods = periods_for(months)
        report = SalesReport.objects.create(partner=partner, source="upload", submitted_at=timezone.now(),
                                            line_count=rows)
        now = timezone.now()
        started = time.perf_counter()
        lines = []
        for month in months:
            for product in products:
                for region in regions:
                    if len(lines) == rows:
                        break
                    n = len(lines)
                    lines.append(SalesLine(tenant_id=tenant.pk, report=report, partner_id=partner.pk,
                                           period_id=periods[month].pk, month=month, product_id=product,
                                           region_id=region, quantity=3 + n % 17, amount=f"{1000 + n % 9000}.50",
                                           currency="CNY", end_customers=n % 5, is_current=True, created_at=now))
        with transaction.atomic():
            SalesLine.objects.bulk_create(lines, batch_size=2000)
        seconds = time.perf_counter() - started
    return len(lines), seconds


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sales_import")
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    if args.rows > MONTHS * PRODUCTS * REGIONS:
        parser.error(f"at most {MONTHS * PRODUCTS * REGIONS} rows (months × products × regions)")
    _setup()
    imported, seconds = run_import(args.rows)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"sales_import: rows={imported} seconds={seconds:.1f} rows_per_s={imported / seconds:.0f} "
          f"peak_mb={peak_mb:.0f}", flush=True)
    inserted, baseline = run_baseline(args.rows)
    print(f"sales_import baseline (bare bulk insert): rows={inserted} seconds={baseline:.1f} "
          f"rows_per_s={inserted / baseline:.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
