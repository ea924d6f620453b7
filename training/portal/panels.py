"""Training's pieces of the partner portal and the manager's partner page (``channelhub.portal.registry``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from channelhub.portal.registry import partner_panel, portal_home_panel, portal_nav
from channelhub.tenancy.roles import PARTNER_ROLES, STAFF_ROLES, Role

from .. import selectors


def _lapse_badge(request, partner) -> int | None:
    return selectors.lapse_list().filter(partner_id=partner.pk).count() or None


portal_nav("training.catalogue", label=pgettext_lazy("portal navigation", "Training"),
           url_name="training-portal:catalogue", roles=PARTNER_ROLES, order=30, badge=_lapse_badge,
           group="learning")


@portal_home_panel("training.qualifications", title=_("Qualifications and training"),
                   template="training/portal/_home_panel.html", roles={Role.PARTNER_ADMIN}, order=15)
def qualifications_panel(request, partner):
    """The partner admin is told when the company no longer meets its required qualifications."""
    summary = selectors.partner_training_summary(partner.pk)
    if not summary["lapses"] and not summary["expiring"]:
        return None
    return {"summary": summary}


@partner_panel("training.summary", title=_("Training and qualifications"),
               template="training/admin/_partner_panel.html", roles=STAFF_ROLES, order=20)
def training_panel(request, partner):
    """Certified staff, certificates expiring soon and lapsed qualifications of the partner."""
    summary = selectors.partner_training_summary(partner.pk)
    qualification = selectors.partner_qualification(partner)
    return {"summary": summary, "qualification": qualification, "partner": partner}
