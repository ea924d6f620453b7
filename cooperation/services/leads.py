"""Lead distribution (线索分配): leads forwarded to partners by hand or by routing; partners answer.

Rules enforced here:

- a lead is with one partner at a time (one open offer; the database refuses a second) and a
  partner is offered a lead once: who was offered, when, until when and how they answered is
  the ``LeadOffer`` history, never overwritten;
- automatic routing offers the lead to an *eligible* partner: active, in the lead's region (its
  sub-regions, or a region that contains it), of the lead's partner type when it names one,
  never offered this lead before, with a routing weight above zero. Among them the one with the
  fewest open offers wins, then the one with the fewest recent offers per unit of weight (a
  weighted round-robin), then the oldest partner;
- every answer is a compare-and-swap on the offer's state (two clicks, or a click racing the
  reassignment job, cannot both win); an answer after the deadline is refused;
- a declined or expired offer of an automatically routed lead is offered to the next eligible
  partner at once (the job catches what is left); a manual lead waits for its channel manager.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from channelhub import tiers
from channelhub.notifications.registry import notification_kind
from channelhub.notifications.services import notify
from channelhub.partners.models import Partner, PartnerStatus, Product, Region
from channelhub.tenancy.models import Membership, Tenant, User
from channelhub.tenancy.policy import authorize, trusted
from channelhub.tenancy.services import audited_save, require_same_tenant
from channelhub.tenancy.workflow import Workflow, transition

from ..models import (
    LEAD_CLOSED,
    WITHOUT_PARTNER,
    Lead,
    LeadOffer,
    LeadRouting,
    LeadRoutingWeight,
    LeadState,
    OfferState,
)
from ..permissions import LEAD_MANAGE, LEAD_RESPOND

S = LeadState
LEAD_WORKFLOW = Workflow.build(
    name="cooperation.lead",
    verbose_name=pgettext_lazy("workflow", "lead"),
    state_field="state",
    states=LeadState,
    moves={
        S.NEW: {S.OFFERED, S.LOST},
        S.OFFERED: {S.ACCEPTED, S.DECLINED, S.EXPIRED, S.NEW, S.LOST},
        S.DECLINED: {S.OFFERED, S.LOST},
        S.EXPIRED: {S.OFFERED, S.LOST},
        S.ACCEPTED: {S.CONVERTED, S.LOST},
        S.CONVERTED: set(),
        S.LOST: set(),
    },
    changed_at_field="state_changed_at",
)

LEAD_OFFERED = notification_kind("cooperation.lead_offered", gettext_lazy("Lead offered to you"), important=True).key

# Recent offers count towards the round-robin for this long.
ROUND_ROBIN_DAYS = 90
EDITABLE = ("company", "contact_name", "contact_phone", "contact_email", "region", "partner_type", "product",
            "interest", "value", "source", "description", "routing", "response_hours")


# --------------------------------------------------------------------------- routing

def routing_weight(partner_ids) -> dict[int, Decimal]:
    """The routing weight of each of ``partner_ids`` (0: never offered automatically).

    The one place automatic routing reads a partner's weight: the weight the tenant set for the
    partner (``LeadRoutingWeight``, in the admin) where there is one, otherwise its tier's lead
    weight through the platform's tier contract (``channelhub.tiers``: 1 without a tier).
    """
    ids = list(partner_ids)
    weights = tiers.lead_weights(ids)
    weights.update(LeadRoutingWeight.objects.filter(partner_id__in=ids).values_list("partner_id", "weight"))
    return weights


def _ancestor_paths(path: str) -> list[str]:
    parts = [part for part in path.split("/") if part]
    return ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts))]


def eligible_partners(lead: Lead):
    """Active partners in the lead's region (or a region containing it), of its type, not offered it yet."""
    region = Region.objects.get(pk=lead.region_id)
    where = Q(region__path__startswith=region.path) | Q(region__path__in=_ancestor_paths(region.path))
    partners = Partner.objects.filter(where, status=PartnerStatus.ACTIVE).exclude(
        pk__in=LeadOffer.objects.filter(lead_id=lead.pk).values("partner_id"))
    if lead.partner_type:
        partners = partners.filter(partner_type=lead.partner_type)
    return partners


def pick_partner(lead: Lead, *, now: datetime.datetime | None = None) -> Partner | None:
    """The next partner for ``lead`` (see the module's rules), or None when nobody is eligible."""
    now = now or timezone.now()
    open_offers = (LeadOffer.objects.filter(partner_id=OuterRef("pk"), state=OfferState.OPEN)
                   .values("partner_id").annotate(n=Count("pk")).values("n"))
    recent = (LeadOffer.objects.filter(partner_id=OuterRef("pk"),
                                       offered_at__gte=now - datetime.timedelta(days=ROUND_ROBIN_DAYS))
              .values("partner_id").annotate(n=Count("pk")).values("n"))
    rows = list(eligible_partners(lead).annotate(
        open_count=Coalesce(Subquery(open_offers), Value(0)), recent_count=Coalesce(Subquery(recent), Value(0)),
    ).values_list("pk", "open_count", "recent_count")[:500])
    if not rows:
        return None
    weights = routing_weight(pk for pk, _open, _recent in rows)
    ranked = sorted(
        ((open_count, Decimal(recent_count + 1) / weights[pk], pk)
         for pk, open_count, recent_count in rows if weights[pk] > 0),
    )
    return Partner.objects.get(pk=ranked[0][2]) if ranked else None


# --------------------------------------------------------------------------- creating and changing leads

def _clean_fields(tenant_id: int, fields: dict[str, Any]) -> dict[str, Any]:
    values = {name: value for name, value in fields.items() if name in EDITABLE}
    for name in ("company", "contact_name", "contact_phone", "contact_email", "interest", "description"):
        if name in values:
            values[name] = (values[name] or "").strip()
    if "company" in values and not values["company"]:
        raise ValidationError({"company": _("Name the company.")})
    require_same_tenant(tenant_id, values.get("region"), values.get("product"))
    if isinstance(values.get("product"), Product) and not values["product"].is_active:
        raise ValidationError({"product": _("This product is no longer sold.")})
    if values.get("value") is not None:
        value = Decimal(str(values["value"]))
        if not value.is_finite() or value < 0 or value > Decimal("99999999999999.99"):
            raise ValidationError({"value": _("Enter a value from 0 to 99,999,999,999,999.99.")})
        values["value"] = value.quantize(Decimal("0.01"))
    return values


@transaction.atomic
def lead_create(*, tenant: Tenant, actor: User | None, offer_to: Partner | None = None, **fields: Any) -> Lead:
    """A new lead; forwarded to ``offer_to`` when given, else routed at once when its routing is automatic."""
    authorize(actor, LEAD_MANAGE.code, tenant=tenant)
    values = _clean_fields(tenant.pk, fields)
    if values.get("region") is None:
        raise ValidationError({"region": _("Choose the lead's region.")})
    lead = Lead(tenant=tenant, created_by=actor, **values)
    audited_save(lead, actor=actor, reason=_("Lead created"))
    if offer_to is not None:
        lead_offer(lead=lead, actor=actor, partner=offer_to)
    elif lead.routing == LeadRouting.AUTOMATIC:
        with trusted():
            lead_route(lead=lead, actor=actor)
    lead.refresh_from_db()
    return lead


@transaction.atomic
def lead_update(*, lead: Lead, actor: User | None, offer_to: Partner | None = None, **fields: Any) -> Lead:
    """Change a lead's details (not once it is converted or lost); ``offer_to`` forwards it."""
    authorize(actor, LEAD_MANAGE.code, tenant=lead.tenant_id)
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    values = _clean_fields(lead.tenant_id, fields)
    if values:
        if lead.state in LEAD_CLOSED:
            raise ValidationError(_("This lead is closed: its details no longer change."))
        for name, value in values.items():
            setattr(lead, name, value)
        audited_save(lead, actor=actor, reason=_("Lead changed"))
    if offer_to is not None:
        lead_offer(lead=lead, actor=actor, partner=offer_to)
        lead.refresh_from_db()
    return lead


# --------------------------------------------------------------------------- offering

def _partner_staff(partner_id: int):
    return User.objects.filter(is_active=True, pk__in=Membership.objects.filter(
        partner_id=partner_id, is_active=True).values("user_id"))


def _offer(lead: Lead, partner: Partner, *, actor: User | None, automatic: bool,
           deadline: datetime.datetime | None = None, now: datetime.datetime | None = None) -> LeadOffer:
    now = now or timezone.now()
    deadline = deadline or now + datetime.timedelta(hours=lead.response_hours)
    if deadline <= now:
        raise ValidationError({"deadline": _("The deadline must lie in the future.")})
    if lead.state == S.OFFERED:
        _withdraw_open(lead, actor=actor)
    offer = LeadOffer(tenant_id=lead.tenant_id, lead=lead, partner=partner, automatic=automatic, offered_by=actor,
                      offered_at=now, deadline=deadline)
    try:
        with transaction.atomic():
            audited_save(offer, actor=actor, reason=_("Offered automatically") if automatic else _("Forwarded"))
    except (IntegrityError, ValidationError):
        raise ValidationError({"partner": _("%(partner)s has been offered this lead before.")
                               % {"partner": partner}}) from None
    transition(workflow=LEAD_WORKFLOW, instance=lead, to_state=S.OFFERED, actor=actor,
               reason=_("Offered to %(partner)s") % {"partner": partner}, extra_updates={"partner_id": partner.pk})
    notify(recipients=list(_partner_staff(partner.pk)), kind=LEAD_OFFERED, actor=actor,
           title=gettext_lazy("New lead: %(company)s"),
           body=gettext_lazy("Accept or decline it by %(deadline)s."),
           params={"company": lead.company, "deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")},
           url=reverse("cooperation-portal:lead", args=[offer.pk]))
    return offer


def _withdraw_open(lead: Lead, *, actor: User | None) -> None:
    for offer in LeadOffer.objects.filter(lead_id=lead.pk, state=OfferState.OPEN):
        if LeadOffer.objects.filter(pk=offer.pk, state=OfferState.OPEN).update(state=OfferState.WITHDRAWN):
            offer.state = OfferState.WITHDRAWN
            audited_save(offer, actor=actor, reason=_("Withdrawn: forwarded to another partner"),
                         update_fields=["state"])
    transition(workflow=LEAD_WORKFLOW, instance=lead, to_state=S.NEW, actor=actor, reason=_("Offer withdrawn"),
               extra_updates={"partner_id": None})


@transaction.atomic
def lead_offer(*, lead: Lead, actor: User | None, partner: Partner,
               deadline: datetime.datetime | None = None) -> LeadOffer:
    """Forward ``lead`` to ``partner`` by hand (an open offer to someone else is withdrawn first).

    By hand a lead may go to a partner still onboarding; automatic routing offers active partners only.
    """
    authorize(actor, LEAD_MANAGE.code, tenant=lead.tenant_id)
    require_same_tenant(lead.tenant_id, partner)
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if lead.state not in (*WITHOUT_PARTNER, S.OFFERED):
        raise ValidationError(_("Only a lead that no partner has accepted can be forwarded (this one is %(state)s).")
                              % {"state": lead.get_state_display()})
    if partner.status in (PartnerStatus.SUSPENDED, PartnerStatus.TERMINATED):
        raise ValidationError({"partner": _("A suspended or terminated partner takes no leads.")})
    if LeadOffer.objects.filter(lead_id=lead.pk, partner_id=partner.pk).exists():
        raise ValidationError({"partner": _("%(partner)s has been offered this lead before.") % {"partner": partner}})
    return _offer(lead, partner, actor=actor, automatic=False, deadline=deadline)


@transaction.atomic
def lead_route(*, lead: Lead, actor: User | None, now: datetime.datetime | None = None) -> LeadOffer | None:
    """Offer ``lead`` to the next eligible partner (None, and the lead unchanged, when there is none).

    ``now``: the moment the offer is made (the job passes the time its run was due).
    """
    authorize(actor, LEAD_MANAGE.code, tenant=lead.tenant_id)
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if lead.state not in WITHOUT_PARTNER:
        raise ValidationError(_("Only a lead without a partner is routed (this one is %(state)s).")
                              % {"state": lead.get_state_display()})
    partner = pick_partner(lead, now=now)
    if partner is None:
        return None
    return _offer(lead, partner, actor=actor, automatic=True, now=now)


# --------------------------------------------------------------------------- the partner's answer

def _answerable(offer: LeadOffer, actor: User | None) -> LeadOffer:
    authorize(actor, LEAD_RESPOND.code, tenant=offer.tenant_id, partner=offer.partner_id)
    offer = LeadOffer.objects.get(pk=offer.pk)
    if offer.state != OfferState.OPEN:
        raise ValidationError(_("This offer is answered already (%(state)s).") % {"state": offer.get_state_display()})
    if offer.deadline <= timezone.now():
        raise ValidationError(_("The deadline to answer this offer has passed."))
    return offer


def _claim(offer: LeadOffer, state: str, actor: User | None, reason: str, **fields: Any) -> LeadOffer:
    """Compare-and-swap the offer out of *open*; refuse when someone (or the job) got there first."""
    now = timezone.now()
    won = LeadOffer.objects.filter(pk=offer.pk, state=OfferState.OPEN, deadline__gt=now).update(
        state=state, responded_at=now, responded_by=actor, **fields)
    if not won:
        raise ValidationError(_("This offer was answered or expired meanwhile; reload the page."))
    offer.refresh_from_db()
    audited_save(offer, actor=actor, reason=reason, update_fields=["state"])
    return offer


@transaction.atomic
def offer_accept(*, offer: LeadOffer, actor: User | None) -> LeadOffer:
    """The partner takes the lead: it is theirs to work, nobody else is offered it."""
    offer = _answerable(offer, actor)
    offer = _claim(offer, OfferState.ACCEPTED, actor, _("Accepted"))
    lead = Lead.objects.get(pk=offer.lead_id)
    transition(workflow=LEAD_WORKFLOW, instance=lead, to_state=S.ACCEPTED, actor=actor,
               reason=_("Accepted by %(partner)s") % {"partner": offer.partner})
    return offer


@transaction.atomic
def offer_decline(*, offer: LeadOffer, actor: User | None, reason: str = "") -> LeadOffer:
    """The partner passes; an automatically routed lead goes to the next eligible partner at once."""
    offer = _answerable(offer, actor)
    offer = _claim(offer, OfferState.DECLINED, actor, _("Declined"), decline_reason=(reason or "").strip()[:300])
    lead = Lead.objects.get(pk=offer.lead_id)
    transition(workflow=LEAD_WORKFLOW, instance=lead, to_state=S.DECLINED, actor=actor,
               reason=_("Declined by %(partner)s") % {"partner": offer.partner})
    _reassign(lead)
    return offer


def offer_expire(*, offer: LeadOffer, now: datetime.datetime | None = None) -> bool:
    """Expire an open offer past its deadline (the job); False when it was answered or expired already."""
    now = now or timezone.now()
    with transaction.atomic():
        if not LeadOffer.objects.filter(pk=offer.pk, state=OfferState.OPEN, deadline__lte=now).update(
                state=OfferState.EXPIRED, responded_at=now):
            return False
        offer.refresh_from_db()
        audited_save(offer, actor=None, reason=_("No answer by the deadline"), update_fields=["state"])
        lead = Lead.objects.get(pk=offer.lead_id)
        if lead.state == S.OFFERED:
            transition(workflow=LEAD_WORKFLOW, instance=lead, to_state=S.EXPIRED, actor=None,
                       reason=_("%(partner)s did not answer by the deadline") % {"partner": offer.partner})
            _reassign(lead, now=now)
    return True


def _reassign(lead: Lead, now: datetime.datetime | None = None) -> LeadOffer | None:
    """The system offers an automatic lead to the next partner (no one left: it waits in the manager's queue)."""
    if lead.routing != LeadRouting.AUTOMATIC:
        return None
    with trusted():
        return lead_route(lead=lead, actor=None, now=now)


# --------------------------------------------------------------------------- outcome

@transaction.atomic
def lead_close(*, lead: Lead, actor: User | None, outcome: str, note: str = "") -> Lead:
    """Record the outcome: *converted* (won, by the partner that accepted it) or *lost*.

    The channel manager may record either; the accepting partner's staff record the outcome
    of a lead they accepted. A lead nobody accepted can only be lost.
    """
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if lead.state == S.ACCEPTED and lead.partner_id is not None and actor is not None:
        from channelhub.tenancy.policy import actor_in

        if actor_in(actor, lead.tenant_id).partner_id is not None:
            authorize(actor, LEAD_RESPOND.code, tenant=lead.tenant_id, partner=lead.partner_id)
        else:
            authorize(actor, LEAD_MANAGE.code, tenant=lead.tenant_id)
    else:
        authorize(actor, LEAD_MANAGE.code, tenant=lead.tenant_id)
    if outcome not in (S.CONVERTED, S.LOST):
        raise ValidationError({"outcome": _("Choose converted or lost.")})
    if lead.state in LEAD_CLOSED:
        raise ValidationError(_("This lead is closed already."))
    if outcome == S.CONVERTED and lead.state != S.ACCEPTED:
        raise ValidationError({"outcome": _("Only a lead a partner accepted can be converted.")})
    if lead.state == S.OFFERED:
        for offer in LeadOffer.objects.filter(lead_id=lead.pk, state=OfferState.OPEN):
            if LeadOffer.objects.filter(pk=offer.pk, state=OfferState.OPEN).update(state=OfferState.WITHDRAWN):
                offer.state = OfferState.WITHDRAWN
                audited_save(offer, actor=actor, reason=_("Withdrawn: the lead is lost"), update_fields=["state"])
    note = (note or "").strip()[:300]
    return transition(workflow=LEAD_WORKFLOW, instance=lead, to_state=outcome, actor=actor, reason=note,
                      extra_updates={"closed_at": timezone.now(), "outcome_note": note})


def weight_save(*, tenant: Tenant, actor: User | None, partner: Partner, weight: Decimal, note: str = "",
                row: LeadRoutingWeight | None = None) -> LeadRoutingWeight:
    """Set a partner's routing weight (one row per partner)."""
    authorize(actor, LEAD_MANAGE.code, tenant=tenant)
    require_same_tenant(tenant, partner)
    weight = Decimal(str(weight))
    if not weight.is_finite() or weight < 0 or weight > Decimal("9999.99"):
        raise ValidationError({"weight": _("Enter a weight from 0 to 9999.99.")})
    if row is None:
        row = LeadRoutingWeight.objects.filter(partner=partner).first() or LeadRoutingWeight(tenant=tenant,
                                                                                              partner=partner)
    elif row.partner_id != partner.pk:
        raise ValidationError({"partner": _("A weight stays with its partner.")})
    row.weight, row.note = weight.quantize(Decimal("0.01")), (note or "")[:200]
    return audited_save(row, actor=actor, reason=_("Routing weight set"))


def weight_delete(*, row: LeadRoutingWeight, actor: User | None) -> None:
    from channelhub.tenancy.services import audited_delete

    authorize(actor, LEAD_MANAGE.code, tenant=row.tenant_id)
    audited_delete(row, actor=actor, reason=_("Routing weight removed (back to 1)"))
