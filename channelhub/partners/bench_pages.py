"""The partners pages timed by the scale bench (``make bench``; see ``channelhub.benchpages``)."""

from __future__ import annotations

from channelhub.benchpages import register_bench_page

from .models import Partner

API = "/api/v1/partners/"


def _some_partner(ctx) -> str:
    partner = Partner.objects.order_by("pk").only("pk")[len(str(ctx.tenant.pk))]
    return f"/admin/partners/partner/{partner.pk}/change/"


register_bench_page("api_partner_list", f"{API}?page_size=50")
register_bench_page("api_partner_filter_status_type", f"{API}?status=active&partner_type=reseller&page_size=50")
def _deep_page(ctx) -> str:
    # Three quarters down the list: page 1500 of 2000 at 100,000 partners, 15 of 20 at 1,000.
    return f"{API}?page={max(1, Partner.objects.count() * 3 // 4 // 50)}&page_size=50"


register_bench_page("api_partner_deep_page", _deep_page)
register_bench_page("api_partner_cursor", f"{API}?cursor=&page_size=50")
register_bench_page("api_partner_order_created", f"{API}?ordering=-created_at&page_size=50")
register_bench_page("api_partner_search_cjk2", f"{API}?q=华信&page_size=50")
def _credit_prefix(ctx) -> str:
    # The first 14 characters of a partner's code: a prefix as someone copying it would type.
    code = Partner.objects.exclude(credit_code=None).order_by("pk").values_list("credit_code", flat=True)[100]
    return f"{API}?q={code[:14]}&page_size=50"


register_bench_page("api_partner_search_credit_prefix", _credit_prefix)
register_bench_page("api_partner_search_english", f"{API}?q=dingsheng&page_size=50")
register_bench_page("api_contact_search", "/api/v1/contacts/?q=王伟&page_size=50")
# DRF's ?search= (the FilterSet narrows it with the indexed search column first).
register_bench_page("api_partner_drf_search_cjk2", f"{API}?search=华信&page_size=50")
register_bench_page("api_contact_drf_search", "/api/v1/contacts/?search=王伟&page_size=50")
register_bench_page("admin_dashboard", "/admin/")
register_bench_page("admin_partner_list", "/admin/partners/partner/")
register_bench_page("admin_partner_list_status", "/admin/partners/partner/?status__exact=active")
register_bench_page("admin_partner_search_cjk2", "/admin/partners/partner/?q=华信")
register_bench_page("admin_partner_change", _some_partner)
register_bench_page("admin_contact_list", "/admin/partners/partnercontact/")
