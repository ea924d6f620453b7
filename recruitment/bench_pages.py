"""Recruitment pages timed by the scale bench (``make bench``; see ``channelhub.benchpages``)."""

from __future__ import annotations

import random

from django.core.files.uploadedfile import SimpleUploadedFile

from channelhub.benchpages import register_bench_page
from channelhub.partners.models import Region

REPORTS = "/admin/recruitment/recruitmentplan/reports/"
APPLICATIONS = "/api/v1/recruitment/applications/"


def _three_quarters_down(ctx) -> int:
    from recruitment.models import Application

    return Application.objects.count() * 3 // 4


def _deep_page(ctx) -> str:
    # Page 300 of 400 at 20,000 applications (page numbers, with a count).
    return f"{APPLICATIONS}?page={max(1, _three_quarters_down(ctx) // 50)}&page_size=50"


def _deep_cursor(ctx) -> str:
    # The cursor a client holds three quarters down the list (newest first): DRF's encoding of
    # the last row's created_at, as its ``next`` link would carry it.
    from base64 import b64encode
    from urllib.parse import quote, urlencode

    from recruitment.models import Application

    row = Application.objects.order_by("-created_at", "-id").values_list("created_at", flat=True)[
        _three_quarters_down(ctx)]
    cursor = b64encode(urlencode({"p": str(row)}).encode("ascii")).decode("ascii")
    return f"{APPLICATIONS}?cursor={quote(cursor)}&page_size=50"


def _submit(ctx, n: int) -> dict:
    # A new company each time (the generator's names), so every submit runs the whole check.
    from bench.generator import company_name, credit_code

    legal, _english, _short = company_name(random.Random(f"submit:{n}"))
    region = Region.objects.filter(level=Region.Level.CITY).order_by("pk").values_list("pk", flat=True).first()
    return {
        "legal_name": legal, "credit_code": credit_code(900_000 + n, 7), "partner_type": "reseller",
        "regions": [region], "contact_name": "申请人", "contact_email": f"bench{n}@example.cn",
        "contact_phone": "13800138000", "registered_capital": "500", "founding_year": "2010", "staff_count": "30",
        "business_licence": SimpleUploadedFile("licence.pdf", b"%PDF-1.4\n%bench\n", content_type="application/pdf"),
        "consent": "on",
    }


register_bench_page("admin_application_list", "/admin/recruitment/application/")
register_bench_page("admin_application_search_cjk2", "/admin/recruitment/application/?q=华信")
register_bench_page("campaign_list", "/admin/recruitment/campaign/")
register_bench_page("report_by_region", f"{REPORTS}?report=funnel&by=region", role="owner")
register_bench_page("report_reviewer_workload", f"{REPORTS}?report=reviewer-workload", role="owner")
# Loaded every decided application into Python per request before the reports' rollup.
register_bench_page("report_time_to_decision", f"{REPORTS}?report=time-to-decision&by=month", role="owner")
register_bench_page("api_application_list", f"{APPLICATIONS}?page_size=50")
register_bench_page("api_application_deep_page", _deep_page)
register_bench_page("api_application_cursor", _deep_cursor)
register_bench_page("api_application_search_cjk2", "/api/v1/recruitment/applications/?q=华信&page_size=50")
register_bench_page("api_application_drf_search_cjk2", "/api/v1/recruitment/applications/?search=华信&page_size=50")
# One applicant's e-mail, present in both tenants (the small one holds apply0…apply199): the same
# rows and queries at both sizes (apply4965 existed only in the big tenant: 5 queries against 7).
register_bench_page("api_application_search_email", f"{APPLICATIONS}?q=apply49@example&page_size=50")
register_bench_page(
    "public_application_submit", lambda ctx: f"/apply/{ctx.tenant.slug}/", method="post", data=_submit,
    anonymous=True, expect=(302,),
)
