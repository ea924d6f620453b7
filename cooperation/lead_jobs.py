"""The lead reassignment job (``cooperation.lead_reassignment``, hourly), idempotent.

- every open offer past its deadline expires (a conditional update on the offer's state: an
  answer given meanwhile, or a second run, wins nothing) and its automatically routed lead is
  offered to the next eligible partner (never one that declined or let it expire);
- automatically routed leads left without a partner (nobody was eligible then, or routing failed)
  are tried again, a bounded batch per run.

A re-run changes nothing more: the expired offers are no longer open, and a lead with an open
offer is not routed.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from channelhub.tenancy.jobs import JobOutcome, outcome, tenant_job
from channelhub.tenancy.models import Cadence, Tenant
from channelhub.tenancy.policy import trusted

from .models import WITHOUT_PARTNER, Lead, LeadRouting
from .selectors.leads import offers_past_deadline
from .services.leads import lead_route, offer_expire

RETRY_BATCH = 200


@tenant_job("cooperation.lead_reassignment", label=_("Leads: expire unanswered offers and offer them on"),
            cadence=Cadence.HOURLY)
def lead_reassignment(*, tenant: Tenant, run_at: datetime.datetime) -> JobOutcome:
    expired = 0
    for offer in offers_past_deadline(run_at).order_by("deadline", "pk")[:1000]:
        expired += offer_expire(offer=offer, now=run_at)
    offered = 0
    waiting = (Lead.objects.filter(state__in=WITHOUT_PARTNER, routing=LeadRouting.AUTOMATIC)
               .order_by("state_changed_at", "pk")[:RETRY_BATCH])
    with trusted():
        for lead in waiting:
            offered += lead_route(lead=lead, actor=None, now=run_at) is not None
    return outcome(gettext_noop("lead offers expired: %(expired)s; leads offered: %(offered)s"),
                   expired=expired, offered=offered)
