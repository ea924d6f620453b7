"""Every write of recruitment: one function per use case, transactional, audited.

Services take the tenant (or an object that names it) and the actor explicitly; they check
that every object handed to them belongs to that tenant, ``full_clean`` before saving and
record who did what and why (``audited_save`` / ``transition``). Views, admin actions, API
endpoints and tasks call these and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from channelhub.partners import services as partner_services
from channelhub.partners.models import Partner, PartnerStatus, Region
from channelhub.tenancy.context import TenantScopeError, current_context, tenant_scope
from channelhub.tenancy.models import Membership, Tenant, User
from channelhub.tenancy.roles import STAFF_ROLES, Role
from channelhub.tenancy.services import (
    assign_fields,
    audited_delete,
    audited_save,
    membership_grant,
    require_same_tenant,
)
from channelhub.tenancy.workflow import IllegalTransition, transition

from . import notifications, selectors
from .duplicates import name_match, normalise_company_name
from .models import (
    OPEN_STATES,
    Application,
    ApplicationDocument,
    ApplicationMessage,
    ApplicationRegion,
    ApplicationSource,
    ApplicationState,
    ApprovalDecision,
    ApprovalStep,
    Campaign,
    Criterion,
    CriterionCategory,
    Decision,
    MessageSender,
    OnboardingTask,
    OnboardingTaskTemplate,
    RecruitmentPlan,
    RecruitmentTarget,
    ReturnTarget,
    ReviewerAssignment,
    Score,
    Scorecard,
    ScorecardTemplate,
    TemplateCriterion,
)
from .storage import private_storage
from .validators import validate_document_file
from .workflow import APPLICATION_WORKFLOW, CAMPAIGN_WORKFLOW, DECISION_ONLY, PLAN_WORKFLOW

S = ApplicationState

# Fields of an application the applicant (or staff, before scoring) may set.
APPLICATION_FIELDS = frozenset(
    {
        "legal_name", "credit_code", "registered_capital", "founding_year", "staff_count", "website",
        "address", "partner_type", "experience", "brands_carried", "references", "contact_name",
        "contact_title", "contact_email", "contact_phone", "language", "plan", "campaign",
    }
)
EDITABLE_STATES = frozenset({S.DRAFT, S.SUBMITTED, S.SCREENING})


# --------------------------------------------------------------------------- helpers


@contextmanager
def _scope(tenant: Tenant):
    """Run inside ``tenant``'s scope: enter it when none is set (public form, tasks), refuse another."""
    context = current_context()
    if context is None:
        with tenant_scope(tenant, source="recruitment"):
            yield
        return
    if context.tenant_id != tenant.pk:
        raise TenantScopeError(f"Writing tenant {tenant.pk}'s recruitment data inside tenant {context.tenant_id}.")
    yield


def _is_staff(user: User | None) -> bool:
    if user is None:
        return False
    return Membership.objects.filter(user=user, role__in=STAFF_ROLES, is_active=True).exists()


# --------------------------------------------------------------------------- plans and targets


@transaction.atomic
def plan_create(
    *, tenant: Tenant, actor: User | None, targets: Iterable[Mapping[str, Any]] = (), **fields: Any
) -> RecruitmentPlan:
    """A new plan starts as a draft; ``targets`` are ``{region, partner_type, target_count}`` rows."""
    fields.pop("status", None)
    plan = audited_save(assign_fields(RecruitmentPlan(tenant=tenant), fields), actor=actor, reason=_("Created"))
    for target in targets:
        target_create(tenant=tenant, actor=actor, plan=plan, **target)
    return plan


@transaction.atomic
def plan_update(*, plan: RecruitmentPlan, actor: User | None, **fields: Any) -> RecruitmentPlan:
    fields.pop("status", None)
    return audited_save(assign_fields(plan, fields), actor=actor, reason=_("Updated"))


def plan_transition(*, plan: RecruitmentPlan, to_status: str, actor: User | None, reason: str = "") -> RecruitmentPlan:
    """Draft → active → closed (a draft may also be closed unused)."""
    return transition(workflow=PLAN_WORKFLOW, instance=plan, to_state=to_status, actor=actor, reason=reason)


@transaction.atomic
def target_create(
    *, tenant: Tenant, actor: User | None, plan: RecruitmentPlan, region: Region, partner_type: str,
    target_count: int,
) -> RecruitmentTarget:
    require_same_tenant(tenant.pk, plan, region)
    target = RecruitmentTarget(
        tenant=tenant, plan=plan, region=region, partner_type=partner_type, target_count=target_count
    )
    return audited_save(target, actor=actor, reason=_("Created"))


@transaction.atomic
def target_update(*, target: RecruitmentTarget, actor: User | None, **fields: Any) -> RecruitmentTarget:
    require_same_tenant(target.tenant_id, fields.get("plan"), fields.get("region"))
    return audited_save(assign_fields(target, fields), actor=actor, reason=_("Updated"))


def delete_guarded(instance, *, actor: User | None) -> None:
    """Delete a row unless other records still point at it (then a clear 400, no change)."""
    partner_services.delete_guarded(instance, actor=actor)


# --------------------------------------------------------------------------- campaigns


@transaction.atomic
def campaign_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> Campaign:
    """A campaign under a plan; its code (unique in the tenant, stored upper-case) tags applications."""
    fields.pop("status", None)
    require_same_tenant(tenant.pk, fields.get("plan"), fields.get("referrer"))
    return audited_save(assign_fields(Campaign(tenant=tenant), fields), actor=actor, reason=_("Created"))


@transaction.atomic
def campaign_update(*, campaign: Campaign, actor: User | None, **fields: Any) -> Campaign:
    fields.pop("status", None)
    require_same_tenant(campaign.tenant_id, fields.get("plan"), fields.get("referrer"))
    return audited_save(assign_fields(campaign, fields), actor=actor, reason=_("Updated"))


def campaign_transition(*, campaign: Campaign, to_status: str, actor: User | None, reason: str = "") -> Campaign:
    return transition(workflow=CAMPAIGN_WORKFLOW, instance=campaign, to_state=to_status, actor=actor, reason=reason)


# --------------------------------------------------------------------------- criteria, templates, steps


@transaction.atomic
def criterion_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> Criterion:
    return audited_save(assign_fields(Criterion(tenant=tenant), fields), actor=actor, reason=_("Created"))


@transaction.atomic
def criterion_update(*, criterion: Criterion, actor: User | None, **fields: Any) -> Criterion:
    """Changing a criterion never changes recorded scores: each score keeps its own snapshot."""
    return audited_save(assign_fields(criterion, fields), actor=actor, reason=_("Updated"))


def _set_template_items(template: ScorecardTemplate, items: Iterable[Mapping[str, Any]], actor) -> None:
    seen = set()
    keep = []
    for position, item in enumerate(items):
        criterion = item["criterion"]
        require_same_tenant(template.tenant_id, criterion)
        if criterion.pk in seen:
            raise ValidationError({"items": _("A criterion appears twice in the template.")})
        seen.add(criterion.pk)
        row = TemplateCriterion.objects.filter(template=template, criterion=criterion).first() or TemplateCriterion(
            tenant_id=template.tenant_id, template=template, criterion=criterion
        )
        row.weight = item.get("weight")
        row.order = item.get("order", position)
        audited_save(row, actor=actor, reason=_("Template criteria changed"))
        keep.append(row.pk)
    for row in TemplateCriterion.objects.filter(template=template).exclude(pk__in=keep):
        audited_delete(row, actor=actor, reason=_("Template criteria changed"))


@transaction.atomic
def scorecard_template_create(
    *, tenant: Tenant, actor: User | None, items: Iterable[Mapping[str, Any]] = (), **fields: Any
) -> ScorecardTemplate:
    """A template per partner type; ``items`` are ``{criterion, weight (optional), order}``."""
    template = audited_save(assign_fields(ScorecardTemplate(tenant=tenant), fields), actor=actor, reason=_("Created"))
    _set_template_items(template, items, actor)
    return template


@transaction.atomic
def scorecard_template_update(
    *, template: ScorecardTemplate, actor: User | None, items: Iterable[Mapping[str, Any]] | None = None,
    **fields: Any,
) -> ScorecardTemplate:
    template = audited_save(assign_fields(template, fields), actor=actor, reason=_("Updated"))
    if items is not None:
        _set_template_items(template, items, actor)
    return template


@transaction.atomic
def approval_step_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> ApprovalStep:
    return audited_save(assign_fields(ApprovalStep(tenant=tenant), fields), actor=actor, reason=_("Created"))


@transaction.atomic
def approval_step_update(*, step: ApprovalStep, actor: User | None, **fields: Any) -> ApprovalStep:
    return audited_save(assign_fields(step, fields), actor=actor, reason=_("Updated"))


@transaction.atomic
def onboarding_template_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> OnboardingTaskTemplate:
    return audited_save(assign_fields(OnboardingTaskTemplate(tenant=tenant), fields), actor=actor, reason=_("Created"))


@transaction.atomic
def onboarding_template_update(
    *, template: OnboardingTaskTemplate, actor: User | None, **fields: Any
) -> OnboardingTaskTemplate:
    return audited_save(assign_fields(template, fields), actor=actor, reason=_("Updated"))


# Defaults a new tenant (and the demo) starts from; every row is editable data afterwards.
# Names are written once, in the tenant's default language, when the defaults are created.
DEFAULT_APPROVAL_STEPS = (
    (1, gettext_noop("Channel manager review"), Role.CHANNEL_MANAGER),
    (2, gettext_noop("Sales director approval"), Role.OWNER),
    (3, gettext_noop("Legal review"), Role.LEGAL),
)
DEFAULT_ONBOARDING_TASKS = (
    ("sign_agreement", gettext_noop("Sign the cooperation agreement"), True),
    ("orientation_course", gettext_noop("Complete the orientation course"), True),
    ("portal_users", gettext_noop("Set up portal users"), True),
    ("first_sales_report", gettext_noop("Submit the first sales report"), False),
)
DEFAULT_CRITERIA = (
    (CriterionCategory.LEGAL_COMPLIANCE, gettext_noop("Licensed and compliant"), 3, 5, Decimal("3")),
    (CriterionCategory.BUSINESS_STRENGTH, gettext_noop("Capital strength"), 2, 5, None),
    (CriterionCategory.CAPABILITY, gettext_noop("Sales and service capability"), 2, 5, None),
    (CriterionCategory.BRAND_IMAGE, gettext_noop("Brand image and reputation"), 1, 5, None),
    (CriterionCategory.EXPERIENCE, gettext_noop("Industry experience"), 2, 5, None),
    (CriterionCategory.MARKET_INFLUENCE, gettext_noop("Market influence"), 2, 5, None),
)
DEFAULT_TEMPLATE_NAME = gettext_noop("Default scorecard")


@transaction.atomic
def approval_steps_ensure_default(*, tenant: Tenant, actor: User | None = None) -> list[ApprovalStep]:
    """Give a tenant without an approval chain the default three steps (manager → director → legal)."""
    with _scope(tenant), translation.override(tenant.default_language):
        if ApprovalStep.objects.exists():
            return selectors.approval_chain()
        for order, name, role in DEFAULT_APPROVAL_STEPS:
            approval_step_create(tenant=tenant, actor=actor, order=order, name=_(name), role=role)
        return selectors.approval_chain()


@transaction.atomic
def onboarding_templates_ensure_default(*, tenant: Tenant, actor: User | None = None) -> None:
    with _scope(tenant), translation.override(tenant.default_language):
        if OnboardingTaskTemplate.objects.exists():
            return
        for order, (key, name, required) in enumerate(DEFAULT_ONBOARDING_TASKS):
            onboarding_template_create(
                tenant=tenant, actor=actor, key=key, name=_(name), required=required, order=order
            )


@transaction.atomic
def criteria_ensure_default(*, tenant: Tenant, actor: User | None = None) -> ScorecardTemplate | None:
    """Give a tenant without criteria the six groups of the source document and a default template."""
    with _scope(tenant), translation.override(tenant.default_language):
        if Criterion.objects.exists():
            return ScorecardTemplate.objects.filter(partner_type="").first()
        items = []
        for order, (category, name, weight, scale, threshold) in enumerate(DEFAULT_CRITERIA):
            criterion = criterion_create(
                tenant=tenant, actor=actor, category=category, name=_(name), weight=Decimal(weight), scale_max=scale,
                knockout_threshold=threshold, order=order,
            )
            items.append({"criterion": criterion, "order": order})
        return scorecard_template_create(
            tenant=tenant, actor=actor, name=_(DEFAULT_TEMPLATE_NAME), partner_type="", items=items
        )


# --------------------------------------------------------------------------- applications


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
    if application.state not in EDITABLE_STATES:
        raise ValidationError(_("The application can no longer be edited in its current state."))
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
    """
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


def application_check_duplicates(*, application: Application) -> list[dict[str, Any]]:
    """Find other applications and partners with the same credit code or a near-identical name.

    The findings are stored on the application (``duplicate_flags``, ``has_duplicates``) so
    reviewers see them; re-running replaces them. Duplication goes both ways: every *open*
    application found here gets this one in its own flags too (and loses it again when a
    re-run, e.g. after the name was corrected, no longer matches), so the reviewers of the
    earlier application learn about the later one. Closed applications keep their record.
    """
    code = application.credit_code
    normalised = application.normalised_name or normalise_company_name(application.legal_name)
    findings: list[dict[str, Any]] = []
    others = (
        Application.objects.exclude(pk=application.pk).exclude(state=S.DRAFT)
        .values_list("pk", "legal_name", "credit_code", "state", "partner_id")
    )
    for pk, name, other_code, state, partner_id in others:
        if partner_id is not None and partner_id == application.partner_id:
            continue
        match = _match(code, normalised, other_code, name)
        if match:
            findings.append({"kind": "application", "id": pk, "name": name, "credit_code": other_code,
                             "state": state, **match})
    for pk, name, english, other_code, status in Partner.objects.values_list(
        "pk", "legal_name", "english_name", "credit_code", "status"
    ):
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
    stale = {
        pk for pk, flags in Application.objects.filter(state__in=OPEN_STATES, has_duplicates=True)
        .exclude(pk=application.pk).values_list("pk", "duplicate_flags")
        if pk not in matched and mentions(flags)
    }
    if not matched and not stale:
        return
    with transaction.atomic():
        for other in Application.objects.select_for_update().filter(
            pk__in=matched | stale, state__in=OPEN_STATES
        ).order_by("pk"):
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
                Application.objects.filter(pk=other.pk).update(duplicate_flags=flags, has_duplicates=bool(flags))


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

    Allowed from every open state, including ``in_review``.
    """
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


# --------------------------------------------------------------------------- reviewers and scorecards


@transaction.atomic
def application_assign_reviewers(
    *, application: Application, reviewers: Iterable[User], actor: User | None
) -> list[ReviewerAssignment]:
    """Ask staff members to score the application (idempotent: an existing assignment is kept)."""
    if application.state not in (S.SUBMITTED, S.SCREENING, S.SCORING):
        raise ValidationError(_("Reviewers can be assigned only before the application goes to review."))
    assignments = []
    for reviewer in reviewers:
        if not _is_staff(reviewer):
            raise ValidationError({"reviewers": _("%(user)s is not on this tenant's staff.") % {"user": reviewer}})
        assignment = ReviewerAssignment.objects.filter(application=application, reviewer=reviewer).first()
        if assignment is None:
            assignment = audited_save(
                ReviewerAssignment(
                    tenant_id=application.tenant_id, application=application, reviewer=reviewer, assigned_by=actor
                ),
                actor=actor, reason=_("Reviewer assigned"),
            )
        assignments.append(assignment)
    return assignments


@transaction.atomic
def application_remove_reviewers(
    *, application: Application, reviewers: Iterable[User], actor: User | None
) -> int:
    """Take reviewers off the application before it goes to review; return how many were removed.

    A reviewer who has already submitted a scorecard stays: their scores are part of the
    record the approvers read, so removing them is refused (nothing is removed then). Asking
    to remove someone who is not a reviewer of the application changes nothing.
    """
    if application.state not in (S.SUBMITTED, S.SCREENING, S.SCORING):
        raise ValidationError(_("Reviewers can be removed only before the application goes to review."))
    reviewer_ids = {reviewer.pk for reviewer in reviewers}
    # Locked, as scorecard_submit locks the assignment it scores under: of a removal and a
    # submission at the same time, the second one sees what the first did.
    assignments = list(
        ReviewerAssignment.objects.select_for_update()
        .filter(application=application, reviewer_id__in=reviewer_ids).order_by("pk")
    )
    scored = set(
        Scorecard.objects.filter(application=application, reviewer_id__in=[a.reviewer_id for a in assignments])
        .values_list("reviewer_id", flat=True)
    )
    if scored:
        names = ", ".join(str(user) for user in User.objects.filter(pk__in=scored).order_by("username"))
        raise ValidationError({"reviewers": _(
            "%(users)s already submitted a scorecard for this application and cannot be removed: "
            "submitted scores stay on the record."
        ) % {"users": names}})
    for assignment in assignments:
        audited_delete(assignment, actor=actor, reason=_("Reviewer removed"))
    return len(assignments)


@transaction.atomic
def scorecard_submit(
    *, application: Application, reviewer: User, scores: Mapping[Any, Any], comment: str = ""
) -> Scorecard:
    """An assigned reviewer records a score (0..scale) for every criterion of the application.

    Reviewers score independently; a reviewer may revise their scorecard while the
    application is in scoring. Each score keeps the weight, scale and threshold it was given
    under, so later edits to criteria do not change recorded results.
    """
    if application.state != S.SCORING:
        raise ValidationError(_("Scorecards are accepted only while the application is in scoring."))
    # Locked: a removal of this reviewer at the same moment waits (see application_remove_reviewers).
    assignment = ReviewerAssignment.objects.select_for_update().filter(application=application, reviewer=reviewer)
    if assignment.first() is None:
        raise PermissionDenied(_("You are not a reviewer of this application."))
    wanted = selectors.scoring_criteria(application=application)
    if not wanted:
        raise ValidationError(_("There are no criteria to score: set up the criteria first."))
    given: dict[int, Any] = {}
    for key, value in scores.items():
        try:
            given[key.pk if isinstance(key, Criterion) else int(key)] = value
        except (TypeError, ValueError):
            raise ValidationError({"scores": _("Scores are keyed by criterion id.")}) from None
    errors: list[str] = []
    known = {item.criterion.pk for item in wanted}
    if set(given) - known:
        errors.append(_("Criteria %(ids)s are not on the application's scorecard.")
                      % {"ids": ", ".join(str(pk) for pk in sorted(set(given) - known))})
    rows = []
    for item in wanted:
        criterion = item.criterion
        label = f"{criterion.name} (#{criterion.pk})"
        if criterion.pk not in given or given[criterion.pk] in (None, ""):
            errors.append(_("%(criterion)s: give a score.") % {"criterion": label})
            continue
        try:
            value = Decimal(str(given[criterion.pk]))
            if not value.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError, TypeError):
            errors.append(_("%(criterion)s: the score must be a number.") % {"criterion": label})
            continue
        if value < 0 or value > criterion.scale_max:
            errors.append(_("%(criterion)s: give a score from 0 to %(max)s.")
                          % {"criterion": label, "max": criterion.scale_max})
            continue
        rows.append((criterion, item.weight, value))
    if errors:
        raise ValidationError({"scores": errors})
    scorecard = Scorecard.objects.filter(application=application, reviewer=reviewer).first()
    if scorecard is None:
        scorecard = Scorecard(tenant_id=application.tenant_id, application=application, reviewer=reviewer)
    scorecard.comment = comment or ""
    scorecard.submitted_at = timezone.now()
    audited_save(scorecard, actor=reviewer, reason=_("Scorecard submitted"))
    Score.objects.filter(scorecard=scorecard).delete()
    for criterion, weight, value in rows:
        score = Score(
            tenant_id=application.tenant_id, scorecard=scorecard, criterion=criterion, value=value, weight=weight,
            scale_max=criterion.scale_max, knockout_threshold=criterion.knockout_threshold,
        )
        score.full_clean()
        score.save()
    return scorecard


# --------------------------------------------------------------------------- approval chain


def _stale(application: Application, to_state: str) -> IllegalTransition:
    current = Application.objects.filter(pk=application.pk).values_list("state", flat=True).first() or ""
    return IllegalTransition(
        _("This application was decided by someone else meanwhile (now “%(state)s”); reload and retry.")
        % {"state": APPLICATION_WORKFLOW.label(current)},
        from_state=current, to_state=to_state,
    )


def application_decide(
    *, application: Application, actor: User, decision: str, comment: str = "",
    return_to: str = ReturnTarget.SCORING, step: ApprovalStep | None = None,
) -> ApprovalDecision:
    """Approve, reject or return the application at its current approval step.

    Only a user holding the step's role decides (superusers too). ``approve`` moves to the
    next active step or, after the last, approves the application and converts it into an
    onboarding partner; ``reject`` ends it; ``return`` sends it back to screening or scoring
    (a comment is required for both). The decision is a compare-and-swap on (state, current
    step) as the caller saw them: of two concurrent decisions on one step exactly one wins,
    and a decision made on a stale view of the application is refused (409).

    One person, one step per round: nobody (superusers included) approves two steps of the
    same approval round, so a chain of several steps always means several people. A round is
    one stay in review; a return ends it, and the next round starts afresh.
    """
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choose approve, reject or return.")})
    seen_step_id = application.current_step_id
    if application.state != S.IN_REVIEW or seen_step_id is None:
        raise IllegalTransition(
            _("Only applications in review can be decided."), from_state=application.state,
            to_state=S.APPROVED if decision == Decision.APPROVE else S.REJECTED,
        )
    if step is not None and step.pk != seen_step_id:
        raise _stale(application, application.state)
    current = ApprovalStep.objects.get(pk=seen_step_id)
    if not (getattr(actor, "is_superuser", False) or current.role in selectors.user_roles(actor)):
        raise PermissionDenied(
            _("Step “%(step)s” is decided by the role “%(role)s”.")
            % {"step": current.name, "role": current.get_role_display()}
        )
    if decision == Decision.APPROVE:
        earlier = selectors.round_approvals(application=application).filter(actor=actor).first()
        if earlier is not None:
            raise PermissionDenied(
                _("One person approves one step per round: you already approved “%(step)s” of this "
                  "application; “%(current)s” needs someone else.")
                % {"step": earlier.step.name, "current": current.name}
            )
    comment = (comment or "").strip()
    if decision in (Decision.REJECT, Decision.RETURN) and not comment:
        raise ValidationError({"comment": _("Give a reason for rejecting or returning the application.")})
    if decision == Decision.RETURN and return_to not in ReturnTarget.values:
        raise ValidationError({"return_to": _("Return the application to screening or scoring.")})

    chain = selectors.approval_chain()
    later = [s for s in chain if s.order > current.order]
    next_step = later[0] if decision == Decision.APPROVE and later else None
    final_approval = decision == Decision.APPROVE and next_step is None
    target_state = {
        Decision.REJECT: S.REJECTED, Decision.RETURN: return_to,
    }.get(decision, S.APPROVED if final_approval else S.IN_REVIEW)
    now = timezone.now()
    with transaction.atomic():
        claimed = Application.objects.filter(
            pk=application.pk, state=S.IN_REVIEW, current_step_id=seen_step_id
        ).update(current_step=next_step, updated_at=now)
        if not claimed:
            raise _stale(application, target_state)
        record = ApprovalDecision.objects.create(
            tenant_id=application.tenant_id, application=application, step=current, decision=decision,
            return_to=return_to if decision == Decision.RETURN else "", comment=comment, actor=actor, created_at=now,
        )
        reason = f"{current.name}: {Decision(decision).label}" + (f" — {comment}" if comment else "")
        if decision == Decision.APPROVE and next_step is not None:
            application.current_step = next_step
            application._history_user = actor
            application._change_reason = reason
            application.save(update_fields=["current_step", "updated_at"])
        elif final_approval:
            application.current_step = None
            partner = _convert_to_partner(application=application, actor=actor)
            transition(
                workflow=APPLICATION_WORKFLOW, instance=application, to_state=S.APPROVED, actor=actor,
                reason=reason, extra_updates={"decided_at": now, "current_step": None, "partner": partner},
            )
            notifications.notify_applicant(application, notifications.APPROVED, record.pk)
        else:
            application.current_step = None
            extra: dict[str, Any] = {"current_step": None}
            if decision == Decision.REJECT:
                extra["decided_at"] = now
            transition(
                workflow=APPLICATION_WORKFLOW, instance=application, to_state=target_state, actor=actor,
                reason=reason, extra_updates=extra,
            )
            if decision == Decision.REJECT:
                notifications.notify_applicant(application, notifications.REJECTED, record.pk)
    return record


# --------------------------------------------------------------------------- onboarding


def _convert_to_partner(*, application: Application, actor: User | None) -> Partner:
    """Approved: the application becomes an onboarding partner with its contact, documents,
    partner-admin portal user (invitation e-mail) and onboarding checklist."""
    tenant = application.tenant
    region = Region.objects.filter(
        pk__in=ApplicationRegion.objects.filter(application=application).values("region_id")
    ).order_by("path").first()
    if region is None:
        raise ValidationError({"regions": _("The application names no region; the partner needs one.")})
    owner = _new_partner_owner(application)
    partner = partner_services.partner_create(
        tenant=tenant, actor=actor, legal_name=application.legal_name, credit_code=application.credit_code,
        partner_type=application.partner_type, region=region, address=application.address,
        registered_capital=application.registered_capital, founding_year=application.founding_year,
        staff_count=application.staff_count, website=application.website, owner=owner,
        notes=_("Recruited through application #%(id)s.") % {"id": application.pk},
    )
    partner_services.partner_transition(
        partner=partner, to_status=PartnerStatus.ONBOARDING, actor=actor, reason=_("Application approved")
    )
    partner_services.contact_create(
        tenant=tenant, actor=actor, partner=partner, name=application.contact_name, title=application.contact_title,
        email=application.contact_email, phone=application.contact_phone, is_primary=True,
    )
    for document in ApplicationDocument.objects.filter(application=application):
        document.partner = partner
        document._history_user = actor
        document._change_reason = _("Linked to the new partner")
        document.save(update_fields=["partner"])
    membership_grant(
        tenant=tenant, actor=actor, email=application.contact_email, role=Role.PARTNER_ADMIN, partner=partner,
        first_name=application.contact_name[:150], language=application.language,
    )
    _create_checklist(partner=partner, application=application, actor=actor)
    return partner


def _new_partner_owner(application: Application) -> User | None:
    """Who looks after the new partner: the plan's owner, else the channel manager who
    approved the application's first step (they know it best), else nobody yet."""
    candidates = []
    if application.plan_id and application.plan.owner_id:
        candidates.append(application.plan.owner)
    first_approval = (
        ApprovalDecision.objects.filter(application=application, decision=Decision.APPROVE)
        .select_related("actor").order_by("created_at", "pk").first()
    )
    if first_approval is not None and first_approval.actor is not None:
        candidates.append(first_approval.actor)
    return next((user for user in candidates if _is_staff(user)), None)


def _create_checklist(*, partner: Partner, application: Application | None, actor: User | None) -> None:
    if not OnboardingTaskTemplate.objects.exists():
        onboarding_templates_ensure_default(tenant=partner.tenant, actor=actor)
    for template in selectors.onboarding_templates_for(partner.partner_type):
        audited_save(
            OnboardingTask(
                tenant_id=partner.tenant_id, partner=partner, application=application, key=template.key,
                name=template.name, description=template.description, required=template.required,
                order=template.order,
            ),
            actor=actor, reason=_("Onboarding checklist created"),
        )


def onboarding_task_complete(
    *, partner: Partner, key: str, actor: User | None, source: str = "manual", note: str = ""
) -> OnboardingTask | None:
    """Tick the partner's checklist item ``key`` (idempotent); activate the partner when done.

    Other chapters call this (``source`` names them, e.g. ``"cooperation.agreement"``); a
    partner without such an item (not recruited through an application) is left alone and
    ``None`` is returned. When every required item is done and the partner is still
    onboarding, it becomes active.
    """
    with transaction.atomic():
        task = OnboardingTask.objects.select_for_update().filter(partner=partner, key=key).first()
        if task is None:
            return None
        if task.done_at is None:
            task.done_at = timezone.now()
            task.done_by = actor
            task.done_source = source[:64]
            if note:
                task.note = note
            audited_save(task, actor=actor, reason=_("Checklist item done (%(source)s)") % {"source": source})
        _activate_when_complete(partner=partner, actor=actor)
    return task


@transaction.atomic
def onboarding_task_reopen(*, task: OnboardingTask, actor: User | None, reason: str = "") -> OnboardingTask:
    """Untick an item ticked by mistake (an already active partner stays active)."""
    task.done_at = None
    task.done_by = None
    task.done_source = ""
    return audited_save(task, actor=actor, reason=reason or _("Checklist item reopened"))


def _activate_when_complete(*, partner: Partner, actor: User | None) -> None:
    progress = selectors.onboarding_progress(partner_id=partner.pk)
    if not progress["required"] or progress["required_done"] < progress["required"]:
        return
    status = Partner.objects.filter(pk=partner.pk).values_list("status", flat=True).first()
    if status != PartnerStatus.ONBOARDING:
        return
    partner.status = status
    partner_services.partner_transition(
        partner=partner, to_status=PartnerStatus.ACTIVE, actor=actor, reason=_("Onboarding checklist complete")
    )


def partner_activate_early(*, partner: Partner, actor: User, reason: str) -> Partner:
    """A manager activates an onboarding partner before its checklist is complete, saying why.

    Who may do it is the caller's check (admin and API admit managers only).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the partner is activated before its checklist is complete.")})
    return partner_services.partner_transition(
        partner=partner, to_status=PartnerStatus.ACTIVE, actor=actor,
        reason=_("Activated before the checklist was complete: %(reason)s") % {"reason": reason},
    )

