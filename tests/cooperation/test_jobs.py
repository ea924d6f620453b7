"""The lifecycle jobs: expiring, expired, reminders (once), renewal drafts (once)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from channelhub.tenancy.context import tenant_scope
from cooperation import jobs
from cooperation.models import Agreement, AgreementReminder, AgreementState

pytestmark = pytest.mark.django_db
S = AgreementState


def _run(job, tenant, day: datetime.date):
    at = datetime.datetime.combine(day, datetime.time(9), tzinfo=tenant.zone)
    with tenant_scope(tenant):
        return job(tenant=tenant, run_at=at)


def test_reminder_sent_once_in_the_recipients_language(tenant, active, partner_admin, people, monkeypatch):
    from django.utils import translation

    from cooperation import notifications

    languages = {}
    real = notifications.render_to_string

    def spy(template, context):
        languages[context["recipient"].email] = translation.get_language()
        return real(template, context)

    monkeypatch.setattr(notifications, "render_to_string", spy)
    today = timezone.localdate()
    agreement = active(start_date=today - datetime.timedelta(days=300), end_date=today + datetime.timedelta(days=10))
    people["manager"].email = "manager@example.com"
    people["manager"].language = "en"
    people["manager"].save()
    partner_admin.email = "padmin@example.com"
    partner_admin.save()
    mail.outbox.clear()
    _run(jobs.agreement_expiry, tenant, today)
    _run(jobs.expiry_reminders, tenant, today)
    _run(jobs.expiry_reminders, tenant, today)  # a re-run sends nothing more
    agreement.refresh_from_db()
    assert agreement.state == S.EXPIRING
    subjects = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert len(subjects) == 2
    assert subjects[0][0] == "manager@example.com" and "ends on" in subjects[0][1]
    assert subjects[1][0] == "padmin@example.com"
    assert languages == {"manager@example.com": "en", "padmin@example.com": "zh-hans"}
    with tenant_scope(tenant):
        assert AgreementReminder.objects.count() == 1


def test_expired_after_the_term_and_renewal_drafted_once(tenant, active):
    today = timezone.localdate()
    agreement = active(start_date=today - datetime.timedelta(days=360), end_date=today + datetime.timedelta(days=5))
    _run(jobs.agreement_expiry, tenant, today)
    _run(jobs.renewal_drafts, tenant, today)
    _run(jobs.renewal_drafts, tenant, today)
    with tenant_scope(tenant):
        renewals = list(Agreement.objects.filter(renewal_of=agreement))
    assert len(renewals) == 1 and renewals[0].state == S.DRAFT
    assert renewals[0].start_date == agreement.end_date + datetime.timedelta(days=1)
    _run(jobs.agreement_expiry, tenant, today + datetime.timedelta(days=6))
    _run(jobs.agreement_expiry, tenant, today + datetime.timedelta(days=6))
    agreement.refresh_from_db()
    assert agreement.state == S.EXPIRED


def test_jobs_are_registered():
    from channelhub.tenancy.jobs import registered_jobs

    assert {"cooperation.agreement_expiry", "cooperation.expiry_reminders",
            "cooperation.renewal_drafts"} <= set(registered_jobs())
