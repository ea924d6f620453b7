"""Promotion support (MDF): budgets, fund requests, claims and payments.

The rule these services enforce: a budget's ``committed + paid`` never exceeds its ``total``,
however many managers approve at once. Every move of money locks the budget row first
(``select_for_update``; on SQLite the database serialises writers), re-reads what is still
available inside the transaction, then moves the request or claim with the workflow's
compare-and-swap, so a stale decision loses cleanly. The database's check constraint
(``coop_fundbudget_within_total``) is the last line. Locks are always taken in the same order
(budget, then request, then claim), so two decisions cannot deadlock.

Money is ``Decimal`` end to end, rounded to cents; bad input is a ``ValidationError`` on the
field, a role that may not act a ``PermissionDenied``, a decision on a moved row an
``IllegalTransition``: nothing is written in any of those cases.

Who: partner staff request and claim for their own partner (``MDF_REQUEST``); owners and
channel managers decide requests and claims (``MDF_DECIDE``); owners and finance pay claims
(``MDF_PAY``); owners, channel managers and finance set budgets (``MDF_BUDGET``).
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from channelhub.partners.models import Partner
from channelhub.tenancy.models import Tenant, User
from channelhub.tenancy.policy import authorize
from channelhub.tenancy.services import audited_save
from channelhub.tenancy.workflow import Workflow, transition

from ..models import (
    ActivityKind,
    FundBudget,
    FundClaim,
    FundClaimFile,
    FundClaimState,
    FundRequest,
    FundRequestState,
)
from ..permissions import MDF_BUDGET, MDF_DECIDE, MDF_PAY, MDF_REQUEST
from ._common import CheckedUpload, checked_upload, checked_uploads

# --------------------------------------------------------------------------- workflows

R = FundRequestState
C = FundClaimState

REQUEST_WORKFLOW = Workflow.build(
    name="cooperation.fund_request", verbose_name=gettext_lazy("fund request"), state_field="state", states=R,
    moves={
        R.DRAFT: {R.SUBMITTED},
        R.SUBMITTED: {R.APPROVED, R.REJECTED, R.RETURNED},
        R.RETURNED: {R.SUBMITTED},
        R.APPROVED: {R.CLOSED},
        R.REJECTED: set(),
        R.CLOSED: set(),
    },
    changed_at_field="state_changed_at",
)
CLAIM_WORKFLOW = Workflow.build(
    name="cooperation.fund_claim", verbose_name=gettext_lazy("fund claim"), state_field="state", states=C,
    moves={
        C.SUBMITTED: {C.APPROVED, C.PARTIALLY_APPROVED, C.REJECTED},
        C.APPROVED: {C.PAID},
        C.PARTIALLY_APPROVED: {C.PAID},
        C.REJECTED: set(),
        C.PAID: set(),
    },
    changed_at_field="state_changed_at",
)

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("99999999999999.99")
REQUEST_FIELDS = ("title", "kind", "plan", "expected_results", "starts_on", "ends_on", "requested_amount")
EDITABLE = (R.DRAFT, R.RETURNED)


def money(value: Any, field: str, *, allow_zero: bool = False) -> Decimal:
    """A non-negative amount in cents, or a field error (never a float, never a 500)."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("Enter an amount such as 1200.00.")}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("Enter an amount such as 1200.00.")})
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError({field: _("The amount must be more than zero.")})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: _("The amount is too large.")})
    return amount.quantize(CENT)


def _text(value: Any, field: str, *, required: bool = True, limit: int = 10_000) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > limit:
        raise ValidationError({field: _("This text is too long.")})
    return text


def _same_tenant(tenant_id: int, *rows) -> None:
    for row in rows:
        if row is not None and row.tenant_id != tenant_id:
            raise ValidationError(_("Select a valid choice. That choice does not exist."))


# --------------------------------------------------------------------------- budgets


@transaction.atomic
def budget_create(*, tenant: Tenant, actor: User | None, name: str, start: datetime.date, end: datetime.date,
                  total: Any, partner: Partner | None = None, is_open: bool = True) -> FundBudget:
    """A budget for a period (optionally one partner's allocation)."""
    authorize(actor, MDF_BUDGET.code, tenant=tenant)
    _same_tenant(tenant.pk, partner)
    if start and end and end < start:
        raise ValidationError({"end": _("The last day comes before the first.")})
    budget = FundBudget(tenant=tenant, name=_text(name, "name", limit=100), start=start, end=end,
                        total=money(total, "total"), partner=partner, is_open=bool(is_open))
    return audited_save(budget, actor=actor, reason=_("Budget set"))


@transaction.atomic
def budget_update(*, budget: FundBudget, actor: User | None, **fields: Any) -> FundBudget:
    """Change a budget; its total never drops below what is committed and paid."""
    authorize(actor, MDF_BUDGET.code, tenant=budget.tenant_id)
    budget = FundBudget.objects.select_for_update().get(pk=budget.pk)
    if "partner" in fields and fields["partner"] != budget.partner:
        if FundRequest.objects.filter(budget=budget).exists():
            raise ValidationError({"partner": _("Requests draw on this budget already: its partner stays.")})
        _same_tenant(budget.tenant_id, fields["partner"])
        budget.partner = fields["partner"]
    if "name" in fields:
        budget.name = _text(fields["name"], "name", limit=100)
    for name in ("start", "end"):
        if fields.get(name) is not None:
            setattr(budget, name, fields[name])
    if "is_open" in fields:
        budget.is_open = bool(fields["is_open"])
    if "total" in fields:
        total = money(fields["total"], "total")
        if total < budget.committed + budget.paid:
            raise ValidationError({"total": _("%(used)s is committed or paid already: the total cannot be less.")
                                   % {"used": budget.committed + budget.paid}})
        budget.total = total
    if budget.end < budget.start:
        raise ValidationError({"end": _("The last day comes before the first.")})
    return audited_save(budget, actor=actor, reason=_("Budget changed"))


def _move(budget: FundBudget, *, actor, committed: Decimal = Decimal(0), paid: Decimal = Decimal(0),
          reason: str) -> FundBudget:
    """Move money on a budget row the caller has locked; refuse to over-commit it."""
    budget.committed += committed
    budget.paid += paid
    if budget.committed < 0 or budget.paid < 0:  # a bug, never input: the constraint would refuse it too
        raise ValidationError(_("The budget's figures do not add up; nothing was changed."))
    if budget.committed + budget.paid > budget.total:
        available = budget.total - (budget.committed - committed) - (budget.paid - paid)
        raise ValidationError({"amount": _("Only %(available)s is left in the budget “%(budget)s”.")
                               % {"available": available, "budget": budget.name}})
    return audited_save(budget, actor=actor, reason=reason, update_fields=["committed", "paid"])


# --------------------------------------------------------------------------- requests


def _authorize_partner(actor, tenant_id: int, partner_id: int) -> None:
    authorize(actor, MDF_REQUEST.code, tenant=tenant_id, partner=partner_id)


def _request_fields(fields: dict[str, Any], current: FundRequest | None = None) -> dict[str, Any]:
    values = {name: getattr(current, name) for name in REQUEST_FIELDS} if current else {}
    values.update({k: v for k, v in fields.items() if k in REQUEST_FIELDS})
    cleaned = {
        "title": _text(values.get("title"), "title", limit=200),
        "plan": _text(values.get("plan"), "plan"),
        "expected_results": _text(values.get("expected_results"), "expected_results", required=False),
        "requested_amount": money(values.get("requested_amount"), "requested_amount"),
        "kind": values.get("kind") or ActivityKind.IN_STORE,
    }
    if cleaned["kind"] not in ActivityKind.values:
        raise ValidationError({"kind": _("Choose a kind of activity from the list.")})
    for name in ("starts_on", "ends_on"):
        day = values.get(name)
        if not isinstance(day, datetime.date):
            raise ValidationError({name: _("Enter a date.")})
        cleaned[name] = day
    if cleaned["ends_on"] < cleaned["starts_on"]:
        raise ValidationError({"ends_on": _("The activity ends before it starts.")})
    return cleaned


@transaction.atomic
def fund_request_create(*, tenant: Tenant, actor: User | None, partner: Partner, submit: bool = False,
                        **fields: Any) -> FundRequest:
    """A partner's request for an activity (a draft, or submitted at once)."""
    _authorize_partner(actor, tenant.pk, partner.pk)
    _same_tenant(tenant.pk, partner)
    request = FundRequest(tenant=tenant, partner=partner, created_by=actor, **_request_fields(fields))
    audited_save(request, actor=actor, reason=_("Drafted"))
    if submit:
        return fund_request_submit(request=request, actor=actor)
    return request


@transaction.atomic
def fund_request_update(*, request: FundRequest, actor: User | None, **fields: Any) -> FundRequest:
    """Change a draft or a request returned for changes."""
    _authorize_partner(actor, request.tenant_id, request.partner_id)
    request = FundRequest.objects.select_for_update().get(pk=request.pk)
    if request.state not in EDITABLE:
        raise ValidationError(_("Only a draft or a request returned for changes can be changed."))
    for name, value in _request_fields(fields, request).items():
        setattr(request, name, value)
    return audited_save(request, actor=actor, reason=_("Changed"))


@transaction.atomic
def fund_request_submit(*, request: FundRequest, actor: User | None) -> FundRequest:
    """Send the request to the channel manager (from draft, or again after it was returned)."""
    _authorize_partner(actor, request.tenant_id, request.partner_id)
    request = FundRequest.objects.get(pk=request.pk)
    return transition(workflow=REQUEST_WORKFLOW, instance=request, to_state=R.SUBMITTED, actor=actor,
                      reason=_("Submitted"), extra_updates={"submitted_at": timezone.now()})


@transaction.atomic
def fund_request_approve(*, request: FundRequest, actor: User | None, budget: FundBudget, amount: Any = None,
                         comment: str = "") -> FundRequest:
    """Approve against ``budget``: commits the approved amount (at most what was requested and what is left)."""
    authorize(actor, MDF_DECIDE.code, tenant=request.tenant_id)
    _same_tenant(request.tenant_id, budget)
    amount = money(request.requested_amount if amount in (None, "") else amount, "amount")
    if amount > request.requested_amount:
        raise ValidationError({"amount": _("You cannot approve more than the %(requested)s requested.")
                               % {"requested": request.requested_amount}})
    budget = FundBudget.objects.select_for_update().get(pk=budget.pk)
    if not budget.is_open:
        raise ValidationError({"budget": _("This budget is closed.")})
    if budget.partner_id is not None and budget.partner_id != request.partner_id:
        raise ValidationError({"budget": _("This budget is allocated to another partner.")})
    if not budget.start <= request.starts_on <= budget.end:
        raise ValidationError({"budget": _("The activity starts outside the budget's period (%(start)s – "
                                           "%(end)s).") % {"start": budget.start, "end": budget.end}})
    request = FundRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != R.SUBMITTED:
        # Checked before the money moves, so a second decision says why and changes nothing.
        transition(workflow=REQUEST_WORKFLOW, instance=request, to_state=R.APPROVED, actor=actor)
    if amount > request.requested_amount:  # re-read under the lock
        raise ValidationError({"amount": _("You cannot approve more than the %(requested)s requested.")
                               % {"requested": request.requested_amount}})
    _move(budget, actor=actor, committed=amount, reason=_("MDF-%(pk)s approved: %(amount)s committed")
          % {"pk": request.pk, "amount": amount})
    return transition(workflow=REQUEST_WORKFLOW, instance=request, to_state=R.APPROVED, actor=actor,
                      reason=comment or _("Approved"), extra_updates={
                          "budget": budget, "approved_amount": amount, "committed": amount, "decided_by": actor,
                          "decided_at": timezone.now(), "decision_comment": (comment or "").strip()})


def _decide_without_money(request: FundRequest, actor, to_state: str, comment: str) -> FundRequest:
    authorize(actor, MDF_DECIDE.code, tenant=request.tenant_id)
    comment = _text(comment, "comment", limit=4000)
    request = FundRequest.objects.get(pk=request.pk)
    return transition(workflow=REQUEST_WORKFLOW, instance=request, to_state=to_state, actor=actor, reason=comment,
                      extra_updates={"decided_by": actor, "decided_at": timezone.now(),
                                     "decision_comment": comment})


@transaction.atomic
def fund_request_reject(*, request: FundRequest, actor: User | None, comment: str) -> FundRequest:
    """Refuse the request (say why); nothing was committed, nothing moves."""
    return _decide_without_money(request, actor, R.REJECTED, comment)


@transaction.atomic
def fund_request_return(*, request: FundRequest, actor: User | None, comment: str) -> FundRequest:
    """Send it back for changes (say what); the partner changes and submits it again."""
    return _decide_without_money(request, actor, R.RETURNED, comment)


def _settle(request: FundRequest, budget: FundBudget, *, actor, release: Decimal, pay: Decimal, keep: Decimal,
            reason: str, close: bool) -> None:
    """Give ``release`` back to the budget, move ``pay`` from committed to paid; the request then holds ``keep``."""
    if release or pay:
        _move(budget, actor=actor, committed=-(release + pay), paid=pay, reason=reason)
    request.committed = keep
    audited_save(request, actor=actor, reason=reason, update_fields=["committed"])
    if close:
        transition(workflow=REQUEST_WORKFLOW, instance=request, to_state=R.CLOSED, actor=actor, reason=reason)


@transaction.atomic
def fund_request_close(*, request: FundRequest, actor: User | None, reason: str) -> FundRequest:
    """An approved activity that will not take place: its whole commitment goes back to the budget."""
    authorize(actor, MDF_DECIDE.code, tenant=request.tenant_id)
    reason = _text(reason, "reason", limit=1000)
    budget_id = FundRequest.objects.filter(pk=request.pk).values_list("budget_id", flat=True).first()
    budget = FundBudget.objects.select_for_update().get(pk=budget_id) if budget_id else None
    request = FundRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != R.APPROVED or request.claims.exists() or budget is None:
        raise ValidationError(_("Only an approved request without a claim can be closed."))
    _settle(request, budget, actor=actor, release=request.committed, pay=Decimal(0), keep=Decimal(0),
            reason=reason, close=True)
    return request


# --------------------------------------------------------------------------- claims


def _proof(claim: FundClaim, upload: CheckedUpload, actor) -> FundClaimFile:
    row = FundClaimFile(tenant_id=claim.tenant_id, claim=claim, partner_id=claim.partner_id, file=upload.file,
                        original_name=upload.name, content_type=upload.content_type, size=upload.size,
                        uploaded_by=actor)
    return audited_save(row, actor=actor, reason=_("Proof of performance added"))


@transaction.atomic
def fund_claim_submit(*, request: FundRequest, actor: User | None, actual_cost: Any, claimed_amount: Any,
                      results: str, attendees: int = 0, leads: int = 0, files=()) -> FundClaim:
    """Claim an approved request after the activity: figures and proof (at most the committed amount)."""
    _authorize_partner(actor, request.tenant_id, request.partner_id)
    request = FundRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != R.APPROVED:
        raise ValidationError(_("Only an approved request can be claimed."))
    if FundClaim.objects.filter(request=request).exists():
        raise ValidationError(_("This request is claimed already."))
    if request.ends_on > timezone.localdate():
        raise ValidationError(_("Claim after the activity: it ends on %(day)s.") % {"day": request.ends_on})
    claimed = money(claimed_amount, "claimed_amount")
    if claimed > request.committed:
        raise ValidationError({"claimed_amount": _("You can claim at most the %(amount)s approved.")
                               % {"amount": request.committed}})
    for name, value in (("attendees", attendees), ("leads", leads)):
        try:
            number = int(value or 0)
        except (TypeError, ValueError):
            raise ValidationError({name: _("Enter a whole number.")}) from None
        if number < 0 or number > 10_000_000:
            raise ValidationError({name: _("Enter a whole number.")})
    proofs = checked_uploads(files, field="files")  # every file before any is stored
    claim = FundClaim(tenant_id=request.tenant_id, request=request, partner_id=request.partner_id,
                      actual_cost=money(actual_cost, "actual_cost", allow_zero=True), claimed_amount=claimed,
                      attendees=int(attendees or 0), leads=int(leads or 0), results=_text(results, "results"),
                      submitted_by=actor, submitted_at=timezone.now())
    audited_save(claim, actor=actor, reason=_("Claimed"))
    for upload in proofs:
        _proof(claim, upload, actor)
    return claim


@transaction.atomic
def fund_claim_add_file(*, claim: FundClaim, actor: User | None, file) -> FundClaimFile:
    """More proof for a claim that waits for review."""
    _authorize_partner(actor, claim.tenant_id, claim.partner_id)
    claim = FundClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.state != C.SUBMITTED:
        raise ValidationError(_("Proof can be added only while the claim waits for review."))
    return _proof(claim, checked_upload(file, field="files"), actor)


@transaction.atomic
def fund_claim_review(*, claim: FundClaim, actor: User | None, decision: str, amount: Any = None,
                      comment: str = "") -> FundClaim:
    """Approve in full, in part (less than claimed) or reject; what is not approved goes back to the budget."""
    authorize(actor, MDF_DECIDE.code, tenant=claim.tenant_id)
    if decision not in ("approve", "partial", "reject"):
        raise ValidationError({"decision": _("Choose approve, partial or reject.")})
    request = FundRequest.objects.get(pk=claim.request_id)
    budget = FundBudget.objects.select_for_update().get(pk=request.budget_id)
    request = FundRequest.objects.select_for_update().get(pk=request.pk)
    claim = FundClaim.objects.select_for_update().get(pk=claim.pk)
    to_state = {"approve": C.APPROVED, "partial": C.PARTIALLY_APPROVED, "reject": C.REJECTED}[decision]
    if claim.state != C.SUBMITTED:
        transition(workflow=CLAIM_WORKFLOW, instance=claim, to_state=to_state, actor=actor)  # says why
    if decision == "approve":
        approved = claim.claimed_amount
    elif decision == "partial":
        approved = money(amount, "amount")
        if approved >= claim.claimed_amount:
            raise ValidationError({"amount": _("A partial approval is less than the %(claimed)s claimed.")
                                   % {"claimed": claim.claimed_amount}})
    else:
        approved = Decimal(0)
        comment = _text(comment, "comment", limit=4000)
    if decision != "reject" and not claim.files.exists():
        raise ValidationError(_("The claim has no proof of performance yet."))
    approved = min(approved, request.committed)
    release = request.committed - approved
    reason = (_("MDF-%(pk)s claim decided: %(approved)s approved, %(release)s released")
              % {"pk": request.pk, "approved": approved, "release": release})
    _settle(request, budget, actor=actor, release=release, pay=Decimal(0), keep=approved, reason=reason,
            close=decision == "reject")
    return transition(workflow=CLAIM_WORKFLOW, instance=claim, to_state=to_state, actor=actor,
                      reason=comment or reason, extra_updates={
                          "approved_amount": approved, "reviewed_by": actor, "reviewed_at": timezone.now(),
                          "review_comment": (comment or "").strip()})


@transaction.atomic
def fund_claim_pay(*, claim: FundClaim, actor: User | None, payment_reference: str,
                   paid_on: datetime.date | None = None) -> FundClaim:
    """Finance records the payment: the approved amount moves from committed to paid; the request closes."""
    authorize(actor, MDF_PAY.code, tenant=claim.tenant_id)
    reference = _text(payment_reference, "payment_reference", limit=100)
    paid_on = paid_on or timezone.localdate()
    if not isinstance(paid_on, datetime.date):
        raise ValidationError({"paid_on": _("Enter a date.")})
    request = FundRequest.objects.get(pk=claim.request_id)
    budget = FundBudget.objects.select_for_update().get(pk=request.budget_id)
    request = FundRequest.objects.select_for_update().get(pk=request.pk)
    claim = FundClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.state not in (C.APPROVED, C.PARTIALLY_APPROVED):
        transition(workflow=CLAIM_WORKFLOW, instance=claim, to_state=C.PAID, actor=actor)  # says why
    amount = claim.approved_amount or Decimal(0)
    reason = _("MDF-%(pk)s paid: %(amount)s (%(reference)s)") % {"pk": request.pk, "amount": amount,
                                                                  "reference": reference}
    _settle(request, budget, actor=actor, release=request.committed - amount, pay=amount, keep=Decimal(0),
            reason=reason, close=True)
    return transition(workflow=CLAIM_WORKFLOW, instance=claim, to_state=C.PAID, actor=actor, reason=reason,
                      extra_updates={"paid_by": actor, "paid_on": paid_on, "payment_reference": reference})
