"""The catalogue: courses, prerequisites, certifications, learning paths and their steps.

Every write here is ``training.catalog.manage`` (trainers, channel managers, owners).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from channelhub.tenancy.models import Tenant, User
from channelhub.tenancy.policy import authorize
from channelhub.tenancy.services import assign_fields, audited_save, require_same_tenant

from ..models import Certification, Course, CoursePrerequisite, LearningPath, LearningPathStep
from ..permissions import CATALOG_MANAGE
from ._common import delete_guarded


def _create(model, *, tenant: Tenant, actor: User | None, fields: dict[str, Any]):
    authorize(actor, CATALOG_MANAGE.code, tenant=tenant)
    require_same_tenant(tenant, *[v for v in fields.values() if hasattr(v, "tenant_id")])
    return audited_save(assign_fields(model(tenant=tenant), fields), actor=actor, reason=_("Created"))


def _update(instance, *, actor: User | None, fields: dict[str, Any]):
    authorize(actor, CATALOG_MANAGE.code, tenant=instance.tenant_id)
    require_same_tenant(instance.tenant_id, *[v for v in fields.values() if hasattr(v, "tenant_id")])
    return audited_save(assign_fields(instance, fields), actor=actor, reason=_("Updated"))


def _delete(instance, *, actor: User | None) -> None:
    authorize(actor, CATALOG_MANAGE.code, tenant=instance.tenant_id)
    delete_guarded(instance, actor=actor)


@transaction.atomic
def course_create(*, tenant: Tenant, actor: User | None, prerequisites=(), **fields: Any) -> Course:
    course = _create(Course, tenant=tenant, actor=actor, fields=fields)
    for required in prerequisites:
        prerequisite_create(tenant=tenant, actor=actor, course=course, required=required)
    return course


@transaction.atomic
def course_update(*, course: Course, actor: User | None, **fields: Any) -> Course:
    fields.pop("prerequisites", None)
    return _update(course, actor=actor, fields=fields)


def course_delete(*, course: Course, actor: User | None) -> None:
    _delete(course, actor=actor)


@transaction.atomic
def prerequisite_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> CoursePrerequisite:
    return _create(CoursePrerequisite, tenant=tenant, actor=actor, fields=fields)


@transaction.atomic
def prerequisite_update(*, prerequisite: CoursePrerequisite, actor: User | None, **fields: Any):
    return _update(prerequisite, actor=actor, fields=fields)


def prerequisite_delete(*, prerequisite: CoursePrerequisite, actor: User | None) -> None:
    _delete(prerequisite, actor=actor)


@transaction.atomic
def certification_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> Certification:
    return _create(Certification, tenant=tenant, actor=actor, fields=fields)


@transaction.atomic
def certification_update(*, certification: Certification, actor: User | None, **fields: Any) -> Certification:
    return _update(certification, actor=actor, fields=fields)


def certification_delete(*, certification: Certification, actor: User | None) -> None:
    _delete(certification, actor=actor)


@transaction.atomic
def path_create(*, tenant: Tenant, actor: User | None, courses=(), **fields: Any) -> LearningPath:
    """A learning path; ``courses`` in order become its steps."""
    path = _create(LearningPath, tenant=tenant, actor=actor, fields=fields)
    for order, course in enumerate(courses, start=1):
        path_step_create(tenant=tenant, actor=actor, path=path, course=course, order=order)
    return path


@transaction.atomic
def path_update(*, path: LearningPath, actor: User | None, **fields: Any) -> LearningPath:
    fields.pop("courses", None)
    return _update(path, actor=actor, fields=fields)


def path_delete(*, path: LearningPath, actor: User | None) -> None:
    _delete(path, actor=actor)


@transaction.atomic
def path_step_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> LearningPathStep:
    return _create(LearningPathStep, tenant=tenant, actor=actor, fields=fields)


@transaction.atomic
def path_step_update(*, step: LearningPathStep, actor: User | None, **fields: Any) -> LearningPathStep:
    return _update(step, actor=actor, fields=fields)


def path_step_delete(*, step: LearningPathStep, actor: User | None) -> None:
    _delete(step, actor=actor)
