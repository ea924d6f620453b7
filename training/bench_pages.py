"""Training pages timed by the scale bench (``make bench``; see ``channelhub.benchpages``)."""

from __future__ import annotations

from channelhub.benchpages import register_bench_page

register_bench_page("admin_training_session_list", "/admin/training/session/")
register_bench_page("admin_training_enrolment_list", "/admin/training/enrolment/")
register_bench_page("admin_training_certificate_list", "/admin/training/certificate/")
register_bench_page("admin_training_plan_list", "/admin/training/trainingplan/")
register_bench_page("api_training_enrolments", "/api/v1/training/enrolments/?page_size=50")
register_bench_page("api_training_certificates", "/api/v1/training/certificates/?page_size=50")
register_bench_page("portal_training_sessions", "/portal/training/sessions/", role="partner_admin")
register_bench_page("portal_training_certificates", "/portal/training/certificates/", role="partner_admin")
register_bench_page("admin_training_need_list", "/admin/training/trainingneed/")
register_bench_page("portal_training_catalogue", "/portal/training/", role="partner_admin")
