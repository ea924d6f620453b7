"""The partner register's work queue on the admin home (``channelhub.admin.queues``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from channelhub.admin.queues import Queue, work_queue

from .models import ChangeRequestState, PartnerChangeRequest
from .permissions import CHANGE_REQUEST_DECIDE


@work_queue("partners.change_requests", label=_("Profile change requests"), roles=CHANGE_REQUEST_DECIDE.roles,
            order=60)
def profile_change_requests(request) -> Queue:
    """Partners' requests to change their legal details, waiting for a manager (one indexed COUNT)."""
    count = PartnerChangeRequest.objects.filter(state=ChangeRequestState.PENDING).count()
    url = reverse("admin:partners_partnerchangerequest_changelist")
    return Queue(count=count, url=f"{url}?state__exact={ChangeRequestState.PENDING}")
