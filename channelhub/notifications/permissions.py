"""Who may read and manage notifications: everyone, their own only (the services check the recipient)."""

from django.utils.translation import gettext_lazy as _

from channelhub.tenancy.policy import declare
from channelhub.tenancy.roles import ALL_ROLES

NOTIFICATION_READ = declare(
    "notifications.own.manage", ALL_ROLES, _("read your notifications and choose how you receive them")
)
