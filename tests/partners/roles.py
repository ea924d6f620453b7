"""The profile change requests in the role table: staff read them, managers decide them, and the
services behind the portal's profile page and the admin's decision buttons refuse everyone else."""

from __future__ import annotations

from tests.roles.cases import ServiceCase
from tests.roles.table import MANAGERS, NOBODY, STAFF, admin

# A request is a record: made in the portal, decided with the record's buttons, never typed or
# edited here (read-only admin).
admin("partners.partnerchangerequest", view=STAFF, change=NOBODY, extra={
    "admin:partners_partnerchangerequest_decide GET": MANAGERS,
})


def _profile_update(world, user):
    from channelhub.partners import services

    with world.a.scope():
        return services.partner_profile_update(partner=world.a.partner, actor=user, website="https://example.com")


def _submit(world, user):
    from channelhub.partners import services

    _clear_pending(world)
    with world.a.scope():
        return services.change_request_submit(
            partner=world.a.partner, actor=user, changes={"legal_name": f"Renamed {user.pk} Co."})


def _approve(world, user):
    from channelhub.partners import services

    request = _fresh_request(world)
    with world.a.scope():
        return services.change_request_approve(request=request, actor=user, reason="ok")


def _reject(world, user):
    from channelhub.partners import services

    request = _fresh_request(world)
    with world.a.scope():
        return services.change_request_reject(request=request, actor=user, reason="licence does not match")


def _clear_pending(world) -> None:
    """One request waits per partner: the world's own (built by the harness) is set aside first."""
    from channelhub.partners import selectors
    from channelhub.partners.models import ChangeRequestState, PartnerChangeRequest

    with world.a.scope():
        pending = selectors.pending_change_request(partner_id=world.a.partner.pk)
        if pending is not None:
            PartnerChangeRequest.objects.filter(pk=pending.pk).update(state=ChangeRequestState.REJECTED)


def _fresh_request(world):
    """A waiting request of the partner admin's own partner, asked by the system."""
    from channelhub.partners import services

    _clear_pending(world)
    with world.a.scope():
        return services.change_request_submit(
            partner=world.a.partner, actor=None, changes={"legal_name": "Fresh Request Co."})


SERVICES = [
    # Backed by the portal's profile page (partner admin) and the admin's partner form (managers).
    ServiceCase("partner_profile_update", ("portal:profile_edit GET", "admin:partners_partner_change POST"),
                _profile_update),
    ServiceCase("change_request_submit", ("portal:profile_edit GET",), _submit),
    ServiceCase("change_request_approve", ("admin:partners_partnerchangerequest_decide GET",), _approve),
    ServiceCase("change_request_reject", ("admin:partners_partnerchangerequest_decide GET",), _reject),
]
