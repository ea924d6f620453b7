"""What scoring and onboarding start from: criteria, scorecard templates, onboarding templates."""

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
from channelhub.tenancy.services import (
    assign_fields,
    audited_delete,
    audited_save,
    require_same_tenant,
)

from ..models import (
    Criterion,
    CriterionCategory,
    OnboardingTaskTemplate,
    ScorecardTemplate,
    TemplateCriterion,
)
from ._common import _scope


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
def onboarding_template_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> OnboardingTaskTemplate:
    return audited_save(assign_fields(OnboardingTaskTemplate(tenant=tenant), fields), actor=actor, reason=_("Created"))


@transaction.atomic
def onboarding_template_update(
    *, template: OnboardingTaskTemplate, actor: User | None, **fields: Any
) -> OnboardingTaskTemplate:
    return audited_save(assign_fields(template, fields), actor=actor, reason=_("Updated"))


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
