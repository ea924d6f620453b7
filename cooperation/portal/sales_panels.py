"""Sales reporting's pieces of the portal (navigation, the home reminder) and of the partner 360° page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from channelhub.portal.registry import partner_panel, portal_home_panel, portal_nav
from channelhub.tenancy.roles import STAFF_ROLES

from .. import selectors


def _due(request, partner) -> int | None:
    return 1 if selectors.due_report(partner.pk) is not None else None


portal_nav("cooperation.sales", label=pgettext_lazy("portal navigation", "Sales"),
           url_name="cooperation-portal:sales", order=35, badge=_due, group="business")

portal_nav("cooperation.targets", label=pgettext_lazy("portal navigation", "Targets"),
           url_name="cooperation-portal:targets", order=36, group="business")


@portal_home_panel("cooperation.sales_due", title=_("Sales report due"),
                   template="cooperation/portal/_sales_due_panel.html", order=6)
def sales_due(request, partner):
    period = selectors.due_report(partner.pk)
    return {"period": period} if period is not None else None


@partner_panel("cooperation.sales", title=_("Reported sales"), template="cooperation/admin/_sales_panel.html",
               roles=STAFF_ROLES, order=21)
def sales_panel(request, partner):
    months = selectors.monthly_sales(partner.pk)
    if not any(month["amount"] for month in months):
        return None
    return {"months": months, "periods": selectors.partner_periods(partner.pk, limit=6), "partner": partner}
