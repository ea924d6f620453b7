"""Cooperation's work queues on the admin home (``channelhub.admin.queues``): one COUNT each."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from channelhub.admin.queues import Queue, changelist_url, work_queue

from .. import selectors
from ..models import IN_FORCE, Agreement, AgreementState
from ..permissions import AGREEMENT_COUNTERSIGN, AGREEMENT_REVIEW, AGREEMENT_TERMINATE, THREAD_WRITE
from ._common import staff_roles


@work_queue("cooperation.awaiting_legal_review", label=_("Agreements awaiting legal review"),
            roles=staff_roles(AGREEMENT_REVIEW), order=50)
def awaiting_legal_review(request) -> Queue:
    count = Agreement.objects.filter(state=AgreementState.LEGAL_REVIEW).count()
    return Queue(count=count,
                 url=changelist_url("cooperation.agreement", f"state__exact={AgreementState.LEGAL_REVIEW}"))


@work_queue("cooperation.awaiting_countersignature", label=_("Agreements awaiting countersignature"),
            roles=staff_roles(AGREEMENT_COUNTERSIGN), order=51)
def awaiting_countersignature(request) -> Queue:
    count = Agreement.objects.filter(state=AgreementState.PARTNER_SIGNED).count()
    return Queue(count=count,
                 url=changelist_url("cooperation.agreement", f"state__exact={AgreementState.PARTNER_SIGNED}"))


@work_queue("cooperation.expiring_soon", label=_("Agreements expiring soon"),
            roles=staff_roles(AGREEMENT_TERMINATE), order=52)
def expiring_soon(request) -> Queue:
    today = timezone.localdate()
    days = selectors.reminder_days()
    count = Agreement.objects.filter(state__in=IN_FORCE, end_date__lte=today + datetime.timedelta(days=days)).count()
    return Queue(count=count, url=changelist_url("cooperation.agreement", f"state__exact={AgreementState.EXPIRING}"))


@work_queue("cooperation.unread_threads", label=_("Partner messages waiting for an answer"),
            roles=staff_roles(THREAD_WRITE), order=53)
def unread_threads(request) -> Queue:
    count = selectors.unread_threads_for_manager(request.user).count()
    return Queue(count=count, url=changelist_url("cooperation.thread", "unread=mine"))
