"""Roles a membership can hold. Every view and endpoint names the roles it admits; the default is deny."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OWNER = "owner", _("Owner / administrator")
    CHANNEL_MANAGER = "channel_manager", _("Channel manager")
    TRAINER = "trainer", _("Trainer")
    LEGAL = "legal", _("Legal reviewer")
    FINANCE = "finance", _("Finance")
    PARTNER_ADMIN = "partner_admin", _("Partner administrator")
    PARTNER_USER = "partner_user", _("Partner user")


STAFF_ROLES = frozenset(
    {Role.OWNER, Role.CHANNEL_MANAGER, Role.TRAINER, Role.LEGAL, Role.FINANCE}
)
PARTNER_ROLES = frozenset({Role.PARTNER_ADMIN, Role.PARTNER_USER})
ALL_ROLES = STAFF_ROLES | PARTNER_ROLES

# Shorthands views use to declare who may read and who may write.
MANAGERS = frozenset({Role.OWNER, Role.CHANNEL_MANAGER})
ANY_STAFF = STAFF_ROLES
