"""Training fixtures: a course with a quiz, a learning path to a certification, people of a partner."""

from __future__ import annotations

import pytest
from django.utils import translation

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from tests.conftest import make_member
from tests.factories import PartnerFactory

from .factories import (
    AssessmentFactory,
    ChoiceFactory,
    CourseFactory,
    LearningPathFactory,
    QuestionFactory,
    SessionFactory,
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def partner(tenant):
    with tenant_scope(tenant):
        return PartnerFactory(partner_type="distributor", status="active")


@pytest.fixture
def trainer(tenant):
    return make_member(tenant, Role.TRAINER, username="trainer")


@pytest.fixture
def partner_admin(tenant, partner):
    return make_member(tenant, Role.PARTNER_ADMIN, partner=partner, username="padmin")


@pytest.fixture
def staff(tenant, partner):
    """Three portal users of the partner."""
    return [make_member(tenant, Role.PARTNER_USER, partner=partner, username=f"seller{n}") for n in range(3)]


@pytest.fixture
def quiz(tenant):
    """A course with a published final quiz of three questions (single, multiple, true/false)."""
    with tenant_scope(tenant):
        course = CourseFactory(code="PK1", title="Product knowledge")
        assessment = AssessmentFactory(course=course, title="PK final", max_attempts=2, pass_mark=60,
                                       time_limit_minutes=10)
        single = QuestionFactory(assessment=assessment, kind="single", text="Which one?", order=1)
        s_ok, s_bad = ChoiceFactory(question=single, text="A", is_correct=True), ChoiceFactory(question=single,
                                                                                                 text="B")
        multiple = QuestionFactory(assessment=assessment, kind="multiple", text="Which ones?", order=2)
        m_ok1 = ChoiceFactory(question=multiple, text="C", is_correct=True)
        m_ok2 = ChoiceFactory(question=multiple, text="D", is_correct=True)
        m_bad = ChoiceFactory(question=multiple, text="E")
        truth = QuestionFactory(assessment=assessment, kind="true_false", text="True?", order=3)
        t_ok, t_bad = ChoiceFactory(question=truth, text="True", is_correct=True), ChoiceFactory(question=truth,
                                                                                                  text="False")
    return {
        "course": course, "assessment": assessment,
        "right": {str(single.pk): [s_ok.pk], str(multiple.pk): [m_ok1.pk, m_ok2.pk], str(truth.pk): [t_ok.pk]},
        "wrong": {str(single.pk): [s_bad.pk], str(multiple.pk): [m_ok1.pk, m_bad.pk], str(truth.pk): [t_bad.pk]},
        "questions": [single, multiple, truth],
    }


@pytest.fixture
def path(tenant, quiz):
    """A learning path of the quiz's course leading to a certification."""
    from training.models import LearningPathStep

    with tenant_scope(tenant):
        learning_path = LearningPathFactory(name="Certified distributor seller")
        LearningPathStep.objects.create(path=learning_path, course=quiz["course"], order=1)
    return learning_path


@pytest.fixture
def session(tenant):
    with tenant_scope(tenant):
        return SessionFactory(capacity=2)
