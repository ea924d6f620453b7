"""factory-boy factories for training. Build them inside ``tenant_scope`` like every tenant-owned factory."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from training.models import (
    Assessment,
    AssessmentKind,
    Certification,
    Choice,
    Course,
    CourseKind,
    LearningPath,
    PlanState,
    QualificationRequirement,
    Question,
    QuestionKind,
    Session,
    SessionFormat,
    TrainingPlan,
)


class CourseFactory(DjangoModelFactory):
    class Meta:
        model = Course

    code = factory.Sequence(lambda n: f"C{n:03d}")
    title = factory.Sequence(lambda n: f"Course {n}")
    kind = CourseKind.PRODUCT_KNOWLEDGE
    is_published = True


class CertificationFactory(DjangoModelFactory):
    class Meta:
        model = Certification

    code = factory.Sequence(lambda n: f"CERT{n}")
    name = factory.Sequence(lambda n: f"Certified Seller {n}")
    validity_months = 24
    recertification_days = 60


class LearningPathFactory(DjangoModelFactory):
    class Meta:
        model = LearningPath

    name = factory.Sequence(lambda n: f"Path {n}")
    certification = factory.SubFactory(CertificationFactory)


class TrainingPlanFactory(DjangoModelFactory):
    class Meta:
        model = TrainingPlan

    name = factory.Sequence(lambda n: f"Plan {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate())
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=90))
    partner_types = factory.LazyFunction(lambda: ["distributor", "reseller", "retailer", "agent", "broker",
                                                  "service_provider"])
    state = PlanState.PUBLISHED
    self_enrolment = True


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session

    plan = factory.SubFactory(TrainingPlanFactory)
    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    format = SessionFormat.ON_SITE
    location = "上海培训中心"
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=8))
    capacity = 10


class AssessmentFactory(DjangoModelFactory):
    class Meta:
        model = Assessment

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Assessment {n}")
    kind = AssessmentKind.QUIZ
    time_limit_minutes = 20
    max_attempts = 2
    pass_mark = 60


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    assessment = factory.SubFactory(AssessmentFactory)
    kind = QuestionKind.SINGLE
    text = factory.Sequence(lambda n: f"Question {n}?")
    points = 1


class ChoiceFactory(DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    text = factory.Sequence(lambda n: f"Option {n}")
    is_correct = False


class QualificationRequirementFactory(DjangoModelFactory):
    class Meta:
        model = QualificationRequirement

    partner_type = "distributor"
    certification = factory.SubFactory(CertificationFactory)
    min_staff = 1
