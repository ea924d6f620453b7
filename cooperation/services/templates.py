"""Agreement templates: drafts are edited, a complete draft is published, a new version starts a new draft."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from channelhub.tenancy.models import Tenant, User
from channelhub.tenancy.policy import authorize
from channelhub.tenancy.services import assign_fields, audited_save, require_same_tenant

from ..models import REQUIRED_CLAUSES, AgreementTemplate, ClauseKind, TemplateClause, TemplateStatus
from ..permissions import TEMPLATE_MANAGE
from ..rendering import unknown_placeholders
from ._common import delete_guarded

TEMPLATE_FIELDS = ("code", "name", "language", "partner_type", "region", "priority", "term_months",
                   "dispute_method", "dispute_venue")
CLAUSE_FIELDS = ("kind", "title", "body", "order")


def _editable(template: AgreementTemplate) -> None:
    if template.status != TemplateStatus.DRAFT:
        raise ValidationError(_("A published or retired template is not edited: start a new version of it."))


@transaction.atomic
def template_create(*, tenant: Tenant, actor: User | None, clauses: list[dict] | None = None,
                    **fields: Any) -> AgreementTemplate:
    """A new template (version 1, draft), optionally with its clauses."""
    authorize(actor, TEMPLATE_MANAGE.code, tenant=tenant)
    require_same_tenant(tenant, fields.get("region"))
    fields = {k: v for k, v in fields.items() if k in TEMPLATE_FIELDS}
    if fields.get("code") and AgreementTemplate.objects.filter(code=fields["code"]).exists():
        raise ValidationError({"code": _("A template with this code exists; start a new version of it instead.")})
    template = audited_save(assign_fields(AgreementTemplate(tenant=tenant), fields), actor=actor,
                            reason=_("Created"))
    for order, clause in enumerate(clauses or [], start=1):
        clause_create(tenant=tenant, actor=actor, template=template, **{"order": order, **clause})
    return template


@transaction.atomic
def template_update(*, template: AgreementTemplate, actor: User | None, **fields: Any) -> AgreementTemplate:
    authorize(actor, TEMPLATE_MANAGE.code, tenant=template.tenant_id)
    _editable(template)
    require_same_tenant(template.tenant_id, fields.get("region"))
    fields = {k: v for k, v in fields.items() if k in TEMPLATE_FIELDS and k != "code"}
    return audited_save(assign_fields(template, fields), actor=actor, reason=_("Updated"))


@transaction.atomic
def template_delete(*, template: AgreementTemplate, actor: User | None) -> None:
    """Only a draft that no agreement uses is deleted (published versions are history)."""
    authorize(actor, TEMPLATE_MANAGE.code, tenant=template.tenant_id)
    _editable(template)
    delete_guarded(template, actor=actor)


@transaction.atomic
def clause_create(*, tenant: Tenant, actor: User | None, template: AgreementTemplate, **fields: Any) -> TemplateClause:
    authorize(actor, TEMPLATE_MANAGE.code, tenant=tenant)
    require_same_tenant(tenant, template)
    _editable(template)
    fields = {k: v for k, v in fields.items() if k in CLAUSE_FIELDS}
    clause = assign_fields(TemplateClause(tenant_id=template.tenant_id, template=template), fields)
    return audited_save(clause, actor=actor, reason=_("Created"))


@transaction.atomic
def clause_update(*, clause: TemplateClause, actor: User | None, **fields: Any) -> TemplateClause:
    authorize(actor, TEMPLATE_MANAGE.code, tenant=clause.tenant_id)
    _editable(clause.template)
    if "template" in fields and fields["template"].pk != clause.template_id:
        raise ValidationError({"template": _("A clause stays in its template.")})
    fields = {k: v for k, v in fields.items() if k in CLAUSE_FIELDS}
    return audited_save(assign_fields(clause, fields), actor=actor, reason=_("Updated"))


@transaction.atomic
def clause_delete(*, clause: TemplateClause, actor: User | None) -> None:
    authorize(actor, TEMPLATE_MANAGE.code, tenant=clause.tenant_id)
    _editable(clause.template)
    delete_guarded(clause, actor=actor)


def template_problems(template: AgreementTemplate) -> dict[str, list[str]]:
    """What keeps a template from being published: missing required clauses, unknown placeholders."""
    clauses = list(TemplateClause.objects.filter(template=template))
    problems: dict[str, list[str]] = {}
    kinds = {clause.kind for clause in clauses}
    labels = dict(ClauseKind.choices)
    missing = [str(labels[kind]) for kind in REQUIRED_CLAUSES if kind not in kinds]
    if missing:
        problems["clauses"] = [_("Required clause missing: %(clause)s.") % {"clause": label} for label in missing]
    unknown = unknown_placeholders(text for clause in clauses for text in (clause.title, clause.body))
    if unknown:
        problems.setdefault("clauses", []).extend(
            _("Unknown placeholder: {{%(name)s}}.") % {"name": name} for name in unknown)
    if not template.dispute_venue.strip():
        problems["dispute_venue"] = [_("Name the arbitration commission or court for dispute resolution.")]
    return problems


@transaction.atomic
def template_publish(*, template: AgreementTemplate, actor: User | None) -> AgreementTemplate:
    """Publish a complete draft: every required clause (四.1), known placeholders only, a venue.

    The version published before it (same code) is retired: new agreements use this one.
    """
    authorize(actor, TEMPLATE_MANAGE.code, tenant=template.tenant_id)
    template = AgreementTemplate.objects.select_for_update().get(pk=template.pk)
    _editable(template)
    problems = template_problems(template)
    if problems:
        raise ValidationError(problems)
    for older in AgreementTemplate.objects.filter(code=template.code, status=TemplateStatus.PUBLISHED):
        older.status = TemplateStatus.RETIRED
        audited_save(older, actor=actor, reason=_("Retired by version %(version)s") % {"version": template.version})
    template.status = TemplateStatus.PUBLISHED
    template.published_at = timezone.now()
    return audited_save(template, actor=actor, reason=_("Published"))


@transaction.atomic
def template_retire(*, template: AgreementTemplate, actor: User | None) -> AgreementTemplate:
    authorize(actor, TEMPLATE_MANAGE.code, tenant=template.tenant_id)
    if template.status != TemplateStatus.PUBLISHED:
        raise ValidationError(_("Only a published template is retired."))
    template.status = TemplateStatus.RETIRED
    return audited_save(template, actor=actor, reason=_("Retired"))


@transaction.atomic
def template_new_version(*, template: AgreementTemplate, actor: User | None) -> AgreementTemplate:
    """A new draft version of ``template`` (its settings and clauses copied), to edit and publish."""
    authorize(actor, TEMPLATE_MANAGE.code, tenant=template.tenant_id)
    latest = AgreementTemplate.objects.filter(code=template.code).aggregate(v=Max("version"))["v"] or 0
    if AgreementTemplate.objects.filter(code=template.code, status=TemplateStatus.DRAFT).exists():
        raise ValidationError(_("This template already has a draft version: edit that one."))
    copy = AgreementTemplate(tenant_id=template.tenant_id, version=latest + 1,
                             **{name: getattr(template, name) for name in TEMPLATE_FIELDS})
    audited_save(copy, actor=actor, reason=_("New version of %(template)s") % {"template": template})
    for clause in TemplateClause.objects.filter(template=template).order_by("order", "pk"):
        audited_save(TemplateClause(tenant_id=template.tenant_id, template=copy, kind=clause.kind,
                                    title=clause.title, body=clause.body, order=clause.order),
                     actor=actor, reason=_("Copied"))
    return copy
