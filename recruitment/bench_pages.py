"""Recruitment pages timed by the scale bench (``make bench``; see ``channelhub.benchpages``)."""

from __future__ import annotations

import random

from django.core.files.uploadedfile import SimpleUploadedFile

from channelhub.benchpages import register_bench_page
from channelhub.partners.models import Region

REPORTS = "/admin/recruitment/recruitmentplan/reports/"


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
register_bench_page("campaign_list", "/admin/recruitment/campaign/")
register_bench_page("report_by_region", f"{REPORTS}?report=funnel&by=region", role="owner")
register_bench_page("report_reviewer_workload", f"{REPORTS}?report=reviewer-workload", role="owner")
register_bench_page("api_application_search_cjk2", "/api/v1/recruitment/applications/?search=华信&page_size=50")
register_bench_page(
    "public_application_submit", lambda ctx: f"/apply/{ctx.tenant.slug}/", method="post", data=_submit,
    anonymous=True, expect=(302,),
)
