"""Periodic per-tenant jobs of the partners app (scheduled through ``JobSchedule``)."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from channelhub.tenancy.jobs import JobOutcome, outcome, tenant_job
from channelhub.tenancy.models import Cadence, Tenant

from .models import PartnerStatusSnapshot
from .selectors import partner_figures_refresh, partner_status_counts


@tenant_job(
    "partners.status_snapshot", label=_("Partner status snapshot"), cadence=Cadence.DAILY, hour=1
)
def partner_status_snapshot(*, tenant: Tenant, run_at: datetime) -> JobOutcome:
    """Record today's partner count per status. Idempotent per (tenant, day): a re-run overwrites."""
    day = run_at.astimezone(tenant.zone).date()
    counts = partner_status_counts()
    for status, count in counts.items():
        PartnerStatusSnapshot.objects.update_or_create(
            day=day, status=status, defaults={"count": count}
        )
    return outcome(gettext_noop("%(day)s: partners counted: %(partners)s"), day=day, partners=sum(counts.values()))


@tenant_job(
    "partners.dashboard_rollup", label=_("Partner figures for the dashboard"), cadence=Cadence.HOURLY
)
def partner_dashboard_rollup(*, tenant: Tenant, run_at: datetime) -> JobOutcome:
    """Recompute the dashboard's partner figures. Idempotent: a re-run replaces the same rows."""
    figures = partner_figures_refresh(computed_at=run_at)
    return outcome(gettext_noop("dashboard figures computed: %(figures)s"), figures=figures)
