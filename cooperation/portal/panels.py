"""Cooperation's pieces of the portal and of the manager's partner page (``channelhub.portal.registry``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from channelhub.portal.registry import partner_panel, portal_gate, portal_home_panel, portal_nav
from channelhub.tenancy.roles import STAFF_ROLES

from .. import selectors


def _agreements_to_sign(request, partner) -> int | None:
    return selectors.awaiting_signature(partner.pk).count() or None


def _unread_threads(request, partner) -> int | None:
    return selectors.unread_threads_for_partner(partner.pk) or None


portal_nav("cooperation.agreements", label=pgettext_lazy("portal navigation", "Agreements"),
           url_name="cooperation-portal:agreements", order=30, badge=_agreements_to_sign,
           group="company")
portal_nav("cooperation.announcements", label=pgettext_lazy("portal navigation", "Announcements"),
           url_name="cooperation-portal:announcements", order=31, group="communication")
portal_nav("cooperation.threads", label=pgettext_lazy("portal navigation", "Messages"),
           url_name="cooperation-portal:threads", order=32, badge=_unread_threads,
           group="communication")
portal_nav("cooperation.events", label=pgettext_lazy("portal navigation", "Events"),
           url_name="cooperation-portal:events", order=33, group="communication")
portal_nav("cooperation.library", label=pgettext_lazy("portal navigation", "Library"),
           url_name="cooperation-portal:library", order=34, group="communication")


@portal_home_panel("cooperation.attention", title=_("Cooperation: needs your attention"),
                   template="cooperation/portal/_home_panel.html", order=5)
def attention(request, partner):
    """Agreements waiting for signature and announcements to acknowledge (nothing when there is none)."""
    to_sign = list(selectors.awaiting_signature(partner.pk)[:5])
    to_acknowledge = list(selectors.unacknowledged_for(partner, user=request.user)[:5])
    if not to_sign and not to_acknowledge:
        return None
    return {"to_sign": to_sign, "to_acknowledge": to_acknowledge}


@partner_panel("cooperation.partner", title=_("Cooperation: agreements and messages"),
               template="cooperation/admin/_partner_panel.html", roles=STAFF_ROLES, order=20)
def cooperation_panel(request, partner):
    agreements = list(selectors.agreement_list(partner_id=partner.pk).order_by("-created_at", "-pk")[:5])
    last = selectors.last_messages(partner.pk)
    if not agreements and not last:
        return None
    return {"agreements": agreements, "last_messages": last, "partner": partner}


@portal_gate("cooperation.first_agreement")
def first_agreement_gate(request, partner, view) -> str | None:
    """With the tenant's setting on, a partner that has signed no agreement sees its agreements only."""
    if getattr(view, "open_before_first_agreement", False):
        return None
    setting = selectors.settings_of_tenant()
    if setting is None or not setting.require_signed_agreement or selectors.has_signed_agreement(partner.pk):
        return None
    return reverse("cooperation-portal:agreements")
