"""Deal registration (商机报备) and channel conflicts (渠道冲突): every write, authorized and audited.

``deal_register`` checks the partner may register deals (``channelhub.eligibility``: a tenant
that requires a valid qualification for ``deal_registration`` declares it in training), stores
the customer's normalised key and looks for collisions, bounded by the indexes: other partners'
open registrations and the tenant's direct accounts with the same credit code or the same key
(exact), and those sharing the key's first or last two characters, scored, for near matches.
Every collision is recorded with its score; an exact one opens a conflict case between the
parties (or joins the case already open about that customer).

An approved registration is protected for ``protection_days``; the daily job expires it then
(the customer returns to the open pool). Won / lost closes it; a win attributes the revenue
to the partner. A conflict is decided by a channel manager (awarded to one party, shared, kept
by direct sales, or no conflict) and closed with the recorded outcome.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from channelhub import eligibility
from channelhub.numbering import next_number
from channelhub.partners.models import Partner, Region
from channelhub.partners.validators import normalise_credit_code, validate_credit_code
from channelhub.tenancy.models import Tenant, User
from channelhub.tenancy.policy import actor_in, authorize
from channelhub.tenancy.services import assign_fields, audited_delete, audited_save, require_same_tenant
from channelhub.tenancy.workflow import IllegalTransition, Workflow, transition

from ..models import (
    DEFAULT_PROTECTION_DAYS,
    OPEN_DEAL_STATES,
    ConflictCase,
    ConflictEvidence,
    ConflictKind,
    ConflictParty,
    ConflictResolution,
    ConflictState,
    Currency,
    DealMatch,
    DealRegistration,
    DealState,
    DirectAccount,
    MatchKind,
)
from ..names import customer_key, key_ends, similarity
from ..permissions import (
    CONFLICT_EVIDENCE,
    CONFLICT_MANAGE,
    DEAL_CLOSE,
    DEAL_DECIDE,
    DEAL_REGISTER,
    DIRECT_ACCOUNT_MANAGE,
)

D = DealState
C = ConflictState

DEAL_WORKFLOW = Workflow.build(
    name="cooperation.deal", verbose_name=gettext_lazy("deal registration"), state_field="state", states=DealState,
    moves={
        D.SUBMITTED: {D.APPROVED, D.REJECTED, D.WITHDRAWN},
        D.APPROVED: {D.WON, D.LOST, D.EXPIRED, D.WITHDRAWN},
        D.REJECTED: set(), D.EXPIRED: set(), D.WON: set(), D.LOST: set(), D.WITHDRAWN: set(),
    },
    changed_at_field="state_changed_at",
)
CONFLICT_WORKFLOW = Workflow.build(
    name="cooperation.conflict", verbose_name=gettext_lazy("channel conflict"), state_field="state",
    states=ConflictState, moves={C.OPEN: {C.DECIDED}, C.DECIDED: {C.CLOSED}, C.CLOSED: set()},
    changed_at_field="state_changed_at",
)

# Near matches at or above this score are recorded for the channel manager.
NEAR_SCORE = 70
# Candidates per indexed lookup (prefix, suffix): the near-match scoring never reads more.
CANDIDATES = 200
MAX_PROTECTION_DAYS = 730
MAX_AMOUNT = Decimal("99999999999999.99")


def _today(tenant_id: int) -> datetime.date:
    tenant = Tenant.objects.get(pk=tenant_id)
    return timezone.now().astimezone(tenant.zone).date()


def _amount(value, field: str = "amount") -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("Enter a number.")}) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError({field: _("The amount cannot be negative.")})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: _("The amount is too large.")})
    return amount.quantize(Decimal("0.01"))


def _credit_code(value: str, field: str) -> str:
    code = normalise_credit_code(value or "")
    if code:
        try:
            validate_credit_code(code)
        except ValidationError as error:
            raise ValidationError({field: error.messages}) from None
    return code


def _with_key(row, name: str) -> None:
    row.name_key = customer_key(name)
    row.key_prefix, row.key_suffix = key_ends(row.name_key)


def _number(row, prefix: str, year: int) -> None:
    """``<prefix>-<year>-<n>``, n counting the tenant's own rows of the year (``channelhub.numbering``)."""
    row.number = f"{prefix}-{year}-{next_number(f'cooperation.{prefix}.{year}'):06d}"


# --------------------------------------------------------------------------- direct accounts


def _direct_fields(account: DirectAccount, fields: dict) -> None:
    assign_fields(account, {k: v for k, v in fields.items()
                            if k in ("name", "credit_code", "region", "account_manager", "note", "is_active")})
    account.name = (account.name or "").strip()
    if not account.name:
        raise ValidationError({"name": _("Name the customer.")})
    account.credit_code = _credit_code(account.credit_code, "credit_code")
    _with_key(account, account.name)
    if not account.name_key:
        raise ValidationError({"name": _("The name needs letters or characters.")})
    if account.credit_code and DirectAccount.objects.filter(credit_code=account.credit_code).exclude(
            pk=account.pk).exists():
        raise ValidationError({"credit_code": _("A direct account with this credit code exists.")})


def direct_account_check(account: DirectAccount) -> None:
    """The rules of ``direct_account_create/update`` on an unsaved account (an import's row check)."""
    _direct_fields(account, {})


@transaction.atomic
def direct_account_create(*, tenant: Tenant, actor: User | None, **fields) -> DirectAccount:
    authorize(actor, DIRECT_ACCOUNT_MANAGE.code, tenant=tenant)
    require_same_tenant(tenant, fields.get("region"))
    account = DirectAccount(tenant=tenant)
    _direct_fields(account, fields)
    return audited_save(account, actor=actor, reason=_("Created"))


@transaction.atomic
def direct_account_update(*, account: DirectAccount, actor: User | None, **fields) -> DirectAccount:
    authorize(actor, DIRECT_ACCOUNT_MANAGE.code, tenant=account.tenant_id)
    require_same_tenant(account.tenant_id, fields.get("region"))
    _direct_fields(account, fields)
    return audited_save(account, actor=actor, reason=_("Updated"))


@transaction.atomic
def direct_account_delete(*, account: DirectAccount, actor: User | None) -> None:
    authorize(actor, DIRECT_ACCOUNT_MANAGE.code, tenant=account.tenant_id)
    if ConflictCase.objects.filter(direct_account=account).exists():
        raise ValidationError(_("A channel conflict names this account: mark it inactive instead."))
    DealMatch.objects.filter(direct_account=account).delete()
    audited_delete(account, actor=actor, reason=_("Deleted"))


# --------------------------------------------------------------------------- matching


def find_matches(*, name_key: str, credit_code: str = "", exclude_partner_id: int | None = None,
                 exclude_pk: int | None = None) -> list[dict]:
    """Other partners' open registrations and active direct accounts that name the same customer.

    Exact matches come from the (tenant, credit code) and (tenant, key) indexes; near matches
    from the rows sharing the key's first or last two characters (``CANDIDATES`` each at most),
    scored with ``names.similarity``. Each match: ``{"other" | "direct_account", "kind", "score"}``.
    """
    found: dict[tuple[str, int], dict] = {}
    open_regs = DealRegistration.objects.filter(state__in=OPEN_DEAL_STATES)
    if exclude_partner_id is not None:
        open_regs = open_regs.exclude(partner_id=exclude_partner_id)
    if exclude_pk is not None:
        open_regs = open_regs.exclude(pk=exclude_pk)
    accounts = DirectAccount.objects.filter(is_active=True)
    sources = (("other", open_regs, "customer_credit_code"), ("direct_account", accounts, "credit_code"))
    prefix, suffix = key_ends(name_key)
    for label, rows, code_field in sources:
        exact = Q(name_key=name_key) if name_key else Q(pk__in=[])
        if credit_code:
            exact |= Q(**{code_field: credit_code})
        for row in rows.filter(exact).only("pk", "name_key", code_field)[:CANDIDATES]:
            same_code = bool(credit_code) and getattr(row, code_field) == credit_code
            kind = MatchKind.CREDIT_CODE if same_code else MatchKind.NAME
            found[(label, row.pk)] = {label: row, "kind": kind, "score": 100}
        if len(name_key) < 2:
            continue
        for column, value in (("key_prefix", prefix), ("key_suffix", suffix)):
            for row in rows.filter(**{column: value}).exclude(name_key=name_key).only("pk", "name_key")[:CANDIDATES]:
                if (label, row.pk) in found:
                    continue
                score = similarity(name_key, row.name_key)
                if score >= NEAR_SCORE:
                    found[(label, row.pk)] = {label: row, "kind": MatchKind.NEAR, "score": score}
    return sorted(found.values(), key=lambda m: -m["score"])


def _open_case_for(registration_ids: list[int]) -> ConflictCase | None:
    return (ConflictCase.objects.filter(state=ConflictState.OPEN, parties__registration_id__in=registration_ids)
            .order_by("pk").first())


def _record_collisions(registration: DealRegistration, actor: User | None) -> ConflictCase | None:
    matches = find_matches(name_key=registration.name_key, credit_code=registration.customer_credit_code,
                           exclude_partner_id=registration.partner_id, exclude_pk=registration.pk)
    DealMatch.objects.bulk_create([DealMatch(
        registration=registration, other=match.get("other"), direct_account=match.get("direct_account"),
        kind=match["kind"], score=match["score"]) for match in matches])
    exact = [m for m in matches if m["kind"] != MatchKind.NEAR]
    if not exact:
        return None
    others = [m["other"] for m in exact if "other" in m]
    account = next((m["direct_account"] for m in exact if "direct_account" in m), None)
    case = _open_case_for([o.pk for o in others]) if others else None
    if case is None:
        case = ConflictCase(
            tenant_id=registration.tenant_id, kind=ConflictKind.CUSTOMER, customer_name=registration.customer_name,
            direct_account=account, opened_by=actor,
            summary=_("Registered customer “%(name)s” is already held by another open registration or a direct "
                      "account.") % {"name": registration.customer_name})
        _number(case, "CC", timezone.localdate().year)
        audited_save(case, actor=actor, reason=_("Opened on a colliding deal registration"))
    elif account is not None and case.direct_account_id is None:
        case.direct_account = account
        audited_save(case, actor=actor, reason=_("A direct account collides too"))
    _add_party(case, registration.partner_id, registration, claimant=True)
    for other in DealRegistration.objects.filter(pk__in=[o.pk for o in others]):
        _add_party(case, other.partner_id, other, claimant=False)
    DealRegistration.objects.filter(pk__in=[registration.pk, *[o.pk for o in others]]).update(has_conflict=True)
    registration.has_conflict = True
    return case


def _add_party(case: ConflictCase, partner_id: int, registration: DealRegistration | None, *,
               claimant: bool) -> ConflictParty:
    party, created = ConflictParty.objects.get_or_create(
        case=case, partner_id=partner_id,
        defaults={"registration": registration, "is_claimant": claimant, "tenant_id": case.tenant_id})
    if not created and registration is not None and party.registration_id is None:
        party.registration = registration
        party.save(update_fields=["registration"])
    return party


# --------------------------------------------------------------------------- registrations


@transaction.atomic
def deal_register(*, tenant: Tenant, actor: User | None, partner: Partner, customer_name: str,
                  products: str, amount, expected_close: datetime.date, customer_credit_code: str = "",
                  region: Region | None = None, currency: str = Currency.CNY, contact_name: str = "",
                  contact_phone: str = "", note: str = "") -> DealRegistration:
    """Register an opportunity for ``partner``; collisions are recorded and an exact one opens a conflict."""
    authorize(actor, DEAL_REGISTER.code, tenant=tenant, partner=partner)
    require_same_tenant(tenant, partner, region)
    answer = eligibility.partner_is_qualified(partner, "deal_registration")
    if not answer:
        raise ValidationError(
            _("Your company is not qualified to register deals yet: %(reasons)s")
            % {"reasons": " ".join(answer.reasons)})
    name = (customer_name or "").strip()
    if not name:
        raise ValidationError({"customer_name": _("Name the end customer.")})
    registration = DealRegistration(
        tenant=tenant, partner=partner, customer_name=name[:200],
        customer_credit_code=_credit_code(customer_credit_code, "customer_credit_code"), region=region,
        products=(products or "").strip(), amount=_amount(amount), currency=currency,
        expected_close=expected_close, contact_name=(contact_name or "").strip()[:100],
        contact_phone=(contact_phone or "").strip()[:40], note=note or "", submitted_by=actor)
    if not registration.products:
        raise ValidationError({"products": _("Name the products the customer considers.")})
    if registration.amount <= 0:
        raise ValidationError({"amount": _("The expected value must be more than zero.")})
    if expected_close < _today(tenant.pk):
        raise ValidationError({"expected_close": _("The expected close lies in the past.")})
    _with_key(registration, name)
    if not registration.name_key:
        raise ValidationError({"customer_name": _("The name needs letters or characters.")})
    own = DealRegistration.objects.filter(partner=partner, state__in=OPEN_DEAL_STATES).filter(
        Q(name_key=registration.name_key) | (Q(customer_credit_code=registration.customer_credit_code)
                                             if registration.customer_credit_code else Q(pk__in=[])))
    if own.exists():
        raise ValidationError({"customer_name": _("Your company has an open registration for this customer.")})
    # Two partners registering one customer at the same moment: the tenant's row is the lock, so the
    # later registration waits for the earlier one's commit and then sees it.
    Tenant.objects.select_for_update().filter(pk=tenant.pk).first()
    _number(registration, "DR", timezone.localtime(registration.submitted_at).year)
    audited_save(registration, actor=actor, reason=_("Registered"))
    _record_collisions(registration, actor)
    return registration


def _decider(registration: DealRegistration, actor: User | None) -> None:
    authorize(actor, DEAL_DECIDE.code, tenant=registration.tenant_id)


def _locked(registration: DealRegistration) -> DealRegistration:
    return DealRegistration.objects.select_for_update().get(pk=registration.pk)


@transaction.atomic
def deal_approve(*, registration: DealRegistration, actor: User | None,
                 protection_days: int = DEFAULT_PROTECTION_DAYS, note: str = "") -> DealRegistration:
    """Approve: the customer is the partner's for ``protection_days``. Not while a conflict about it is open."""
    _decider(registration, actor)
    registration = _locked(registration)
    try:
        days = int(protection_days)
    except (TypeError, ValueError):
        raise ValidationError({"protection_days": _("Enter a whole number of days.")}) from None
    if not 1 <= days <= MAX_PROTECTION_DAYS:
        raise ValidationError({"protection_days": _("Protect a deal for 1 to %(max)s days.")
                               % {"max": MAX_PROTECTION_DAYS}})
    if ConflictParty.objects.filter(registration=registration, case__state=ConflictState.OPEN).exists():
        raise ValidationError(_("A channel conflict about this customer is open: decide it first."))
    until = _today(registration.tenant_id) + datetime.timedelta(days=days)
    return transition(workflow=DEAL_WORKFLOW, instance=registration, to_state=DealState.APPROVED, actor=actor,
                      reason=note or _("Approved"), extra_updates={
                          "protected_until": until, "decided_by": actor, "decision_note": (note or "")[:300]})


@transaction.atomic
def deal_reject(*, registration: DealRegistration, actor: User | None, note: str) -> DealRegistration:
    _decider(registration, actor)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Tell the partner why.")})
    registration = _locked(registration)
    return transition(workflow=DEAL_WORKFLOW, instance=registration, to_state=DealState.REJECTED, actor=actor,
                      reason=note, extra_updates={"decided_by": actor, "decision_note": note[:300]})


@transaction.atomic
def deal_extend(*, registration: DealRegistration, actor: User | None, days: int) -> DealRegistration:
    """Extend an approved registration's protection by ``days`` from its current end."""
    _decider(registration, actor)
    registration = _locked(registration)
    if registration.state != DealState.APPROVED:
        raise ValidationError(_("Only an approved registration is protected."))
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise ValidationError({"days": _("Enter a whole number of days.")}) from None
    if not 1 <= days <= MAX_PROTECTION_DAYS:
        raise ValidationError({"days": _("Extend by 1 to %(max)s days.") % {"max": MAX_PROTECTION_DAYS}})
    registration.protected_until = registration.protected_until + datetime.timedelta(days=days)
    return audited_save(registration, actor=actor, reason=_("Protection extended by %(days)s days") % {"days": days})


@transaction.atomic
def deal_withdraw(*, registration: DealRegistration, actor: User | None, note: str = "") -> DealRegistration:
    """The partner gives the customer up."""
    authorize(actor, DEAL_REGISTER.code, tenant=registration.tenant_id, partner=registration.partner_id)
    registration = _locked(registration)
    return transition(workflow=DEAL_WORKFLOW, instance=registration, to_state=DealState.WITHDRAWN, actor=actor,
                      reason=note or _("Withdrawn by the partner"))


@transaction.atomic
def deal_close(*, registration: DealRegistration, actor: User | None, won: bool, amount=None,
               closed_on: datetime.date | None = None, note: str = "") -> DealRegistration:
    """Won or lost: a win attributes ``amount`` (default: the expected value) to the partner's revenue."""
    authorize(actor, DEAL_CLOSE.code, tenant=registration.tenant_id, partner=registration.partner_id)
    registration = _locked(registration)
    today = _today(registration.tenant_id)
    closed_on = closed_on or today
    if closed_on > today:
        raise ValidationError({"closed_on": _("The deal cannot close in the future.")})
    updates: dict = {"closed_on": closed_on}
    if won:
        value = registration.amount if amount in (None, "") else _amount(amount)
        if value <= 0:
            raise ValidationError({"amount": _("A won deal brings revenue: enter it.")})
        updates["won_amount"] = value
    return transition(workflow=DEAL_WORKFLOW, instance=registration, to_state=DealState.WON if won else DealState.LOST,
                      actor=actor, reason=note or (_("Won") if won else _("Lost")), extra_updates=updates)


def deals_expire(*, tenant: Tenant | int, today: datetime.date) -> int:
    """Approved registrations whose protection ended before ``today`` expire (the customer returns to the open
    pool). Each moves with a compare-and-swap, so a second run (or a concurrent one) moves nothing again."""
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    moved = 0
    due = DealRegistration.objects.filter(tenant_id=tenant_id, state=DealState.APPROVED, protected_until__lt=today)
    for registration in due.order_by("pk").iterator(chunk_size=500):
        try:
            with transaction.atomic():
                transition(workflow=DEAL_WORKFLOW, instance=registration, to_state=DealState.EXPIRED, actor=None,
                           reason=_("Protection period ended: the customer returns to the open pool"))
            moved += 1
        except IllegalTransition:  # moved meanwhile (won, withdrawn, another run)
            continue
    return moved


# --------------------------------------------------------------------------- conflicts


@transaction.atomic
def conflict_open(*, tenant: Tenant, actor: User | None, kind: str, summary: str, partners: list[Partner],
                  customer_name: str = "", registrations: list[DealRegistration] | None = None,
                  direct_account: DirectAccount | None = None) -> ConflictCase:
    """A channel manager opens a conflict (e.g. territory or pricing) between named partners."""
    authorize(actor, CONFLICT_MANAGE.code, tenant=tenant)
    require_same_tenant(tenant, *partners, *(registrations or []), direct_account)
    if kind not in ConflictKind.values:
        raise ValidationError({"kind": _("Choose customer, territory or pricing.")})
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": _("Describe the conflict.")})
    partner_ids = list(dict.fromkeys(p.pk for p in partners))
    if len(partner_ids) + (1 if direct_account else 0) < 2 and not (partner_ids and direct_account):
        raise ValidationError({"partners": _("A conflict has two parties: name two partners, or a partner and a "
                                             "direct account.")})
    for registration in registrations or []:
        if registration.partner_id not in partner_ids:
            raise ValidationError({"registrations": _("Each registration must belong to one of the parties.")})
    case = ConflictCase(tenant=tenant, kind=kind, summary=summary, customer_name=(customer_name or "")[:200],
                        direct_account=direct_account, opened_by=actor)
    _number(case, "CC", timezone.localdate().year)
    audited_save(case, actor=actor, reason=_("Opened"))
    by_partner = {r.partner_id: r for r in registrations or []}
    for n, partner_id in enumerate(partner_ids):
        _add_party(case, partner_id, by_partner.get(partner_id), claimant=n == 0)
    if registrations:
        DealRegistration.objects.filter(pk__in=[r.pk for r in registrations]).update(has_conflict=True)
    return case


@transaction.atomic
def conflict_add_evidence(*, case: ConflictCase, actor: User | None, text: str) -> ConflictEvidence:
    """A party's evidence (partner staff: for their own partner, only in a case it is party to) or the
    channel manager's note. Nothing is added to a closed case."""
    partner_id = actor_in(actor, case.tenant_id).partner_id if actor is not None else None
    authorize(actor, CONFLICT_EVIDENCE.code, tenant=case.tenant_id, partner=partner_id)
    if partner_id is not None and not ConflictParty.objects.filter(case=case, partner_id=partner_id).exists():
        raise ValidationError(_("Your company is not a party to this conflict."))
    case = ConflictCase.objects.select_for_update().get(pk=case.pk)
    if case.state == ConflictState.CLOSED:
        raise ValidationError(_("This conflict is closed."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the evidence.")})
    evidence = ConflictEvidence(tenant_id=case.tenant_id, case=case, partner_id=partner_id, author=actor, text=text)
    return audited_save(evidence, actor=actor, reason=_("Added"))


@transaction.atomic
def conflict_decide(*, case: ConflictCase, actor: User | None, resolution: str, note: str,
                    awarded_to: Partner | None = None) -> ConflictCase:
    """The channel manager's decision. Awarded: the other parties' open registrations of the customer are
    rejected; kept by direct sales: every party's; shared or no conflict: none. The conflict flag clears."""
    authorize(actor, CONFLICT_MANAGE.code, tenant=case.tenant_id)
    case = ConflictCase.objects.select_for_update().get(pk=case.pk)
    if resolution not in ConflictResolution.values:
        raise ValidationError({"resolution": _("Choose a decision.")})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Give the reasons for the decision.")})
    parties = list(ConflictParty.objects.filter(case=case))
    if resolution == ConflictResolution.AWARDED:
        if awarded_to is None or awarded_to.pk not in {p.partner_id for p in parties}:
            raise ValidationError({"awarded_to": _("Award the conflict to one of its parties.")})
    else:
        awarded_to = None
    if resolution == ConflictResolution.DIRECT and case.direct_account_id is None:
        raise ValidationError({"resolution": _("No direct account is party to this conflict.")})
    transition(workflow=CONFLICT_WORKFLOW, instance=case, to_state=ConflictState.DECIDED, actor=actor,
               reason=note[:300], extra_updates={"resolution": resolution, "awarded_to": awarded_to,
                                                  "decision_note": note, "decided_by": actor,
                                                  "decided_at": timezone.now()})
    losers = []
    if resolution == ConflictResolution.AWARDED:
        losers = [p.registration_id for p in parties if p.registration_id and p.partner_id != awarded_to.pk]
    elif resolution == ConflictResolution.DIRECT:
        losers = [p.registration_id for p in parties if p.registration_id]
    reason = _("Channel conflict %(number)s decided: %(decision)s") % {
        "number": case.number, "decision": case.get_resolution_display()}
    for registration in DealRegistration.objects.filter(pk__in=losers, state__in=OPEN_DEAL_STATES):
        to_state = DealState.REJECTED if registration.state == DealState.SUBMITTED else DealState.WITHDRAWN
        transition(workflow=DEAL_WORKFLOW, instance=registration, to_state=to_state, actor=actor, reason=reason,
                   extra_updates={"decided_by": actor, "decision_note": reason[:300]})
    ids = [p.registration_id for p in parties if p.registration_id]
    still = set(ConflictParty.objects.filter(registration_id__in=ids, case__state=ConflictState.OPEN)
                .values_list("registration_id", flat=True))
    DealRegistration.objects.filter(pk__in=set(ids) - still).update(has_conflict=False)
    return case


@transaction.atomic
def conflict_close(*, case: ConflictCase, actor: User | None, outcome: str) -> ConflictCase:
    """Record what came of the decision (the parties' agreement, an adjusted price, a handed-over customer)."""
    authorize(actor, CONFLICT_MANAGE.code, tenant=case.tenant_id)
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": _("Record the outcome.")})
    case = ConflictCase.objects.select_for_update().get(pk=case.pk)
    return transition(workflow=CONFLICT_WORKFLOW, instance=case, to_state=ConflictState.CLOSED, actor=actor,
                      reason=_("Closed"), extra_updates={"outcome": outcome, "closed_at": timezone.now()})
