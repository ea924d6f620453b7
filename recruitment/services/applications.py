"""Applications: created, corrected, submitted, checked for duplicates, moved; the Q&A with the applicant.

Staff writes are ``recruitment.application.manage`` (questions: ``…application.question``).
The applicant has no account: the public form, the tracking page's answers and withdrawal
run as the system (``actor=None``), admitted by the tracking token the view checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from channelhub.partners.models import Partner, Region
from channelhub.tenancy.models import Tenant, User
from channelhub.tenancy.policy import authorize
from channelhub.tenancy.services import assign_fields, audited_delete, audited_save, require_same_tenant
from channelhub.tenancy.workflow import IllegalTransition, transition

from .. import notifications, selectors
from ..duplicates import application_candidates, name_match, normalise_company_name, partner_candidates
from ..models import (
    OPEN_STATES,
    Application,
    ApplicationDocument,
    ApplicationMessage,
    ApplicationRegion,
    ApplicationSource,
    Campaign,
    MessageSender,
)
from ..permissions import APPLICATION_MANAGE, APPLICATION_QUESTION
from ..storage import private_storage
from ..validators import validate_document_file
from ..workflow import APPLICATION_WORKFLOW, DECISION_ONLY
from ._common import S, _scope
from .approval import _stale

# Fields of an application the applicant (or staff, before scoring) may set.
APPLICATION_FIELDS = frozenset(
    {
        "legal_name", "credit_code", "registered_capital", "founding_year", "staff_count", "website",
        "address", "partner_type", "experience", "brands_carried", "references", "contact_name",
        "contact_title", "contact_email", "contact_phone", "language", "plan", "campaign",
    }
)
EDITABLE_STATES = frozenset({S.DRAFT, S.SUBMITTED, S.SCREENING})


def _clean_application_fields(data: Mapping[str, Any]) -> tuple[dict[str, Any], list[Region] | None]:
    data = dict(data)
    regions = data.pop("regions", None)
    unknown = set(data) - APPLICATION_FIELDS
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be set on an application.") for name in sorted(unknown)}
        )
    return data, (list(regions) if regions is not None else None)


def _set_regions(application: Application, regions: list[Region]) -> None:
    require_same_tenant(application.tenant_id, *regions)
    wanted = {region.pk for region in regions}
    ApplicationRegion.objects.filter(application=application).exclude(region_id__in=wanted).delete()
    have = set(ApplicationRegion.objects.filter(application=application).values_list("region_id", flat=True))
    for region_id in wanted - have:
        ApplicationRegion.objects.create(tenant_id=application.tenant_id, application=application, region_id=region_id)


@transaction.atomic
def application_create(
    *, tenant: Tenant, actor: User | None, data: Mapping[str, Any], campaign: Campaign | None = None,
    source: str = ApplicationSource.STAFF,
) -> Application:
    """A draft application (not yet seen by reviewers). ``data`` may hold ``regions`` (a list)."""
    authorize(actor, APPLICATION_MANAGE.code, tenant=tenant)
    with _scope(tenant):
        fields, regions = _clean_application_fields(data)
        if campaign is not None:
            fields["campaign"] = campaign
        require_same_tenant(tenant.pk, fields.get("campaign"), fields.get("plan"))
        fields.setdefault("language", tenant.default_language)
        application = assign_fields(Application(tenant=tenant, source=source), fields)
        application.normalised_name = normalise_company_name(application.legal_name)
        audited_save(application, actor=actor, reason=_("Created"))
        if regions is not None:
            _set_regions(application, regions)
        return application


@transaction.atomic
def application_update(
    *, application: Application, actor: User | None, data: Mapping[str, Any]
) -> Application:
    """Correct the company or contact data while the application is not yet being scored."""
    authorize(actor, APPLICATION_MANAGE.code, tenant=application.tenant_id)
    _require_editable(application)
    fields, regions = _clean_application_fields(data)
    require_same_tenant(application.tenant_id, fields.get("campaign"), fields.get("plan"))
    assign_fields(application, fields)
    application.normalised_name = normalise_company_name(application.legal_name)
    audited_save(application, actor=actor, reason=_("Updated"))
    if regions is not None:
        _set_regions(application, regions)
    if application.state != S.DRAFT and ({"legal_name", "credit_code"} & set(fields)):
        application_check_duplicates(application=application)
    return application


def _require_editable(application: Application) -> None:
    if application.state not in EDITABLE_STATES:
        raise ValidationError(_("The application can no longer be edited in its current state."))


@transaction.atomic
def application_region_add(*, application: Application, region: Region, actor: User | None) -> ApplicationRegion:
    """Add a region the applicant wants to cover (while the application can be edited)."""
    authorize(actor, APPLICATION_MANAGE.code, tenant=application.tenant_id)
    _require_editable(application)
    require_same_tenant(application.tenant_id, region)
    row = ApplicationRegion(tenant_id=application.tenant_id, application=application, region=region)
    return audited_save(row, actor=actor, reason=_("Region added"))


@transaction.atomic
def application_region_remove(*, row: ApplicationRegion, actor: User | None) -> None:
    authorize(actor, APPLICATION_MANAGE.code, tenant=row.tenant_id)
    _require_editable(row.application)
    audited_delete(row, actor=actor, reason=_("Region removed"))


def _document_items(documents) -> list[tuple[str, Any]]:
    items = []
    for document in documents or ():
        if isinstance(document, Mapping):
            items.append((document["kind"], document["file"]))
        else:
            kind, file = document
            items.append((kind, file))
    return items


def application_submit(
    *, tenant: Tenant, data: Mapping[str, Any] | None = None, documents=(), campaign: Campaign | None = None,
    source: str = ApplicationSource.PUBLIC_FORM, actor: User | None = None, application: Application | None = None,
) -> Application:
    """Create (or take a draft) and submit an application: validated whole, or nothing is saved.

    ``data``: the company and contact fields plus ``regions`` (at least one Region);
    ``documents``: ``(kind, file)`` pairs or ``{"kind", "file"}`` dicts, each checked for type
    (PDF/JPEG/PNG by content) and size. On success the duplicate check runs, its findings are
    stored on the application, and the applicant is e-mailed the tracking link.

    ``actor=None`` is the public form; staff and API keys need ``recruitment.application.manage``.
    """
    authorize(actor, APPLICATION_MANAGE.code, tenant=tenant)
    items = _document_items(documents)
    errors: dict[str, list] = {}
    for index, (_kind, file) in enumerate(items):
        try:
            validate_document_file(file)
        except ValidationError as error:
            errors.setdefault("documents", []).extend(
                f"{getattr(file, 'name', index + 1)}: {message}" for message in error.messages
            )
    if errors:
        raise ValidationError(errors)
    written: list[str] = []
    try:
        with _scope(tenant), transaction.atomic():
            if application is None:
                application = application_create(
                    tenant=tenant, actor=actor, data=data or {}, campaign=campaign, source=source
                )
            else:
                require_same_tenant(tenant.pk, application)
                if data:
                    application_update(application=application, actor=actor, data=data)
            if not ApplicationRegion.objects.filter(application=application).exists():
                raise ValidationError({"regions": _("Choose at least one region you want to cover.")})
            for kind, file in items:
                document = application_add_document(application=application, kind=kind, file=file, actor=actor)
                written.append(document.file.name)
            transition(
                workflow=APPLICATION_WORKFLOW, instance=application, to_state=S.SUBMITTED, actor=actor,
                reason=_("Submitted"), extra_updates={"submitted_at": timezone.now()},
            )
            application_check_duplicates(application=application)
            notifications.notify_applicant(application, notifications.RECEIVED)
    except BaseException:
        # The rows are rolled back; the files they pointed at must not stay behind on disk.
        _delete_files(written)
        raise
    return application


def _delete_files(names: Iterable[str]) -> None:
    for name in names:
        if name:
            private_storage.delete(name)


@transaction.atomic
def application_add_document(
    *, application: Application, kind: str, file, actor: User | None = None
) -> ApplicationDocument:
    """Attach a document (PDF/JPEG/PNG by content, size-limited) while the application is open."""
    authorize(actor, APPLICATION_MANAGE.code, tenant=application.tenant_id)
    if not application.is_open:
        raise ValidationError(_("Documents can no longer be added to this application."))
    content_type = validate_document_file(file)
    original = (getattr(file, "name", "") or "document").rsplit("/", 1)[-1][:200]
    document = ApplicationDocument(
        tenant_id=application.tenant_id, application=application, kind=kind, file=file, original_name=original,
        content_type=content_type, size=file.size, uploaded_by=actor,
    )
    document.full_clean(exclude=["file"])
    if actor is not None:
        document._history_user = actor
    document._change_reason = _("Document uploaded")
    try:
        document.save()
    except BaseException:
        # Saving writes the file before the row: a failed insert must not leave it on disk.
        _delete_files([document.file.name] if document.file else [])
        raise
    return document


def application_check_duplicates(*, application: Application, actor: User | None = None) -> list[dict[str, Any]]:
    """Find other applications and partners with the same credit code or a near-identical name.

    The findings are stored on the application (``duplicate_flags``, ``has_duplicates``) so
    reviewers see them; re-running replaces them. Duplication goes both ways: every *open*
    application found here gets this one in its own flags too (and loses it again when a
    re-run, e.g. after the name was corrected, no longer matches), so the reviewers of the
    earlier application learn about the later one. Closed applications keep their record.

    Writes run it as part of their own rule; asked for on its own, it is
    ``recruitment.application.manage``.
    """
    authorize(actor, APPLICATION_MANAGE.code, tenant=application.tenant_id)
    code = application.credit_code
    normalised = application.normalised_name or normalise_company_name(application.legal_name)
    findings: list[dict[str, Any]] = []
    # Candidates by indexed lookups (recruitment.duplicates); only these few are compared here.
    others = application_candidates(
        Application.objects.exclude(pk=application.pk).exclude(state=S.DRAFT), code=code, normalised=normalised
    ).values_list("pk", "legal_name", "credit_code", "state", "partner_id")
    for pk, name, other_code, state, partner_id in others:
        if partner_id is not None and partner_id == application.partner_id:
            continue
        match = _match(code, normalised, other_code, name)
        if match:
            findings.append({"kind": "application", "id": pk, "name": name, "credit_code": other_code,
                             "state": state, **match})
    for pk, name, english, other_code, status in partner_candidates(
        Partner.objects.all(), code=code, normalised=normalised
    ).values_list("pk", "legal_name", "english_name", "credit_code", "status"):
        if pk == application.partner_id:
            continue
        match = _match(code, normalised, other_code, name) or (english and _match("", normalised, "", english))
        if match:
            findings.append({"kind": "partner", "id": pk, "name": name, "credit_code": other_code or "",
                             "state": status, **match})
    Application.objects.filter(pk=application.pk).update(duplicate_flags=findings, has_duplicates=bool(findings))
    application.duplicate_flags = findings
    application.has_duplicates = bool(findings)
    _reflag_others(application, {f["id"]: f for f in findings if f["kind"] == "application"})
    return findings


def _reflag_others(application: Application, found: Mapping[int, Mapping[str, Any]]) -> None:
    """Mention ``application`` in the flags of the open applications it duplicates; drop it elsewhere.

    ``found`` maps the ids of the applications it duplicates to the findings about them (the
    match works both ways, so the earlier application is told the same reason).
    """
    def mentions(flags) -> bool:
        return any(flag.get("kind") == "application" and flag.get("id") == application.pk for flag in flags or [])

    matched = set(found) if application.state != S.DRAFT else set()
    flagged = Application.objects.filter(state__in=OPEN_STATES, has_duplicates=True).exclude(pk=application.pk)
    if connection.features.supports_json_field_contains:
        # PostgreSQL reads the flags itself instead of sending every flagged application's to Python.
        flagged = flagged.filter(duplicate_flags__contains=[{"kind": "application", "id": application.pk}])
    stale = {
        pk for pk, flags in flagged.values_list("pk", "duplicate_flags")
        if pk not in matched and mentions(flags)
    }
    if not matched and not stale:
        return
    with transaction.atomic():
        changed = []
        for other in Application.objects.select_for_update().filter(
            pk__in=matched | stale, state__in=OPEN_STATES
        ).only("pk", "tenant_id", "duplicate_flags", "has_duplicates").order_by("pk"):
            old = other.duplicate_flags or []
            flags = [flag for flag in old if not mentions([flag])]
            if other.pk in matched:
                finding = found[other.pk]
                flags.append({
                    "kind": "application", "id": application.pk, "name": application.legal_name,
                    "credit_code": application.credit_code, "state": application.state,
                    "match": finding["match"], "ratio": finding["ratio"],
                })
            if flags != old:
                other.duplicate_flags, other.has_duplicates = flags, bool(flags)
                changed.append(other)
        # One statement however many applications a common name matches (not one per match).
        Application.objects.bulk_update(changed, ["duplicate_flags", "has_duplicates"])


def _match(code: str, normalised: str, other_code: str | None, other_name: str) -> dict[str, str] | None:
    if code and other_code and code == other_code:
        return {"match": "credit_code", "ratio": "1.00"}
    found = name_match(normalised, other_name)
    if found:
        return {"match": found[0], "ratio": str(found[1])}
    return None


def application_transition(
    *, application: Application, to_state: str, actor: User | None, reason: str = ""
) -> Application:
    """Move an application along its workflow (table in ``recruitment.workflow``).

    Approval, rejection and returns out of ``in_review`` are decisions at the current
    approval step (``application_decide``), not plain moves. Entering ``scoring`` fixes the
    scorecard template and stamps ``qualified_at``; entering ``in_review`` puts the
    application at the first approval step (a chain must be configured).
    """
    authorize(actor, APPLICATION_MANAGE.code, tenant=application.tenant_id)
    from_state = application.state
    if (from_state, to_state) in DECISION_ONLY:
        raise IllegalTransition(
            _("Applications in review move only by a decision at the current approval step."),
            from_state=from_state, to_state=to_state,
        )
    now = timezone.now()
    extra: dict[str, Any] = {}
    if to_state == S.SUBMITTED and application.submitted_at is None:
        extra["submitted_at"] = now
    if to_state == S.SCORING:
        if application.qualified_at is None:
            extra["qualified_at"] = now
        if application.scorecard_template_id is None:
            extra["scorecard_template"] = selectors.template_for(application.partner_type)
    if to_state == S.IN_REVIEW and APPLICATION_WORKFLOW.can(from_state, to_state):
        chain = selectors.approval_chain()
        if not chain:
            raise ValidationError(_("Configure the approval chain before sending applications to review."))
        extra["current_step"] = chain[0]
    if to_state in (S.REJECTED, S.WITHDRAWN):
        extra["decided_at"] = now
        extra["current_step"] = None
    with transaction.atomic():
        transition(
            workflow=APPLICATION_WORKFLOW, instance=application, to_state=to_state, actor=actor, reason=reason,
            extra_updates=extra,
        )
        if to_state == S.SUBMITTED:
            application_check_duplicates(application=application)
            notifications.notify_applicant(application, notifications.RECEIVED)
        if to_state == S.REJECTED:
            notifications.notify_applicant(application, notifications.REJECTED)
    return application


def application_withdraw(*, application: Application, actor: User | None = None, reason: str = "") -> Application:
    """The applicant (through the tracking page, ``actor=None``) or staff withdraws an open application.

    Allowed from every open state, including ``in_review``. Staff need
    ``recruitment.application.manage``.
    """
    authorize(actor, APPLICATION_MANAGE.code, tenant=application.tenant_id)
    if application.state == S.IN_REVIEW:
        with transaction.atomic():
            # Withdrawing while a step is pending: take the step away in the same compare-and-swap.
            claimed = Application.objects.filter(
                pk=application.pk, state=S.IN_REVIEW, current_step_id=application.current_step_id
            ).update(current_step=None)
            if not claimed:
                raise _stale(application, S.WITHDRAWN)
            return transition(
                workflow=APPLICATION_WORKFLOW, instance=application, to_state=S.WITHDRAWN, actor=actor,
                reason=reason or _("Withdrawn"),
                extra_updates={"decided_at": timezone.now(), "current_step": None},
            )
    return application_transition(
        application=application, to_state=S.WITHDRAWN, actor=actor, reason=reason or _("Withdrawn")
    )


# --------------------------------------------------------------------------- Q&A with the applicant


@transaction.atomic
def application_ask_question(*, application: Application, actor: User, body: str) -> ApplicationMessage:
    """A reviewer asks the applicant something; the applicant is e-mailed a link to answer."""
    authorize(actor, APPLICATION_QUESTION.code, tenant=application.tenant_id)
    if not application.is_open:
        raise ValidationError(_("The application is closed; no more questions can be asked."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write the question.")})
    message = ApplicationMessage(
        tenant_id=application.tenant_id, application=application, sender=MessageSender.REVIEWER, author=actor,
        body=body,
    )
    audited_save(message, actor=actor, reason=_("Question to the applicant"))
    notifications.notify_applicant(application, notifications.QUESTION, message.pk)
    return message


@transaction.atomic
def application_answer(
    *, application: Application, body: str, reply_to: ApplicationMessage | None = None
) -> ApplicationMessage:
    """The applicant answers (from the tracking page; no user account)."""
    if not application.is_open:
        raise ValidationError(_("The application is closed; answers can no longer be sent."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write your answer.")})
    if reply_to is not None and reply_to.application_id != application.pk:
        raise ValidationError({"reply_to": _("Select a valid choice. That choice does not exist.")})
    message = ApplicationMessage(
        tenant_id=application.tenant_id, application=application, sender=MessageSender.APPLICANT, body=body,
        reply_to=reply_to,
    )
    return audited_save(message, actor=None, reason=_("Answer from the applicant"))
