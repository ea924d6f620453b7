"""Training's work queues on the admin home (``channelhub.admin.queues``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from channelhub.admin.queues import Queue, work_queue
from channelhub.tenancy.roles import MANAGERS

from .. import selectors
from ..models import QualificationState


@work_queue("training.lapsed_qualifications", label=_("Partners with lapsed qualifications"),
            roles=MANAGERS, order=40)
def lapsed_qualifications(request) -> Queue:
    """Open lapses (one COUNT over the (tenant, resolved_at) index)."""
    count = selectors.lapse_list().values("partner_id").distinct().count()
    return Queue(count=count, url=reverse("admin:training_qualificationlapse_changelist") + "?resolved_at__isempty=1")


@work_queue("training.qualifications_to_verify", label=_("External qualifications to verify"),
            roles=MANAGERS, order=41)
def qualifications_to_verify(request) -> Queue:
    count = selectors.qualification_list().filter(state=QualificationState.PENDING).count()
    return Queue(count=count, url=reverse("admin:training_qualification_changelist") + "?state__exact=pending")


