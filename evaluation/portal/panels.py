"""Evaluation's pieces of the portal and of the manager's partner page (``channelhub.portal.registry``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from channelhub.admin.partner_page import partner_fact
from channelhub.portal.registry import partner_panel, portal_home_panel, portal_nav
from channelhub.tenancy.roles import STAFF_ROLES

from .. import selectors


def _survey_open(request, partner) -> int | None:
    return None if selectors.survey_answered(partner_id=partner.pk) else 1


portal_nav("evaluation.scorecard", label=pgettext_lazy("portal navigation", "Performance"),
           url_name="evaluation-portal:scorecard", order=40, group="learning")
portal_nav("evaluation.survey", label=pgettext_lazy("portal navigation", "Relationship survey"),
           url_name="evaluation-portal:survey", order=41, badge=_survey_open,
           group="learning")


@portal_home_panel("evaluation.latest", title=_("Your latest performance review"),
                   template="evaluation/portal/_home_panel.html", order=15)
def latest(request, partner):
    score = selectors.published_scores(partner_id=partner.pk).first()
    if score is None:
        return None
    return {"score": score, "tier": selectors.current_tier(partner_id=partner.pk),
            "open_plans": selectors.partner_plans(partner_id=partner.pk).filter(state="open").count()}


@partner_panel("evaluation.partner", title=_("Performance: score, tier and improvement"),
               template="evaluation/admin/_partner_panel.html", roles=STAFF_ROLES, order=40)
def evaluation_panel(request, partner):
    scores = list(selectors.published_scores(partner_id=partner.pk)[:6])
    tier = selectors.current_tier(partner_id=partner.pk)
    history = selectors.tier_history(partner_id=partner.pk, limit=6)
    plans = list(selectors.partner_plans(partner_id=partner.pk)[:3])
    if not scores and tier is None and not plans:
        return None
    return {"latest": scores[0] if scores else None, "trend": scores, "tier": tier, "history": history,
            "plans": plans, "partner": partner}


@partner_fact("evaluation.tier", label=_("Tier"), roles=STAFF_ROLES, order=30)
def tier_fact(request, partner) -> str | None:
    current = selectors.current_tier(partner_id=partner.pk)
    return current.tier.name if current is not None else None
