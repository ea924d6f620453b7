"""What scoring and onboarding start from: criteria, scorecard templates, onboarding templates.

Every write here is ``recruitment.setup.manage`` (owners and channel managers).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from channelhub.tenancy.models import Tenant, User
from channelhub.tenancy.policy import authorize
from channelhub.tenancy.services import assign_fields, audited_delete, audited_save, require_same_tenant

from ..models import Criterion, CriterionCategory, OnboardingTaskTemplate, ScorecardTemplate, TemplateCriterion
from ..permissions import SETUP_MANAGE
from ._common import _delete_guarded, _scope


@transaction.atomic
def criterion_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> Criterion:
    authorize(actor, SETUP_MANAGE.code, tenant=tenant)
    return audited_save(assign_fields(Criterion(tenant=tenant), fields), actor=actor, reason=_("Created"))


@transaction.atomic
def criterion_update(*, criterion: Criterion, actor: User | None, **fields: Any) -> Criterion:
    """Changing a criterion never changes recorded scores: each score keeps its own snapshot."""
    authorize(actor, SETUP_MANAGE.code, tenant=criterion.tenant_id)
    return audited_save(assign_fields(criterion, fields), actor=actor, reason=_("Updated"))


def criterion_delete(*, criterion: Criterion, actor: User | None) -> None:
    """Delete a criterion no template or score uses (else a clear 400); deactivating keeps history."""
    authorize(actor, SETUP_MANAGE.code, tenant=criterion.tenant_id)
    _delete_guarded(criterion, actor=actor)


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
    authorize(actor, SETUP_MANAGE.code, tenant=tenant)
    template = audited_save(assign_fields(ScorecardTemplate(tenant=tenant), fields), actor=actor, reason=_("Created"))
    _set_template_items(template, items, actor)
    return template


@transaction.atomic
def scorecard_template_update(
    *, template: ScorecardTemplate, actor: User | None, items: Iterable[Mapping[str, Any]] | None = None,
    **fields: Any,
) -> ScorecardTemplate:
    """Change the template; ``items`` given replace its criteria (those left out are removed)."""
    authorize(actor, SETUP_MANAGE.code, tenant=template.tenant_id)
    template = audited_save(assign_fields(template, fields), actor=actor, reason=_("Updated"))
    if items is not None:
        _set_template_items(template, items, actor)
    return template


def scorecard_template_delete(*, template: ScorecardTemplate, actor: User | None) -> None:
    """Delete a template no application was scored under (else a clear 400)."""
    authorize(actor, SETUP_MANAGE.code, tenant=template.tenant_id)
    _delete_guarded(template, actor=actor)


# One criterion row of a template at a time (the admin's inline rows).


@transaction.atomic
def template_criterion_create(
    *, tenant: Tenant, actor: User | None, template: ScorecardTemplate, criterion: Criterion,
    weight: Decimal | None = None, order: int = 0,
) -> TemplateCriterion:
    authorize(actor, SETUP_MANAGE.code, tenant=tenant)
    require_same_tenant(tenant.pk, template, criterion)
    row = TemplateCriterion(tenant=tenant, template=template, criterion=criterion, weight=weight, order=order)
    return audited_save(row, actor=actor, reason=_("Template criteria changed"))


@transaction.atomic
def template_criterion_update(*, row: TemplateCriterion, actor: User | None, **fields: Any) -> TemplateCriterion:
    authorize(actor, SETUP_MANAGE.code, tenant=row.tenant_id)
    require_same_tenant(row.tenant_id, fields.get("template"), fields.get("criterion"))
    return audited_save(assign_fields(row, fields), actor=actor, reason=_("Template criteria changed"))


@transaction.atomic
def template_criterion_delete(*, row: TemplateCriterion, actor: User | None) -> None:
    authorize(actor, SETUP_MANAGE.code, tenant=row.tenant_id)
    audited_delete(row, actor=actor, reason=_("Template criteria changed"))


@transaction.atomic
def onboarding_template_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> OnboardingTaskTemplate:
    authorize(actor, SETUP_MANAGE.code, tenant=tenant)
    return audited_save(assign_fields(OnboardingTaskTemplate(tenant=tenant), fields), actor=actor, reason=_("Created"))


@transaction.atomic
def onboarding_template_update(
    *, template: OnboardingTaskTemplate, actor: User | None, **fields: Any
) -> OnboardingTaskTemplate:
    """Change a checklist item for partners recruited from now on (existing checklists keep theirs)."""
    authorize(actor, SETUP_MANAGE.code, tenant=template.tenant_id)
    return audited_save(assign_fields(template, fields), actor=actor, reason=_("Updated"))


def onboarding_template_delete(*, template: OnboardingTaskTemplate, actor: User | None) -> None:
    authorize(actor, SETUP_MANAGE.code, tenant=template.tenant_id)
    _delete_guarded(template, actor=actor)


# Defaults a new tenant (and the demo) starts from; every row is editable data afterwards.
# Names are written once, in the tenant's default language, when the defaults are created.
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
