"""Cooperation agreements: drafted from a template, reviewed by legal, signed by both parties.

Rules enforced here, once, for every surface:

- the text is always a version with its SHA-256; a new text while signatures stand voids them
  and returns the agreement to draft (nobody is bound by a text they did not sign);
- legal approves (the agreement goes to the partner) or returns it with a comment, kept on the
  version it was made on (四.2);
- the partner's administrator signs, then the vendor's representative countersigns, each
  naming the hash of the text they read: a text changed meanwhile refuses the signature;
- two countersignatures at once: the state's compare-and-swap lets exactly one win;
- termination needs a reason and a date and moves the partner's status through the partner
  lifecycle service (which checks the actor again).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from channelhub import milestones
from channelhub.numbering import next_number
from channelhub.partners import services as partner_services
from channelhub.partners.models import Partner, PartnerStatus
from channelhub.tenancy.models import Tenant, User
from channelhub.tenancy.policy import authorize, trusted
from channelhub.tenancy.services import assign_fields, audited_save, require_same_tenant
from channelhub.tenancy.workflow import transition

from .. import rendering, selectors
from ..models import (
    FINAL,
    IN_FORCE,
    Agreement,
    AgreementState,
    AgreementTemplate,
    AgreementVersion,
    CooperationSettings,
    LegalReview,
    ReviewDecision,
    Signature,
    SignatureParty,
    TemplateClause,
    TemplateStatus,
)
from ..permissions import (
    AGREEMENT_COUNTERSIGN,
    AGREEMENT_MANAGE,
    AGREEMENT_REVIEW,
    AGREEMENT_SIGN,
    AGREEMENT_TERMINATE,
    SETTINGS_MANAGE,
)
from ..workflow import AGREEMENT_WORKFLOW

S = AgreementState
TERM_FIELDS = ("title", "start_date", "end_date", "discount", "territory")


def _add_months(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    for candidate in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def _next_number(year: int) -> str:
    return f"AGR-{year}-{next_number(f'cooperation.AGR.{year}'):04d}"


def _check_dates(start: datetime.date | None, end: datetime.date | None) -> None:
    if start and end and end < start:
        raise ValidationError({"end_date": _("The term ends before it starts.")})


def _render(agreement: Agreement) -> str:
    clauses = TemplateClause.objects.filter(template_id=agreement.template_id).order_by("order", "pk")
    return rendering.render(agreement, clauses)


@transaction.atomic
def agreement_create(
    *, tenant: Tenant, actor: User | None, partner: Partner, template: AgreementTemplate | None = None,
    renewal_of: Agreement | None = None, **fields: Any,
) -> Agreement:
    """Draft an agreement for ``partner`` from ``template`` (default: the published template that fits it)."""
    authorize(actor, AGREEMENT_MANAGE.code, tenant=tenant)
    require_same_tenant(tenant, partner, template, renewal_of)
    template = template or selectors.template_for(partner)
    if template is None:
        raise ValidationError({"template": _("No published agreement template fits this partner; publish one first.")})
    if template.status != TemplateStatus.PUBLISHED:
        raise ValidationError({"template": _("Draft agreements from a published template only.")})
    fields = {k: v for k, v in fields.items() if k in TERM_FIELDS}
    start = fields.get("start_date") or timezone.localdate()
    end = fields.get("end_date") or (_add_months(start, template.term_months) - datetime.timedelta(days=1))
    _check_dates(start, end)
    agreement = Agreement(
        tenant=tenant, partner=partner, template=template, language=template.language, created_by=actor,
        number=_next_number(start.year), renewal_of=renewal_of,
        title=fields.get("title") or template.name, start_date=start, end_date=end,
        discount=fields.get("discount") or 0,
        territory=fields.get("territory") or (partner.region.name if partner.region_id else ""),
    )
    audited_save(agreement, actor=actor, reason=_("Drafted from %(template)s") % {"template": template})
    _new_version(agreement, _render(agreement), actor=actor, note=_("Drafted from %(template)s") % {
        "template": template})
    return agreement


def _closed(agreement: Agreement) -> None:
    if agreement.state in FINAL:
        raise ValidationError(_("This agreement is closed (%(state)s); draft a new one.") % {
            "state": agreement.get_state_display()})


def _new_version(agreement: Agreement, text: str, *, actor: User | None, note: str = "") -> AgreementVersion | None:
    """Store ``text`` as the agreement's new version; void standing signatures and return to draft.

    Nothing happens when the text is unchanged (the same words keep their signatures).
    """
    if agreement.current_version_id and agreement.current_version.text == text:
        return None
    number = (AgreementVersion.objects.filter(agreement=agreement).aggregate(n=Max("number"))["n"] or 0) + 1
    version = audited_save(
        AgreementVersion(tenant_id=agreement.tenant_id, agreement=agreement, number=number, text=text,
                         note=note[:300], created_by=actor),
        actor=actor, reason=note[:100] or _("New version"),
    )
    voided = Signature.objects.filter(agreement=agreement, voided_at__isnull=True)
    had_signatures = voided.exists()
    for signature in voided:
        signature.voided_at = timezone.now()
        signature.void_reason = _("The text changed (version %(number)s).") % {"number": number}
        audited_save(signature, actor=actor, reason=signature.void_reason)
    agreement.current_version = version
    audited_save(agreement, actor=actor, reason=_("Text version %(number)s") % {"number": number},
                 update_fields=["current_version"])
    if agreement.state != S.DRAFT:
        transition(workflow=AGREEMENT_WORKFLOW, instance=agreement, to_state=S.DRAFT, actor=actor,
                   reason=_("Signatures voided: the text changed") if had_signatures
                   else _("Back to draft: the text changed"))
    return version


@transaction.atomic
def agreement_update(*, agreement: Agreement, actor: User | None, **fields: Any) -> Agreement:
    """Change the terms (title, dates, discount, territory); the text is rendered again from the template.

    A changed text is a new version (see ``_new_version``: signatures void, back to draft).
    """
    authorize(actor, AGREEMENT_MANAGE.code, tenant=agreement.tenant_id)
    _closed(agreement)
    fields = {k: v for k, v in fields.items() if k in TERM_FIELDS}
    assign_fields(agreement, fields)
    _check_dates(agreement.start_date, agreement.end_date)
    audited_save(agreement, actor=actor, reason=_("Terms changed"))
    if agreement.template_id:
        _new_version(agreement, _render(agreement), actor=actor, note=_("Terms changed"))
    return agreement


@transaction.atomic
def agreement_edit_text(*, agreement: Agreement, actor: User | None, text: str, note: str = "") -> Agreement:
    """Replace the agreement's text by hand (a negotiated wording): a new version, signatures voided."""
    authorize(actor, AGREEMENT_MANAGE.code, tenant=agreement.tenant_id)
    _closed(agreement)
    if not (text or "").strip():
        raise ValidationError({"text": _("The agreement's text cannot be empty.")})
    text = text.replace("\r\n", "\n")
    _new_version(agreement, text, actor=actor, note=note or _("Text edited"))
    return agreement


def agreement_submit(*, agreement: Agreement, actor: User | None) -> Agreement:
    """Send a draft to legal review."""
    authorize(actor, AGREEMENT_MANAGE.code, tenant=agreement.tenant_id)
    return transition(workflow=AGREEMENT_WORKFLOW, instance=agreement, to_state=S.LEGAL_REVIEW, actor=actor,
                      reason=_("Sent to legal review"))


@transaction.atomic
def agreement_review(*, agreement: Agreement, actor: User | None, decision: str, comment: str = "") -> LegalReview:
    """Legal approves (the agreement goes to the partner to sign) or returns it to draft with a comment."""
    authorize(actor, AGREEMENT_REVIEW.code, tenant=agreement.tenant_id)
    if decision not in ReviewDecision.values:
        raise ValidationError({"decision": _("Approve or return.")})
    comment = (comment or "").strip()
    if decision == ReviewDecision.RETURN and not comment:
        raise ValidationError({"comment": _("Say what must change before the agreement can be approved.")})
    to_state = S.SENT if decision == ReviewDecision.APPROVE else S.DRAFT
    transition(workflow=AGREEMENT_WORKFLOW, instance=agreement, to_state=to_state, actor=actor,
               reason=comment or _("Approved by legal"))
    review = LegalReview(tenant_id=agreement.tenant_id, version_id=agreement.current_version_id, decision=decision,
                         comment=comment, reviewer=actor)
    return audited_save(review, actor=actor, reason=review.get_decision_display())


def _signature(agreement: Agreement, *, party: str, actor: User, signer_name: str, signer_title: str,
               ip_address: str | None, content_hash: str) -> Signature:
    errors = {}
    if not (signer_name or "").strip():
        errors["signer_name"] = _("Type your name to sign.")
    if not (signer_title or "").strip():
        errors["signer_title"] = _("Give your title (e.g. general manager).")
    if errors:
        raise ValidationError(errors)
    version = AgreementVersion.objects.get(pk=agreement.current_version_id)
    if content_hash != version.content_hash:
        raise ValidationError({"content_hash": _(
            "The agreement's text changed since you opened it: read the current text and sign again.")})
    signature = Signature(
        tenant_id=agreement.tenant_id, agreement=agreement, version=version, party=party, signer=actor,
        signer_name=signer_name.strip()[:100], signer_title=signer_title.strip()[:100], signed_at=timezone.now(),
        ip_address=ip_address or None, content_hash=version.content_hash,
    )
    return audited_save(signature, actor=actor, reason=_("Signed"))


@transaction.atomic
def agreement_sign(*, agreement: Agreement, actor: User, signer_name: str, signer_title: str,
                   content_hash: str, ip_address: str | None = None) -> Signature:
    """The partner's administrator signs the text sent to it (in the portal)."""
    authorize(actor, AGREEMENT_SIGN.code, tenant=agreement.tenant_id, partner=agreement.partner_id)
    # The move first: its compare-and-swap decides a race before any signature row is written.
    transition(workflow=AGREEMENT_WORKFLOW, instance=agreement, to_state=S.PARTNER_SIGNED, actor=actor,
               reason=_("Signed by %(name)s") % {"name": signer_name})
    return _signature(agreement, party=SignatureParty.PARTNER, actor=actor, signer_name=signer_name,
                      signer_title=signer_title, ip_address=ip_address, content_hash=content_hash)


@transaction.atomic
def agreement_countersign(*, agreement: Agreement, actor: User, signer_name: str, signer_title: str,
                          content_hash: str, ip_address: str | None = None) -> Signature:
    """The vendor's representative countersigns: the agreement is in force (both parties signed, 四.2).

    Exactly one of two concurrent countersignatures wins (compare-and-swap on the state). The
    first agreement a partner has in force announces ``agreement.signed``; a renewal closes the
    agreement it renews.
    """
    authorize(actor, AGREEMENT_COUNTERSIGN.code, tenant=agreement.tenant_id)
    if not Signature.objects.filter(agreement=agreement, version_id=agreement.current_version_id,
                                    party=SignatureParty.PARTNER, voided_at__isnull=True).exists():
        raise ValidationError(_("The partner has not signed this text."))
    transition(workflow=AGREEMENT_WORKFLOW, instance=agreement, to_state=S.ACTIVE, actor=actor,
               reason=_("Countersigned by %(name)s") % {"name": signer_name})
    signature = _signature(agreement, party=SignatureParty.TENANT, actor=actor, signer_name=signer_name,
                           signer_title=signer_title, ip_address=ip_address, content_hash=content_hash)
    first = not Agreement.objects.filter(partner_id=agreement.partner_id).exclude(pk=agreement.pk).filter(
        state__in=IN_FORCE | {S.RENEWED, S.EXPIRED}).exists()
    if agreement.renewal_of_id:
        old = Agreement.objects.get(pk=agreement.renewal_of_id)
        if AGREEMENT_WORKFLOW.can(old.state, S.RENEWED):
            transition(workflow=AGREEMENT_WORKFLOW, instance=old, to_state=S.RENEWED, actor=actor,
                       reason=_("Renewed by %(number)s") % {"number": agreement.number})
    milestones.announce(partner=agreement.partner, milestone="agreement.signed", source="cooperation.agreement",
                        agreement_id=agreement.pk, first=first)
    return signature


@transaction.atomic
def agreement_terminate(*, agreement: Agreement, actor: User | None, reason: str,
                        terminated_on: datetime.date | None = None) -> Agreement:
    """End an agreement in force early (停止条件), with a reason and a date.

    When the partner has no other agreement in force, its status moves to terminated through
    ``partner_transition``, which checks the actor's right to change a partner's status.
    """
    authorize(actor, AGREEMENT_TERMINATE.code, tenant=agreement.tenant_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for terminating the agreement.")})
    terminated_on = terminated_on or timezone.localdate()
    if terminated_on < agreement.start_date:
        raise ValidationError({"terminated_on": _("The termination date lies before the agreement's start.")})
    transition(workflow=AGREEMENT_WORKFLOW, instance=agreement, to_state=S.TERMINATED, actor=actor, reason=reason,
               extra_updates={"terminated_on": terminated_on, "termination_reason": reason})
    partner = Partner.objects.get(pk=agreement.partner_id)
    others = selectors.agreements_in_force(partner.pk).exclude(pk=agreement.pk).exists()
    if not others and partner.status != PartnerStatus.TERMINATED:
        partner_services.partner_transition(
            partner=partner, to_status=PartnerStatus.TERMINATED, actor=actor,
            reason=_("Agreement %(number)s terminated on %(day)s: %(reason)s") % {
                "number": agreement.number, "day": terminated_on.isoformat(), "reason": reason},
        )
    milestones.announce(partner=partner, milestone="agreement.terminated", source="cooperation.agreement",
                        agreement_id=agreement.pk, terminated_on=terminated_on.isoformat())
    return agreement


def agreement_mark_expiring(*, agreement: Agreement, actor: User | None = None) -> Agreement:
    authorize(actor, AGREEMENT_TERMINATE.code, tenant=agreement.tenant_id)
    return transition(workflow=AGREEMENT_WORKFLOW, instance=agreement, to_state=S.EXPIRING, actor=actor,
                      reason=_("The term ends on %(day)s") % {"day": agreement.end_date.isoformat()})


def agreement_expire(*, agreement: Agreement, actor: User | None = None) -> Agreement:
    authorize(actor, AGREEMENT_TERMINATE.code, tenant=agreement.tenant_id)
    return transition(workflow=AGREEMENT_WORKFLOW, instance=agreement, to_state=S.EXPIRED, actor=actor,
                      reason=_("The term ended on %(day)s") % {"day": agreement.end_date.isoformat()})


@transaction.atomic
def agreement_renew(*, agreement: Agreement, actor: User | None) -> Agreement:
    """A renewal draft from the current template (the newest published version of its code), once.

    The renewal starts the day after this agreement ends; countersigning it marks this one renewed.
    """
    authorize(actor, AGREEMENT_TERMINATE.code, tenant=agreement.tenant_id)
    if agreement.state not in IN_FORCE:
        raise ValidationError(_("Only an agreement in force is renewed."))
    existing = Agreement.objects.filter(renewal_of=agreement).exclude(state=S.TERMINATED).first()
    if existing is not None:
        return existing
    partner = Partner.objects.select_related("region").get(pk=agreement.partner_id)
    template = None
    if agreement.template_id:
        template = selectors.current_template_of(agreement.template.code)
    template = template or selectors.template_for(partner)
    start = agreement.end_date + datetime.timedelta(days=1)
    with trusted():
        return agreement_create(
            tenant=agreement.tenant, actor=actor, partner=partner, template=template, renewal_of=agreement,
            start_date=start, discount=agreement.discount, territory=agreement.territory,
        )


@transaction.atomic
def settings_update(*, tenant: Tenant, actor: User | None, **fields: Any) -> CooperationSettings:
    """The tenant's cooperation settings (its one row, made on first change)."""
    authorize(actor, SETTINGS_MANAGE.code, tenant=tenant)
    row = CooperationSettings.objects.first() or CooperationSettings(tenant=tenant)
    fields = {k: v for k, v in fields.items() if k in ("require_signed_agreement", "reminder_days")}
    return audited_save(assign_fields(row, fields), actor=actor, reason=_("Updated"))
