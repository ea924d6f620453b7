"""Reminder jobs are idempotent: running twice sends one reminder; the lapse job flags once."""

from __future__ import annotations

import datetime

from django.core import mail
from django.utils import timezone

from channelhub.notifications.models import Notification
from channelhub.tenancy.context import tenant_scope
from training import jobs, services
from training.models import QualificationLapse, QualificationRequirement

from .factories import CertificationFactory, SessionFactory


def test_session_reminders_are_sent_once(tenant, staff, trainer, django_capture_on_commit_callbacks):
    with tenant_scope(tenant):
        session = SessionFactory(starts_at=timezone.now() + datetime.timedelta(hours=20),
                                 ends_at=timezone.now() + datetime.timedelta(hours=28))
        later = SessionFactory(starts_at=timezone.now() + datetime.timedelta(days=5),
                               ends_at=timezone.now() + datetime.timedelta(days=5, hours=8))
        services.enrolment_create(session=session, trainee=staff[0], actor=trainer)
        services.enrolment_create(session=later, trainee=staff[1], actor=trainer)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert jobs.session_reminders(tenant=tenant, run_at=timezone.now()).values["sent"] == 1
            assert jobs.session_reminders(tenant=tenant, run_at=timezone.now()).values["sent"] == 0
        # In the portal (the notifications list) and by e-mail, once.
        notice = Notification.objects.get(recipient=staff[0])
        assert notice.kind == "training.session_soon" and session.title in notice.title
        assert notice.url == "/portal/training/sessions/"
    assert [m.to for m in mail.outbox] == [[staff[0].email]]
    assert session.title in mail.outbox[0].subject + mail.outbox[0].body


def test_certificate_expiry_reminders_are_sent_once(tenant, staff, django_capture_on_commit_callbacks):
    with tenant_scope(tenant):
        certification = CertificationFactory(recertification_days=30)
        expiring = services.certificate_issue(certification=certification, holder=staff[0], actor=None,
                                              expires_on=timezone.localdate() + datetime.timedelta(days=20))
        services.certificate_issue(certification=certification, holder=staff[1], actor=None)
        mail.outbox.clear()
        run_at = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            assert jobs.certificate_expiry_reminders(tenant=tenant, run_at=run_at).values == {"sent": 1}
            assert jobs.certificate_expiry_reminders(tenant=tenant, run_at=run_at).values == {"sent": 0}
        notice = Notification.objects.get(recipient=staff[0])
        assert notice.kind == "training.certificate_expiring" and expiring.number in notice.body
    assert len(mail.outbox) == 1 and expiring.number in mail.outbox[0].body


def test_lapse_job_flags_a_partner_once(tenant, partner, staff):
    with tenant_scope(tenant):
        QualificationRequirement.objects.create(partner_type="distributor", certification=CertificationFactory())
        jobs.qualification_lapses(tenant=tenant, run_at=timezone.now())
        jobs.qualification_lapses(tenant=tenant, run_at=timezone.now())
        assert QualificationLapse.objects.filter(partner=partner).count() == 1
