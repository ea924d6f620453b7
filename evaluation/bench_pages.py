"""Evaluation pages timed by the scale bench (``make bench``; see ``channelhub.benchpages``)."""

from __future__ import annotations

from django.urls import reverse

from channelhub.benchpages import register_bench_page


def _results(ctx) -> str:
    """The latest cycle's results (the cycle list when the bench tenant has none yet)."""
    from channelhub.tenancy.context import tenant_scope

    from .models import ReviewCycle

    with tenant_scope(ctx.tenant, source="bench"):
        cycle = ReviewCycle.objects.order_by("-period_start").first()
    if cycle is None:
        return reverse("admin:evaluation_reviewcycle_changelist")
    return reverse("admin:evaluation_reviewcycle_results", args=[cycle.pk])


register_bench_page("admin_evaluation_cycle_list", "/admin/evaluation/reviewcycle/")
register_bench_page("admin_evaluation_cycle_results", _results)
register_bench_page("admin_evaluation_score_list", "/admin/evaluation/partnerscore/")
register_bench_page("admin_evaluation_statement_list", "/admin/evaluation/incentivestatement/", role="owner")
register_bench_page("admin_evaluation_plan_list", "/admin/evaluation/improvementplan/")
register_bench_page("api_evaluation_results", "/api/v1/evaluation/results/?page_size=50")
register_bench_page("api_evaluation_statements", "/api/v1/evaluation/statements/?page_size=50", role="owner")
register_bench_page("portal_evaluation_scorecard", "/portal/evaluation/", role="partner_admin")
# Channel cost and return, coverage: the rollups' lists and pages (owner: the figures are not every role's).
register_bench_page("admin_evaluation_economics_list", "/admin/evaluation/channeleconomics/", role="owner")
register_bench_page("admin_evaluation_economics_summary", "/admin/evaluation/channeleconomics/summary/",
                    role="owner")
register_bench_page("admin_evaluation_coverage_list", "/admin/evaluation/coveragegap/")
register_bench_page("admin_evaluation_coverage_map", "/admin/evaluation/coveragegap/map/")
register_bench_page("api_evaluation_economics", "/api/v1/evaluation/economics/?page_size=50", role="owner")
register_bench_page("api_evaluation_coverage", "/api/v1/evaluation/coverage-gaps/?page_size=50")
# KPI trends: the page (the catalogue's first KPI per partner type) and the API's list of the rollup.
register_bench_page("admin_evaluation_kpi_trends", "/admin/evaluation/reviewcycle/kpi-trends/")
register_bench_page("admin_evaluation_kpi_trends_area",
                    "/admin/evaluation/reviewcycle/kpi-trends/?dimension=area&measure=figure")
register_bench_page("api_evaluation_kpi_trends", "/api/v1/evaluation/kpi-trends/?page_size=50")
