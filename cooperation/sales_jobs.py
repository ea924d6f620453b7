"""The sales reporting deadline job (``cooperation.sales_deadlines``, daily), idempotent.

- opens last month's reporting period (default deadline: the 10th of the following month);
- three days before a period's deadline, reminds the administrators of every active partner
  that has not reported it (once per period: ``reminded_at`` is claimed with a conditional update);
- after the deadline, records every active partner without a report as late (once per period),
  which is what reporting timeliness reads.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from channelhub.notifications.registry import notification_kind
from channelhub.notifications.services import notify
from channelhub.tenancy.jobs import JobOutcome, outcome, tenant_job
from channelhub.tenancy.models import Cadence, Membership, Tenant, User
from channelhub.tenancy.roles import Role

from . import selectors
from .models import SalesPeriod, month_start
from .services.sales import periods_for, record_missing_reports

REMIND_DAYS_BEFORE = 3

SALES_DUE = notification_kind("cooperation.sales_due", _("Sales report due"), important=True).key


def remind(period: SalesPeriod) -> int:
    """Tell the administrators of the partners that have not reported ``period`` (once)."""
    claimed = SalesPeriod.objects.filter(pk=period.pk, reminded_at__isnull=True).update(reminded_at=timezone.now())
    if not claimed:
        return 0
    partners = selectors.partners_to_remind(period).values("pk")
    users = User.objects.filter(pk__in=Membership.objects.filter(
        partner_id__in=partners, role=Role.PARTNER_ADMIN, is_active=True).values("user_id"), is_active=True)
    rows = notify(recipients=list(users), kind=SALES_DUE,
                  title=_("Sales report for %(period)s due on %(deadline)s"),
                  body=_("Please report your sales of %(period)s by %(deadline)s (form, file upload or API)."),
                  params={"period": period.key, "deadline": period.deadline.isoformat()},
                  url=reverse("cooperation-portal:sales"))
    return len(rows)


@tenant_job("cooperation.sales_deadlines", label=_("Sales reports: open periods, remind, record late reports"),
            cadence=Cadence.DAILY, hour=7)
def sales_deadlines(*, tenant: Tenant, run_at: datetime.datetime) -> JobOutcome:
    today = run_at.astimezone(tenant.zone).date()
    last_month = (month_start(today) - datetime.timedelta(days=1)).replace(day=1)
    periods_for([last_month])
    reminded = 0
    for period in SalesPeriod.objects.filter(
            is_closed=False, reminded_at__isnull=True, deadline__gte=today,
            deadline__lte=today + datetime.timedelta(days=REMIND_DAYS_BEFORE)):
        reminded += remind(period)
    late = 0
    for period in SalesPeriod.objects.filter(deadline__lt=today, missing_recorded_at__isnull=True):
        late += record_missing_reports(period=period)
    return outcome(gettext_noop("%(day)s: reminders sent: %(reminded)s; missing reports recorded: %(late)s"),
                   day=today, reminded=reminded, late=late)
