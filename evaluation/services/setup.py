"""The evaluation set-up: KPI catalogue, scorecards (versioned) and their lines, tiers, incentive rules.

Every write here is ``evaluation.setup.manage`` (owners and channel managers), validated by
the model's ``full_clean`` and audited.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from channelhub.partners.services import delete_guarded
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import Tenant, User
from channelhub.tenancy.policy import authorize
from channelhub.tenancy.services import assign_fields, audited_save, require_same_tenant

from ..models import IncentiveBracket, IncentiveRule, Kpi, Scorecard, ScorecardLine, Tier
from ..permissions import SETUP_MANAGE

_FIXED = ("id", "tenant", "tenant_id")


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if name not in _FIXED}


def _create(model, *, tenant: Tenant | int, actor: User | None, fields: dict[str, Any]):
    authorize(actor, SETUP_MANAGE.code, tenant=tenant)
    fields = _clean(fields)
    require_same_tenant(tenant, *[v for v in fields.values() if hasattr(v, "tenant_id")])
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    with tenant_scope(tenant_id, source="evaluation.setup"), transaction.atomic():
        return audited_save(assign_fields(model(tenant_id=tenant_id), fields), actor=actor, reason=_("Created"))


def _update(instance, *, actor: User | None, fields: dict[str, Any]):
    authorize(actor, SETUP_MANAGE.code, tenant=instance.tenant_id)
    fields = _clean(fields)
    require_same_tenant(instance.tenant_id, *[v for v in fields.values() if hasattr(v, "tenant_id")])
    with tenant_scope(instance.tenant_id, source="evaluation.setup"), transaction.atomic():
        return audited_save(assign_fields(instance, fields), actor=actor, reason=_("Updated"))


def _delete_as(instance, *, code: str, actor: User | None) -> None:
    authorize(actor, code, tenant=instance.tenant_id)
    with tenant_scope(instance.tenant_id, source="evaluation.setup"):
        delete_guarded(instance, actor=actor)


def _delete(instance, *, actor: User | None) -> None:
    _delete_as(instance, code=SETUP_MANAGE.code, actor=actor)


def kpi_create(*, tenant, actor, **fields) -> Kpi:
    return _create(Kpi, tenant=tenant, actor=actor, fields=fields)


def kpi_update(*, kpi: Kpi, actor, **fields) -> Kpi:
    return _update(kpi, actor=actor, fields=fields)


def kpi_delete(*, kpi: Kpi, actor) -> None:
    _delete(kpi, actor=actor)


def scorecard_create(*, tenant, actor, lines=(), **fields) -> Scorecard:
    """A scorecard; without a version it becomes the next of its partner type."""
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    if not fields.get("version") and fields.get("partner_type"):
        with tenant_scope(tenant_id, source="evaluation.setup"):
            newest = Scorecard.objects.filter(partner_type=fields["partner_type"]).aggregate(v=Max("version"))["v"]
        fields["version"] = (newest or 0) + 1
    with transaction.atomic():
        scorecard = _create(Scorecard, tenant=tenant, actor=actor, fields=fields)
        for kpi, weight in lines:
            scorecard_line_create(tenant=tenant, actor=actor, scorecard=scorecard, kpi=kpi, weight=weight)
    return scorecard


def scorecard_update(*, scorecard: Scorecard, actor, **fields) -> Scorecard:
    fields.pop("lines", None)
    return _update(scorecard, actor=actor, fields=fields)


def scorecard_delete(*, scorecard: Scorecard, actor) -> None:
    _delete(scorecard, actor=actor)


def scorecard_new_version(*, scorecard: Scorecard, actor) -> Scorecard:
    """Copy the scorecard and its lines into the next version of its partner type and put it in use.

    The older versions are taken out of use: cycles computed on them keep their results
    (each cycle records the versions it used), new computations take the new version.
    """
    authorize(actor, SETUP_MANAGE.code, tenant=scorecard.tenant_id)
    with tenant_scope(scorecard.tenant_id, source="evaluation.setup"), transaction.atomic():
        newest = Scorecard.objects.filter(partner_type=scorecard.partner_type).aggregate(v=Max("version"))["v"]
        copy = audited_save(Scorecard(tenant_id=scorecard.tenant_id, name=scorecard.name,
                                      partner_type=scorecard.partner_type, version=(newest or 0) + 1,
                                      is_active=True), actor=actor, reason=_("New version"))
        for line in ScorecardLine.objects.filter(scorecard=scorecard).order_by("pk"):
            audited_save(ScorecardLine(tenant_id=scorecard.tenant_id, scorecard=copy, kpi_id=line.kpi_id,
                                       weight=line.weight), actor=actor, reason=_("New version"))
        for older in Scorecard.objects.filter(partner_type=scorecard.partner_type, is_active=True).exclude(pk=copy.pk):
            older.is_active = False
            audited_save(older, actor=actor, reason=_("Replaced by version %(version)d") % {"version": copy.version})
        return copy


def scorecard_line_create(*, tenant, actor, **fields) -> ScorecardLine:
    return _create(ScorecardLine, tenant=tenant, actor=actor, fields=fields)


def scorecard_line_update(*, line: ScorecardLine, actor, **fields) -> ScorecardLine:
    return _update(line, actor=actor, fields=fields)


def scorecard_line_delete(*, line: ScorecardLine, actor) -> None:
    _delete(line, actor=actor)


def tier_create(*, tenant, actor, **fields) -> Tier:
    return _create(Tier, tenant=tenant, actor=actor, fields=fields)


def tier_update(*, tier: Tier, actor, **fields) -> Tier:
    return _update(tier, actor=actor, fields=fields)


def tier_delete(*, tier: Tier, actor) -> None:
    _delete(tier, actor=actor)


def rule_create(*, tenant, actor, **fields) -> IncentiveRule:
    return _create(IncentiveRule, tenant=tenant, actor=actor, fields=fields)


def rule_update(*, rule: IncentiveRule, actor, **fields) -> IncentiveRule:
    return _update(rule, actor=actor, fields=fields)


def rule_delete(*, rule: IncentiveRule, actor) -> None:
    _delete(rule, actor=actor)


def bracket_create(*, tenant, actor, **fields) -> IncentiveBracket:
    return _create(IncentiveBracket, tenant=tenant, actor=actor, fields=fields)


def bracket_update(*, bracket: IncentiveBracket, actor, **fields) -> IncentiveBracket:
    return _update(bracket, actor=actor, fields=fields)


def bracket_delete(*, bracket: IncentiveBracket, actor) -> None:
    _delete(bracket, actor=actor)
