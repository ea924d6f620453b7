"""Celery entry points of recruitment. Arguments are ids, tenant id first; bodies call one function."""

from __future__ import annotations

from channelhub.tasks import tenant_task

from .models import Application


@tenant_task(name="recruitment.tasks.send_applicant_notification")
def send_applicant_notification(tenant_id: int, application_id: int, kind: str, reference: str = "") -> bool:
    """E-mail the applicant (once per application, kind and reference: redelivery sends nothing)."""
    from .notifications import send_applicant_email

    application = Application.objects.select_related("tenant").filter(pk=application_id).first()
    if application is None:
        return False
    return send_applicant_email(application=application, kind=kind, reference=reference)
