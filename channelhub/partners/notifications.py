"""The partner register's kinds of notification (``channelhub.notifications.registry``)."""

from django.utils.translation import gettext_lazy as _

from channelhub.notifications.registry import notification_kind

CHANGE_REQUEST_SUBMITTED = notification_kind(
    "partners.change_request_submitted", _("A partner asks to change its legal details"), important=True).key
CHANGE_REQUEST_DECIDED = notification_kind(
    "partners.change_request_decided", _("Decisions on your company's legal details"), important=True).key
