"""Cooperation pages timed by the scale bench (``make bench``; see ``channelhub.benchpages``)."""

from __future__ import annotations

from channelhub.benchpages import register_bench_page

register_bench_page("admin_agreement_list", "/admin/cooperation/agreement/")
register_bench_page("admin_agreement_list_expiring", "/admin/cooperation/agreement/?state__exact=expiring")
register_bench_page("admin_thread_list_unread", "/admin/cooperation/thread/?unread=all")
register_bench_page("admin_announcement_list", "/admin/cooperation/announcement/")
register_bench_page("admin_library_list", "/admin/cooperation/libraryitem/")
register_bench_page("api_agreement_list", "/api/v1/cooperation/agreements/?page_size=50")
register_bench_page("api_announcement_list", "/api/v1/cooperation/announcements/?page_size=50")
register_bench_page("portal_agreements", "/portal/cooperation/agreements/", role="partner_admin")
register_bench_page("portal_announcements", "/portal/cooperation/announcements/", role="partner_admin")
register_bench_page("portal_threads", "/portal/cooperation/threads/", role="partner_admin")
register_bench_page("portal_library", "/portal/cooperation/library/", role="partner_admin")
# Cooperation II: sales reporting.
register_bench_page("admin_salesline_list", "/admin/cooperation/salesline/")
register_bench_page("admin_salesline_list_current", "/admin/cooperation/salesline/?is_current__exact=1")
register_bench_page("admin_salesperiod_list", "/admin/cooperation/salesperiod/")
register_bench_page("admin_reportingstatus_late", "/admin/cooperation/reportingstatus/?is_late__exact=1")
register_bench_page("api_salesline_list", "/api/v1/cooperation/sales-lines/?page_size=50&is_current=true")
register_bench_page("portal_sales", "/portal/cooperation/sales/", role="partner_admin")
register_bench_page("admin_salestarget_list", "/admin/cooperation/salestarget/")
register_bench_page("portal_targets", "/portal/cooperation/targets/", role="partner_admin")
# Cooperation II: promotion support (MDF).
register_bench_page("admin_fundrequest_list", "/admin/cooperation/fundrequest/")
register_bench_page("admin_fundclaim_list", "/admin/cooperation/fundclaim/")
register_bench_page("api_fundrequest_list", "/api/v1/cooperation/mdf-requests/?page_size=50")
register_bench_page("portal_mdf", "/portal/cooperation/mdf/", role="partner_admin")
# Cooperation II: after-sales service tickets.
register_bench_page("admin_serviceticket_list", "/admin/cooperation/serviceticket/")
register_bench_page("admin_serviceticket_breached", "/admin/cooperation/serviceticket/?sla=breached")
register_bench_page("api_serviceticket_list", "/api/v1/cooperation/service-tickets/?page_size=50")
register_bench_page("portal_tickets", "/portal/cooperation/tickets/", role="partner_admin")
# Cooperation II: lead distribution and market feedback.
register_bench_page("admin_lead_list", "/admin/cooperation/lead/")
register_bench_page("admin_lead_list_without_partner", "/admin/cooperation/lead/?without_partner=1")
register_bench_page("admin_leadoffer_list", "/admin/cooperation/leadoffer/")
register_bench_page("admin_feedback_list", "/admin/cooperation/feedback/")
register_bench_page("api_lead_list", "/api/v1/cooperation/leads/?page_size=50")
register_bench_page("api_feedback_list", "/api/v1/cooperation/feedback/?page_size=50")
register_bench_page("portal_leads", "/portal/cooperation/leads/", role="partner_admin")
register_bench_page("portal_feedback", "/portal/cooperation/feedback/", role="partner_admin")
# Cooperation II: deal registration and channel conflicts.
register_bench_page("admin_dealregistration_list", "/admin/cooperation/dealregistration/")
register_bench_page("admin_dealregistration_submitted", "/admin/cooperation/dealregistration/?state__exact=submitted")
register_bench_page("admin_conflictcase_list", "/admin/cooperation/conflictcase/")
register_bench_page("api_deal_registration_list", "/api/v1/cooperation/deal-registrations/?page_size=50")
register_bench_page("api_conflict_case_list", "/api/v1/cooperation/conflict-cases/?page_size=50")
register_bench_page("portal_deals", "/portal/cooperation/deals/", role="partner_admin")
register_bench_page("portal_conflicts", "/portal/cooperation/conflicts/", role="partner_admin")
