"""E-mails to applicants, in the applicant's language, sent once per (application, kind, reference).

Services never send directly: they call ``notify_applicant(...)``, which starts the Celery task
after the transaction commits; the task calls ``send_applicant_email``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import ApplicantNotification, Application, ApplicationTrackingToken, Decision

RECEIVED = "received"
QUESTION = "question"
APPROVED = "approved"
REJECTED = "rejected"

SUBJECTS = {
    RECEIVED: _("%(tenant)s: we received your partner application"),
    QUESTION: _("%(tenant)s: a question about your partner application"),
    APPROVED: _("%(tenant)s: your partner application is approved"),
    REJECTED: _("%(tenant)s: decision on your partner application"),
}


def tracking_path(application: Application, token: str | None = None) -> str:
    """The applicant's tracking page (``recruitment.public``) with ``token``.

    Only token hashes are stored, so a link cannot be rebuilt from the database: without
    ``token`` a new one is issued (every e-mail carries its own; earlier links stay valid).
    """
    token = token or ApplicationTrackingToken.issue(application=application)
    return reverse("recruitment-public:track", kwargs={"tenant_slug": application.tenant.slug, "token": token})


def notify_applicant(application: Application, kind: str, reference: str | int = "") -> None:
    """Queue the e-mail ``kind`` for the applicant once the current transaction commits."""
    from channelhub.tasks import enqueue

    from .tasks import send_applicant_notification

    enqueue(send_applicant_notification, application.tenant_id, application.pk, kind, str(reference))


def send_applicant_email(*, application: Application, kind: str, reference: str = "", base_url: str = "") -> bool:
    """Send the e-mail unless it was already sent; return whether it was sent now.

    Links are absolute: ``base_url`` or, outside a request, the ``SITE_URL`` setting.
    """
    if kind not in SUBJECTS:
        raise ValueError(f"Unknown applicant notification {kind!r}")
    try:
        with transaction.atomic():
            ApplicantNotification.objects.create(application=application, kind=kind, reference=reference)
    except IntegrityError:
        return False  # a redelivered task: already sent
    tenant = application.tenant
    base_url = base_url or settings.SITE_URL
    with translation.override(application.language or tenant.default_language):
        context = {
            "application": application,
            "tenant": tenant,
            "link": f"{base_url}{tracking_path(application)}",
            "decision": _decision_comment(application, kind, reference),
            "question": _question(application, reference) if kind == QUESTION else None,
        }
        subject = str(SUBJECTS[kind] % {"tenant": tenant.name})
        body = render_to_string(f"recruitment/email/{kind}.txt", context)
    send_mail(subject, body, None, [application.contact_email])
    return True


# The decision whose comment an outcome e-mail quotes: only the one that made the outcome.
_OUTCOME_DECISIONS = {APPROVED: Decision.APPROVE, REJECTED: Decision.REJECT}


def _decision_comment(application: Application, kind: str, reference: str) -> str:
    """The comment of the decision that approved or rejected the application, else nothing.

    ``reference`` names that decision (``services.application_decide`` passes its id). Comments
    of earlier steps and of returns are internal and never reach the applicant; a rejection by a
    plain transition (before review) made no decision, so its e-mail quotes none.
    """
    wanted = _OUTCOME_DECISIONS.get(kind)
    if wanted is None or not str(reference).isdigit():
        return ""
    decision = application.decisions.filter(pk=int(reference), decision=wanted).first()
    return decision.comment if decision else ""


def _question(application: Application, reference: str):
    if not reference:
        return None
    return application.messages.filter(pk=reference).first()
