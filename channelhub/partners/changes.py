"""Profile change requests: a partner asks to change what identifies it; a channel manager decides.

Re-exported from ``channelhub.partners.services``. Approving applies the proposed values through
``partner_update`` (which authorizes the manager again and validates the whole partner, so a
credit code taken meanwhile is refused and nothing changes); rejecting needs a reason. Both
are transitions of ``CHANGE_REQUEST_WORKFLOW`` (who, when, why in the audit trail) and tell the
requester through a notification.
"""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from channelhub.notifications.services import notify
from channelhub.tenancy.models import User
from channelhub.tenancy.policy import authorize
from channelhub.tenancy.services import audited_save
from channelhub.tenancy.workflow import transition

from .models import (
    CHANGE_REQUEST_WORKFLOW,
    IDENTITY_FIELDS,
    ChangeRequestState,
    Partner,
    PartnerChangeRequest,
)
from .notifications import CHANGE_REQUEST_DECIDED, CHANGE_REQUEST_SUBMITTED
from .permissions import CHANGE_REQUEST_DECIDE, CHANGE_REQUEST_SUBMIT


def _text(value) -> str:
    return "" if value is None else str(value)


def _candidate(partner: Partner, changes: dict[str, Any]) -> Partner:
    """A copy of ``partner`` with ``changes`` applied and validated (field errors keyed by field)."""
    candidate = copy.copy(partner)
    for name, value in changes.items():
        field = Partner._meta.get_field(name)
        setattr(candidate, name, None if (value in ("", None) and field.null) else value)
    others = [f.name for f in Partner._meta.fields if f.name not in changes]
    candidate.clean_fields(exclude=others)
    if candidate.credit_code is not None:
        from .validators import normalise_credit_code

        candidate.credit_code = normalise_credit_code(candidate.credit_code) or None
    candidate.validate_constraints()
    return candidate


@transaction.atomic
def change_request_submit(
    *, partner: Partner, actor: User | None, changes: dict[str, Any], comment: str = "",
) -> PartnerChangeRequest:
    """Ask to change fields that identify ``partner`` (its own administrator, or a manager).

    Only ``IDENTITY_FIELDS`` that differ from the record are kept; nothing different is an
    error. The values are validated now (a malformed credit code is refused at once) and again
    on approval. One request per partner waits at a time.
    """
    authorize(actor, CHANGE_REQUEST_SUBMIT.code, tenant=partner.tenant_id, partner=partner)
    unknown = set(changes) - set(IDENTITY_FIELDS)
    if unknown:
        raise ValidationError(_("Only the fields that identify the company go through a request."))
    candidate = _candidate(partner, changes)
    proposed = {
        name: _text(getattr(candidate, name)) for name in changes
        if _text(getattr(candidate, name)) != _text(getattr(partner, name))
    }
    if not proposed:
        raise ValidationError(_("Nothing to change: these are the values on record."))
    request = PartnerChangeRequest(
        partner=partner, changes=proposed, comment=comment, requested_by=actor,
        previous={name: _text(getattr(partner, name)) for name in proposed},
    )
    audited_save(request, actor=actor, reason=_("Change requested"))
    if partner.owner_id:
        notify(
            recipients=[partner.owner], kind=CHANGE_REQUEST_SUBMITTED, actor=actor,
            title=gettext_lazy("%(partner)s asks to change its legal details"),
            body=gettext_lazy("Approve or reject the request on its page."),
            params={"partner": partner.legal_name},
            url=reverse("admin:partners_partnerchangerequest_change", args=[request.pk]),
        )
    return request


def _decided(request: PartnerChangeRequest, actor, reason: str) -> dict[str, Any]:
    return {"decided_by": actor, "decided_at": timezone.now(), "decision_reason": reason}


def _tell_requester(request: PartnerChangeRequest, actor, *, approved: bool, reason: str) -> None:
    if request.requested_by is None:
        return
    if approved:
        title = gettext_lazy("Your change of legal details was approved")
        body = gettext_lazy("The company profile now shows the new values.")
    else:
        title = gettext_lazy("Your change of legal details was rejected")
        body = gettext_lazy("Reason: %(reason)s")
    notify(recipients=[request.requested_by], kind=CHANGE_REQUEST_DECIDED, actor=actor, title=title, body=body,
           params={"reason": reason}, url=reverse("portal:profile"))


@transaction.atomic
def change_request_approve(
    *, request: PartnerChangeRequest, actor: User | None, reason: str = "",
) -> PartnerChangeRequest:
    """Approve a waiting request and apply its values to the partner (or change nothing if they no longer fit)."""
    authorize(actor, CHANGE_REQUEST_DECIDE.code, tenant=request.tenant_id)
    transition(workflow=CHANGE_REQUEST_WORKFLOW, instance=request, to_state=ChangeRequestState.APPROVED,
               actor=actor, reason=reason or _("Approved"), extra_updates=_decided(request, actor, reason))
    from .services import partner_update

    partner = Partner.objects.select_for_update().get(pk=request.partner_id)
    fields = {}
    for name, value in request.changes.items():
        field = Partner._meta.get_field(name)
        fields[name] = None if (value == "" and field.null) else field.to_python(value)
    partner_update(
        partner=partner, actor=actor, **fields,
        reason=_("Change request approved: %(reason)s") % {"reason": reason} if reason
        else _("Change request approved"),
    )
    _tell_requester(request, actor, approved=True, reason=reason)
    return request


@transaction.atomic
def change_request_reject(
    *, request: PartnerChangeRequest, actor: User | None, reason: str,
) -> PartnerChangeRequest:
    """Reject a waiting request, saying why (the requester reads the reason); the partner is unchanged."""
    authorize(actor, CHANGE_REQUEST_DECIDE.code, tenant=request.tenant_id)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the request is rejected: the partner reads it.")})
    transition(workflow=CHANGE_REQUEST_WORKFLOW, instance=request, to_state=ChangeRequestState.REJECTED,
               actor=actor, reason=reason, extra_updates=_decided(request, actor, reason))
    _tell_requester(request, actor, approved=False, reason=reason)
    return request
