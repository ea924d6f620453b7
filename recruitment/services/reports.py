"""The recruitment reports' rollup, recomputed on request.

The hourly job ``recruitment.report_rollup`` keeps the reports' figures; a member of staff who
may read the reports can have them recomputed at once (the reports page's *Recompute now*).
"""

from __future__ import annotations

from django.utils import timezone

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import Tenant, User
from channelhub.tenancy.policy import authorize

from .. import selectors
from ..permissions import REPORTS_VIEW


def report_figures_recompute(*, tenant: Tenant, actor: User | None) -> int:
    """Rewrite the tenant's report figures now, as the job does; return how many rows.

    Only someone who may see the recruitment reports (``recruitment.reports.view``). The figures
    are the job's (``selectors.report_figures_refresh``): months in the tenant's time zone.
    """
    authorize(actor, REPORTS_VIEW.code, tenant=tenant)
    with tenant_scope(tenant), timezone.override(tenant.zone):
        return selectors.report_figures_refresh(computed_at=timezone.now())
