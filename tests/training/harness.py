"""Training's entries in the isolation harness (see ``channelhub.testing``).

Every tenant-owned model of the app gets a builder (one saved row in the side's tenant,
carrying the marker in a text field its pages show); rows about a person of a partner
(enrolments, attempts, certificates, qualifications, needs, lapses) hang on ``side.partner``
and its portal user, so the partner walk can tell partner 1's rows from partner 2's. Models
the API or the admin creates get a payload; API actions get a valid body.
"""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from channelhub.partners.models import Partner, PartnerType, Region
from channelhub.tenancy.roles import Role
from channelhub.testing import register_action_payload, register_model, register_route_check
from tests.training.factories import (
    AssessmentFactory,
    CertificationFactory,
    ChoiceFactory,
    CourseFactory,
    LearningPathFactory,
    QualificationRequirementFactory,
    QuestionFactory,
    SessionFactory,
    TrainingPlanFactory,
)
from training.models import (
    Assessment,
    AssessmentKind,
    Attempt,
    AttemptState,
    Certificate,
    Certification,
    Choice,
    Course,
    CourseCompletion,
    CourseKind,
    CoursePrerequisite,
    Enrolment,
    EnrolmentState,
    LearningPath,
    LearningPathStep,
    PlanAudience,
    Qualification,
    QualificationLapse,
    QualificationRequirement,
    Question,
    RubricCriterion,
    Session,
    SessionFeedback,
    TrainingNeed,
    TrainingPlan,
    TrainingReminder,
)

_serial = itertools.count(1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _saved(instance):
    instance.full_clean()
    instance.save()
    return instance


def _trainee(side):
    """The side's partner user (for a partner side: its own partner's user)."""
    return side.user(Role.PARTNER_USER)


def _parent(side):
    """The tenant's own side: tenant-wide rows a partner-owned row needs are never partner 2's."""
    return getattr(side, "parent", side)


def _today():
    return timezone.localdate()


def _future(days: int = 7) -> str:
    return (timezone.now() + datetime.timedelta(days=days)).isoformat()


def _requirement_type(side) -> str:
    used = set(QualificationRequirement.objects.values_list("partner_type", flat=True))
    return next(t for t in PartnerType.values if t not in used)


def _build_attempt(side, marker):
    assessment = side.get(Assessment)
    question = side.get(Question)
    now = timezone.now()
    return _saved(Attempt(assessment=assessment, trainee=_trainee(side), partner=side.partner,
                          number=next(_serial), started_at=now, deadline=now + datetime.timedelta(minutes=20),
                          question_order=[question.pk], state=AttemptState.IN_PROGRESS))


def _build_enrolment(side, marker):
    """In a session of its own (titled with the marker) under a draft plan: the portal lists it among the
    partner's enrolments only, never among the upcoming sessions every partner sees."""
    plan = _saved(TrainingPlanFactory.build(name=marker, state="draft"))
    session = _saved(SessionFactory.build(plan=plan, course=side.get(Course), title=marker, location=marker))
    return _saved(Enrolment(session=session, trainee=_trainee(side), partner=side.partner,
                            state=EnrolmentState.ENROLLED))


def _build_certificate(side, marker):
    return _saved(Certificate(certification=side.get(Certification), holder=_trainee(side), partner=side.partner,
                              number=marker, issued_on=_today(), expires_on=_today() + datetime.timedelta(days=700)))


def _build_qualification(side, marker):
    qualification = Qualification(
        certification=_parent(side).new(Certification), holder=_trainee(side), partner=side.partner,
        licence_number=marker,
        issuer=marker, issued_on=_today(), expires_on=_today() + datetime.timedelta(days=365))
    qualification.save()
    return qualification


def _build_plan(side, marker):
    """A published plan whose audience names the side's partner (so its staff may be enrolled)."""
    plan = _saved(TrainingPlanFactory.build(name=marker, goals=marker))
    _saved(PlanAudience(plan=plan, partner=side.partner))
    return plan


def register() -> None:
    register_model(
        Course,
        build=lambda side, marker: _saved(CourseFactory.build(code=marker, title=marker, description=marker)),
        payload=lambda side, marker: {"code": marker, "title": marker, "kind": CourseKind.SALES_SKILLS,
                                      "delivery": "classroom", "duration_hours": "3.0", "is_published": True},
    )
    register_model(
        CoursePrerequisite,
        build=lambda side, marker: _saved(CoursePrerequisite(course=side.new(Course), required=side.get(Course))),
    )
    register_model(
        Certification,
        build=lambda side, marker: _saved(CertificationFactory.build(code=marker, name=marker, description=marker)),
        payload=lambda side, marker: {"code": marker, "name": marker, "validity_months": 12,
                                      "recertification_days": 30},
    )
    register_model(
        LearningPath,
        build=lambda side, marker: _saved(LearningPathFactory.build(name=marker, description=marker,
                                                                    certification=side.get(Certification))),
        payload=lambda side, marker: {"name": marker, "certification": side.get(Certification).pk},
    )
    register_model(
        LearningPathStep,
        build=lambda side, marker: _saved(LearningPathStep(path=side.get(LearningPath), course=side.new(Course),
                                                           order=next(_serial))),
    )
    register_model(
        TrainingPlan,
        build=_build_plan,
        payload=lambda side, marker: {
            "name": marker, "goals": marker, "starts_on": "2027-01-04", "ends_on": "2027-03-31",
            "partner_types": ["distributor"], "include_channel_staff": True, "self_enrolment": False,
        },
        admin_payload=lambda side, marker: {
            "name": marker, "goals": marker, "starts_on": "2027-01-04", "ends_on": "2027-03-31",
            "partner_types": ["distributor"], "include_channel_staff": "on",
        },
    )
    register_model(
        PlanAudience,
        build=lambda side, marker: _saved(PlanAudience(plan=side.get(TrainingPlan), partner=side.partner)),
    )
    register_model(
        Session,
        build=lambda side, marker: _saved(SessionFactory.build(plan=side.get(TrainingPlan), course=side.get(Course),
                                                               title=marker, location=marker)),
        payload=lambda side, marker: {
            "plan": side.get(TrainingPlan).pk, "course": side.get(Course).pk, "title": marker,
            "format": "on_site", "location": marker, "starts_at": _future(10), "ends_at": _future(11),
            "capacity": 20,
        },
        admin_payload=lambda side, marker: {
            "plan": side.get(TrainingPlan).pk, "course": side.get(Course).pk, "title": marker,
            "format": "on_site", "location": marker, "starts_at_0": "2027-02-01", "starts_at_1": "09:00:00",
            "ends_at_0": "2027-02-01", "ends_at_1": "17:00:00", "capacity": 20,
        },
    )
    register_model(Enrolment, build=_build_enrolment, payload=lambda side, marker: {
        "session": side.new(Session).pk, "trainee": side.user(Role.PARTNER_USER).pk})
    register_model(
        SessionFeedback,
        build=lambda side, marker: _saved(SessionFeedback(enrolment=side.new(Enrolment), rating=4, comment=marker)),
    )
    register_model(
        TrainingNeed,
        build=lambda side, marker: _saved(TrainingNeed(partner=side.partner, topics=["sales_skills"], sales_staff=3,
                                                       skill_levels={"sales_skills": 2}, notes=marker)),
    )
    register_model(
        Assessment,
        build=lambda side, marker: _saved(AssessmentFactory.build(course=side.get(Course), title=marker)),
        payload=lambda side, marker: {"course": side.get(Course).pk, "title": marker, "kind": "quiz",
                                      "stage": "final", "time_limit_minutes": 15, "max_attempts": 2,
                                      "pass_mark": 70},
    )
    register_model(
        Question,
        build=lambda side, marker: _saved(QuestionFactory.build(assessment=side.get(Assessment), text=marker)),
        payload=lambda side, marker: {"assessment": side.get(Assessment).pk, "kind": "single", "text": marker,
                                      "points": 1, "order": 1},
    )
    register_model(
        Choice,
        build=lambda side, marker: _saved(ChoiceFactory.build(question=side.get(Question), text=marker,
                                                              is_correct=True)),
    )
    register_model(
        RubricCriterion,
        build=lambda side, marker: _saved(RubricCriterion(
            assessment=_saved(AssessmentFactory.build(course=side.get(Course), title=marker,
                                                      kind=AssessmentKind.PRACTICAL)),
            name=marker, max_points=5)),
    )
    register_model(Attempt, build=_build_attempt, payload=lambda side, marker: {"assessment": side.get(Assessment).pk})
    register_model(
        CourseCompletion,
        build=lambda side, marker: _saved(CourseCompletion(course=_parent(side).new(Course), trainee=_trainee(side),
                                                           partner=side.partner, source=marker)),
    )
    register_model(Certificate, build=_build_certificate, payload=lambda side, marker: {
        "certification": side.new(Certification).pk, "holder": side.user(Role.PARTNER_USER).pk,
        "issued_on": _today().isoformat(), "expires_on": (_today() + datetime.timedelta(days=365)).isoformat()})
    register_model(Qualification, build=_build_qualification)
    register_model(
        QualificationRequirement,
        build=lambda side, marker: _saved(QualificationRequirementFactory.build(
            partner_type=_requirement_type(side), certification=side.get(Certification))),
        payload=lambda side, marker: {"partner_type": _requirement_type(side),
                                      "certification": side.new(Certification).pk, "min_staff": 2,
                                      "purpose": "general"},
    )
    register_model(
        QualificationLapse,
        build=lambda side, marker: QualificationLapse.objects.create(
            partner=side.partner, requirement=side.new(QualificationRequirement), holders=0),
    )
    register_model(
        TrainingReminder,
        build=lambda side, marker: TrainingReminder.objects.create(
            kind=marker, object_id=next(_serial), recipient=_trainee(side)),
    )

    for route, build in {
        "training-api:plan-transition": lambda side, obj: {"to_status": "closed"},
        "training-api:plan-generate": lambda side, obj: {
            "on_site_courses": [side.get(Course).pk], "online_courses": [side.get(Course).pk], "location": "x",
            "online_url": "https://meet.example.com/x"},
        "training-api:session-attendance": lambda side, obj: {"marks": {}},
        "training-api:enrolment-cancel": lambda side, obj: {"reason": side.marker()},
        "training-api:certificate-revoke": lambda side, obj: {"reason": side.marker()},
        "training-api:attempt-submit": lambda side, obj: {"answers": {}},
    }.items():
        register_action_payload(route, build)


register()
_ = (Partner, Region)


# --------------------------------------------------------------------------- route checks


def check_verify(world, route) -> None:
    """A's code under A's slug answers; B's code under A's slug (and A's under B's) is a 404 with nothing of B."""
    from django.test import Client
    from django.urls import reverse

    from channelhub.testing import find_token

    mine, theirs = world.a.new(Certificate), world.b.get(Certificate)
    world.b.build_all()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    def url(side, code):
        return reverse(route.id, kwargs={"tenant_slug": side.tenant.slug, "code": code})

    own = client.get(url(world.a, mine.verification_code))
    assert own.status_code == 200, f"{route.id}: A's own code answered {own.status_code}"
    assert mine.number in own.content.decode()
    for address in (url(world.a, theirs.verification_code), url(world.b, mine.verification_code),
                    url(world.a, "NOSUCHCODE")):
        response = client.get(address)
        assert response.status_code == 404, f"{address}: {response.status_code} (expected 404)"
        body = response.content.decode(errors="replace").replace(theirs.verification_code, "")
        assert find_token(body, world.b.token) is None, f"{address}: tenant B's data in the answer"
    assert client.post(url(world.a, mine.verification_code)).status_code == 405


register_route_check("training-public:verify", check_verify)
