"""Periodic per-tenant jobs of recruitment (scheduled through ``JobSchedule``; see
``channelhub.tenancy.jobs``), and the on-write upkeep of the dashboard's rollup between runs.

- ``recruitment.dashboard_rollup`` (hourly): rewrites ``RecruitmentFigure`` (applications per
  state, the funnel, received per month). Idempotent: one row per key, a re-run replaces.
- ``recruitment.report_rollup`` (hourly): rewrites ``RecruitmentReportFigure`` (the reports: the
  funnel, time to decision, reviewer workload). Idempotent: one row per key, a re-run replaces
  and a key that vanished is deleted.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.jobs import JobOutcome, outcome, tenant_job
from channelhub.tenancy.models import Cadence, Tenant
from channelhub.tenancy.workflow import state_changed

from . import selectors
from .models import Application
from .workflow import APPLICATION_WORKFLOW


@tenant_job("recruitment.dashboard_rollup", label=_("Recruitment figures for the dashboard"),
            cadence=Cadence.HOURLY)
def recruitment_dashboard_rollup(*, tenant: Tenant, run_at: datetime) -> JobOutcome:
    """Recompute the dashboard's recruitment figures. Idempotent: a re-run replaces the same rows."""
    with timezone.override(tenant.zone):  # months as the tenant's staff see them
        rows = selectors.figures_refresh(computed_at=run_at)
    return outcome(gettext_noop("dashboard figures computed: %(figures)s"), figures=rows)


@tenant_job("recruitment.report_rollup", label=_("Recruitment figures for the reports"),
            cadence=Cadence.HOURLY)
def recruitment_report_rollup(*, tenant: Tenant, run_at: datetime) -> JobOutcome:
    """Recompute the recruitment reports' figures. Idempotent: a re-run replaces the same rows."""
    with timezone.override(tenant.zone):  # months of decision as the tenant's staff see them
        rows = selectors.report_figures_refresh(computed_at=run_at)
    return outcome(gettext_noop("report figures computed: %(figures)s"), figures=rows)


@receiver(state_changed, sender=Application, dispatch_uid="recruitment.figures_shift")
def _application_moved(sender, *, instance: Application, workflow, from_state: str, to_state: str, **kwargs) -> None:
    # Sent after the commit: two single-row updates keep the state counts current between runs.
    if workflow is not APPLICATION_WORKFLOW:
        return
    with tenant_scope(instance.tenant_id):
        selectors.figures_shift(from_state=from_state, to_state=to_state)


@receiver(post_save, sender=Application, dispatch_uid="recruitment.figures_created")
def _application_created(sender, *, instance: Application, created: bool, raw: bool = False, **kwargs) -> None:
    if not created or raw:
        return
    tenant = instance.tenant  # set by whoever created it (no query)

    def count_it() -> None:
        with tenant_scope(tenant), timezone.override(tenant.zone):  # its month as the tenant sees it
            selectors.figures_created(application=instance)

    transaction.on_commit(count_it)
