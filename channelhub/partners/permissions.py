"""What the partner register lets people do, and who may."""

from django.utils.translation import gettext_lazy as _

from channelhub.tenancy.policy import declare
from channelhub.tenancy.roles import MANAGERS, Role

PARTNER_MANAGE = declare("partners.partner.manage", MANAGERS, _("add, change or delete partners"))
PARTNER_TRANSITION = declare("partners.partner.transition", MANAGERS, _("change a partner's status"))
# Partner administrators keep their own company's contacts up to date.
CONTACT_MANAGE = declare(
    "partners.contact.manage", MANAGERS | {Role.PARTNER_ADMIN}, _("add, change or delete partner contacts")
)
CATALOGUE_MANAGE = declare(
    "partners.catalogue.manage", MANAGERS, _("change the region tree and the product catalogue")
)
# A partner administrator keeps their own company's profile: the descriptive fields directly,
# the fields that identify the company through a change request a manager decides.
PROFILE_EDIT = declare(
    "partners.profile.edit", MANAGERS | {Role.PARTNER_ADMIN}, _("change the company profile")
)
# Managers change those fields directly; a request is how a partner asks.
CHANGE_REQUEST_SUBMIT = declare(
    "partners.change_request.submit", {Role.PARTNER_ADMIN},
    _("ask for a change of the company's legal details"),
)
CHANGE_REQUEST_DECIDE = declare(
    "partners.change_request.decide", MANAGERS, _("approve or reject a partner's profile change request")
)
