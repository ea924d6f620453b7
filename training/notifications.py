"""Reminders to trainees through the platform's notifications, each sent once.

``TrainingReminder`` is the ledger: a reminder is recorded before it is sent, in its own
transaction, so a job that runs twice, or a redelivered task, finds the row and sends nothing.
``channelhub.notifications.notify`` then writes the in-app notification (the portal's list and
badge) and e-mails it through Celery after commit, in the recipient's language.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from channelhub.notifications.registry import notification_kind
from channelhub.notifications.services import notify
from channelhub.tenancy.models import Membership
from channelhub.tenancy.roles import PARTNER_ROLES

from .models import Certificate, Enrolment, TrainingReminder

SESSION = "session"
CERTIFICATE_EXPIRY = "certificate.expiry"

SESSION_SOON = notification_kind("training.session_soon", _("Training sessions starting soon"), important=True).key
CERTIFICATE_EXPIRING = notification_kind(
    "training.certificate_expiring", _("Certificates about to expire"), important=True).key


def _once(kind: str, object_id: int, recipient) -> bool:
    try:
        with transaction.atomic():
            TrainingReminder.objects.create(kind=kind, object_id=object_id, recipient=recipient)
    except IntegrityError:
        return False
    return True


def _is_partner_staff(user_id: int) -> bool:
    return Membership.objects.filter(user_id=user_id, role__in=sorted(PARTNER_ROLES), is_active=True).exists()


def remind_session(enrolment: Enrolment) -> bool:
    """Remind an enrolled trainee of their session; False when they were already reminded."""
    if not _once(SESSION, enrolment.session_id, enrolment.trainee):
        return False
    session = enrolment.session
    starts = timezone.localtime(session.starts_at, session.tenant.zone)
    url = (reverse("training-portal:sessions") if _is_partner_staff(enrolment.trainee_id)
           else reverse("admin:training_session_change", args=[session.pk]))
    notify(recipients=[enrolment.trainee], kind=SESSION_SOON,
           title=_("Your training session “%(session)s” starts soon"),
           body=_("It starts at %(starts)s, %(where)s."),
           params={"session": session.title, "starts": formats.date_format(starts, "Y-m-d H:i"),
                   "where": session.location or session.online_url},
           url=url)
    return True


def remind_certificate(certificate: Certificate) -> bool:
    """Remind a holder that their certificate enters its recertification window; once per certificate."""
    if not _once(CERTIFICATE_EXPIRY, certificate.pk, certificate.holder):
        return False
    url = (reverse("training-portal:certificates") if _is_partner_staff(certificate.holder_id)
           else reverse("admin:training_certificate_change", args=[certificate.pk]))
    notify(recipients=[certificate.holder], kind=CERTIFICATE_EXPIRING,
           title=_("Your certificate “%(certification)s” expires on %(day)s"),
           body=_("Certificate %(number)s. Recertify before then to stay qualified."),
           params={"certification": certificate.certification.name, "number": certificate.number,
                   "day": certificate.expires_on.isoformat()},
           url=url)
    return True
