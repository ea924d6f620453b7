"""Building one tenant's training demo."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from contextlib import contextmanager
from unittest import mock

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone, translation

from channelhub.demo.data import TenantSpec
from channelhub.partners.models import Partner
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import Membership, Tenant
from channelhub.tenancy.roles import PARTNER_ROLES

from .texts import TEXTS, TrainingTexts


@contextmanager
def _at(moment: datetime.datetime):
    """Run services as if it were ``moment`` (their ``timezone.now()``), for what happened in the past."""
    with mock.patch.object(timezone, "now", lambda: moment):
        yield


def seed(spec: TenantSpec, *, progress_factory) -> Counter:
    progress = progress_factory(total=6, desc=f"{spec.slug} training")
    try:
        return seed_training(spec, progress=progress)
    finally:
        progress.close()


def seed_training(spec: TenantSpec, *, progress=None) -> Counter:
    counts: Counter = Counter()
    texts = TEXTS.get(spec.slug)
    tenant = Tenant.objects.filter(slug=spec.slug).first()
    if texts is None or tenant is None:
        return counts
    with (
        translation.override(spec.default_language),
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
        tenant_scope(tenant, source="seed_demo"),
    ):
        _Builder(spec, texts, tenant, counts, progress).build()
    return counts


class _Builder:
    def __init__(self, spec, texts: TrainingTexts, tenant, counts: Counter, progress):
        self.spec, self.texts, self.tenant, self.counts, self.progress = spec, texts, tenant, counts, progress
        self.rng = random.Random(f"training:{spec.slug}")
        self.now = timezone.now()
        staff = {m.user.username: m.user for m in Membership.objects.select_related("user").filter(partner=None)}
        self.trainer = staff.get(f"{spec.slug}-trainer")
        self.manager = staff.get(f"{spec.slug}-manager")
        self.owner = staff.get(f"{spec.slug}-owner")

    def step(self) -> None:
        if self.progress is not None:
            self.progress.update(1)

    def build(self) -> None:
        from ..models import TrainingPlan

        if self.trainer is None or self.manager is None:
            return
        courses = self._catalogue()
        self.step()
        certification, externals = self._certifications(courses)
        self.step()
        if TrainingPlan.objects.filter(name=self.texts.staff_plan[0]).exists():
            return  # built before: leave it as it is
        quiz = self._assessments(courses)
        self.step()
        self._staff_plan(courses)
        self.step()
        partners, people = self._partner_plan(courses, quiz)
        self.step()
        self._certificates_and_licences(certification, externals, partners, people)
        self._needs(partners)
        self.step()

    # ------------------------------------------------------------------ catalogue

    def _catalogue(self) -> dict:
        from .. import services
        from ..models import Course

        existing = {course.code: course for course in Course.objects.all()}
        for item in self.texts.courses:
            if item.code not in existing:
                existing[item.code] = services.course_create(
                    tenant=self.tenant, actor=self.trainer, code=item.code, title=item.title, kind=item.kind,
                    delivery=item.delivery, duration_hours=item.hours, description=item.description,
                    content=item.description, is_published=True)
                self.counts["training.Course"] += 1
        from ..models import CoursePrerequisite

        for course_code, required_code in self.texts.prerequisites:
            course, required = existing.get(course_code), existing.get(required_code)
            if course and required and not CoursePrerequisite.objects.filter(course=course,
                                                                               required=required).exists():
                services.prerequisite_create(tenant=self.tenant, actor=self.trainer, course=course,
                                             required=required)
        return existing

    def _certifications(self, courses):
        from .. import services
        from ..models import Certification, LearningPath

        code, name, description = self.texts.certification
        certification = Certification.objects.filter(code=code).first() or services.certification_create(
            tenant=self.tenant, actor=self.trainer, code=code, name=name, description=description,
            validity_months=24, recertification_days=60)
        externals = {}
        for ext_code, ext_name in self.texts.external:
            externals[ext_code] = Certification.objects.filter(code=ext_code).first() or (
                services.certification_create(tenant=self.tenant, actor=self.manager, code=ext_code, name=ext_name,
                                              validity_months=36, recertification_days=90, is_external=True))
        if not LearningPath.objects.filter(name=self.texts.path_name).exists():
            services.path_create(tenant=self.tenant, actor=self.trainer, name=self.texts.path_name,
                                 certification=certification,
                                 courses=[courses[c] for c in self.texts.path_courses])
        by_code = {certification.code: certification, **externals}
        from ..models import QualificationRequirement

        for partner_type, cert_code, min_staff, purpose in self.texts.requirements:
            if not QualificationRequirement.objects.filter(partner_type=partner_type,
                                                           certification=by_code[cert_code],
                                                           purpose=purpose).exists():
                services.requirement_create(tenant=self.tenant, actor=self.owner or self.manager,
                                            partner_type=partner_type, certification=by_code[cert_code],
                                            min_staff=min_staff, purpose=purpose)
        return certification, externals

    def _assessments(self, courses):
        from .. import services

        course = courses[self.texts.quiz_course]
        rows = []
        for spec in self.texts.questions:
            row = {"kind": spec.kind, "text": spec.text, "points": "1",
                   "correct": ",".join(str(n) for n in spec.correct)}
            row.update({f"option_{n}": option for n, option in enumerate(spec.options, start=1)})
            rows.append(row)
        quiz = services.assessment_create(tenant=self.tenant, actor=self.trainer, course=course,
                                          title=self.texts.quiz_title, time_limit_minutes=20, max_attempts=3,
                                          pass_mark=60)
        services.questions_import(assessment=quiz, rows=rows, actor=self.trainer)
        pre = services.assessment_create(tenant=self.tenant, actor=self.trainer, course=course,
                                         title=self.texts.pre_title, stage="pre", time_limit_minutes=15,
                                         max_attempts=1, pass_mark=60)
        services.questions_import(assessment=pre, rows=rows, actor=self.trainer)
        for code in self.texts.path_courses:
            if code != self.texts.quiz_course:
                # The other path course: a practical scored on a rubric.
                practical = services.assessment_create(
                    tenant=self.tenant, actor=self.trainer, course=courses[code],
                    title=f"{courses[code].title} ✓", kind="practical", pass_mark=60)
                for order, name in enumerate(("Opening / 开场", "Needs analysis / 需求分析", "Closing / 成交"), 1):
                    services.rubric_criterion_create(tenant=self.tenant, actor=self.trainer, assessment=practical,
                                                     name=name, max_points=5, order=order)
        self.counts["training.Assessment"] += 2
        return {"quiz": quiz, "pre": pre}

    # ------------------------------------------------------------------ plans

    def _staff_plan(self, courses) -> None:
        """The source document's programme: 3 months, monthly on-site sessions, weekly online lessons."""
        from .. import services

        name, goals = self.texts.staff_plan
        today = timezone.localdate()
        start = today - datetime.timedelta(days=45)
        plan = services.plan_create(tenant=self.tenant, actor=self.manager, name=name, goals=goals,
                                    starts_on=start, ends_on=start + datetime.timedelta(days=90),
                                    include_channel_staff=True)
        services.plan_generate_sessions(plan=plan, actor=self.manager, programme=services.Programme(
            on_site_courses=[courses[c] for c in self.texts.staff_on_site],
            online_courses=[courses[c] for c in self.texts.staff_online],
            location=self.texts.place, online_url=self.texts.online_url, instructor=self.trainer,
            on_site_days=2, online_per_week=2, capacity=20))
        services.plan_transition(plan=plan, to_status="published", actor=self.manager)
        self._enrol_and_attend(plan, audience=True)
        self.counts["training.TrainingPlan"] += 1

    def _enrol_and_attend(self, plan, *, audience: bool, people=()) -> None:
        from .. import services
        from ..models import Enrolment, EnrolmentState, Session

        trainees = [u for u, _p in services.audience_trainees(plan)] if audience else [p.pk for p in people]
        from channelhub.tenancy.models import User

        users = list(User.objects.filter(pk__in=trainees).order_by("username"))
        for session in Session.objects.filter(plan=plan).order_by("starts_at"):
            moment = min(session.starts_at - datetime.timedelta(days=3), self.now)
            with _at(moment):
                for user in users:
                    if not Enrolment.objects.filter(session=session, trainee=user).exists():
                        services.enrolment_create(session=session, trainee=user, actor=self.manager)
                        self.counts["training.Enrolment"] += 1
            if session.ends_at < self.now:
                rows = list(Enrolment.objects.filter(session=session, state=EnrolmentState.ENROLLED))
                marks = {row.pk: ("absent" if self.rng.random() < 0.12 else "attended") for row in rows}
                with _at(session.ends_at):
                    services.attendance_record(session=session, marks=marks, actor=self.trainer)
                    for row in Enrolment.objects.filter(pk__in=list(marks), state=EnrolmentState.ATTENDED):
                        if self.rng.random() < 0.6:
                            services.feedback_give(enrolment=row, actor=row.trainee, rating=self.rng.choice(
                                (3, 4, 4, 5, 5)), comment=self.rng.choice(self.texts.feedback))

    def _partner_plan(self, courses, quiz):
        from .. import services
        from ..models import Session

        name, goals, types = self.texts.partner_plan
        partners = list(Partner.objects.filter(legal_name__in=self.texts.flagships))
        people = list(Membership.objects.filter(partner__in=partners, role__in=sorted(PARTNER_ROLES),
                                                is_active=True).select_related("user", "partner"))
        today = timezone.localdate()
        plan = services.plan_create(tenant=self.tenant, actor=self.manager, name=name, goals=goals,
                                    starts_on=today - datetime.timedelta(days=30),
                                    ends_on=today + datetime.timedelta(days=60), partner_types=list(types),
                                    self_enrolment=True, partners=partners)
        services.plan_transition(plan=plan, to_status="published", actor=self.manager)
        quiz_course = courses[self.texts.quiz_course]
        # Sessions start on the hour, in working hours: 09:00 local, the online lesson at 19:00.
        now = timezone.localtime(self.now).replace(hour=9, minute=0, second=0, microsecond=0)
        past = services.session_create(
            tenant=self.tenant, actor=self.trainer, plan=plan, course=quiz_course, title=quiz_course.title,
            format="on_site", location=self.texts.place, instructor=self.trainer,
            starts_at=now - datetime.timedelta(days=20), ends_at=now - datetime.timedelta(days=20) +
            datetime.timedelta(hours=8), capacity=30)
        other = next(c for c in self.texts.path_courses if c != self.texts.quiz_course)
        # An upcoming session that is full: the last person enrolled waits for a seat.
        full = services.session_create(
            tenant=self.tenant, actor=self.trainer, plan=plan, course=courses[other], title=courses[other].title,
            format="on_site", location=self.texts.place, instructor=self.trainer,
            starts_at=now + datetime.timedelta(days=6), ends_at=now + datetime.timedelta(days=6, hours=7),
            capacity=max(1, len(people) - 1))
        services.session_create(
            tenant=self.tenant, actor=self.trainer, plan=plan, course=courses["ORI-100"],
            title=courses["ORI-100"].title, format="online", online_url=self.texts.online_url,
            instructor=self.trainer, starts_at=now + datetime.timedelta(days=2, hours=10),
            ends_at=now + datetime.timedelta(days=2, hours=12), capacity=100)
        self._enrol_and_attend(plan, audience=False, people=[m.user for m in people])
        # Pre-test before the session, final quiz after it: some pass, one fails.
        assert Session.objects.filter(pk__in=[past.pk, full.pk]).count() == 2
        for index, membership in enumerate(people):
            user = membership.user
            self._attempt(quiz["pre"], user, past.starts_at - datetime.timedelta(days=1), good=index % 3 == 0)
            self._attempt(quiz["quiz"], user, past.ends_at + datetime.timedelta(days=1), good=index != 1)
        self.counts["training.TrainingPlan"] += 1
        return partners, people

    def _attempt(self, assessment, user, moment, *, good: bool) -> None:
        from .. import services
        from ..models import Choice, Question

        with _at(moment):
            try:
                attempt = services.attempt_start(assessment=assessment, actor=user)
            except Exception:
                return
            answers = {}
            for question in Question.objects.filter(pk__in=attempt.question_order):
                right = list(Choice.objects.filter(question=question, is_correct=True).values_list("pk", flat=True))
                wrong = list(Choice.objects.filter(question=question, is_correct=False).values_list("pk", flat=True))
                answers[str(question.pk)] = right if good or self.rng.random() < 0.4 else wrong[:1]
        with _at(moment + datetime.timedelta(minutes=12)):
            services.attempt_submit(attempt=attempt, answers=answers, actor=user)
        self.counts["training.Attempt"] += 1

    # ------------------------------------------------------------------ certificates, licences, needs

    def _certificates_and_licences(self, certification, externals, partners, people) -> None:
        from .. import services
        from ..models import Certificate

        today = timezone.localdate()
        # A certificate earned two years ago, expiring within the recertification window.
        by_partner = {}
        for membership in people:
            by_partner.setdefault(membership.partner_id, []).append(membership.user)
        for index, (_partner_id, users) in enumerate(sorted(by_partner.items())):
            holder = users[-1]
            if Certificate.objects.filter(holder=holder, certification=certification).exists():
                continue
            if index == 0:
                # The first flagship: its second certificate lapsed last month, so it falls short (lapsed).
                services.certificate_issue(certification=certification, holder=holder, actor=self.manager,
                                           issued_on=today - datetime.timedelta(days=760),
                                           expires_on=today - datetime.timedelta(days=30), reason="demo")
            else:
                services.certificate_issue(certification=certification, holder=holder, actor=self.manager,
                                           issued_on=today - datetime.timedelta(days=700),
                                           expires_on=today + datetime.timedelta(days=25), reason="demo")
        for code, external in externals.items():
            for index, membership in enumerate(m for m in people if m.partner.partner_type in (
                    "agent" if code == "AGENT-LIC" else "broker",)):
                qualification = services.qualification_submit(
                    tenant=self.tenant, actor=membership.user, certification=external,
                    licence_number=f"{code[:2]}{self.rng.randint(10**9, 10**10 - 1)}",
                    issuer="国家金融监督管理总局" if self.spec.default_language == "zh-hans" else "NFRA",
                    issued_on=today - datetime.timedelta(days=400), expires_on=today + datetime.timedelta(
                        days=700 if index else 40))
                if index == 0:
                    services.qualification_verify(qualification=qualification, actor=self.manager)
        services.qualification_lapse_check(tenant=self.tenant)
        self.counts["training.Certificate"] = Certificate.objects.count()

    def _needs(self, partners) -> None:
        from .. import services

        for index, partner in enumerate(partners):
            need = services.need_submit(tenant=self.tenant, partner=partner, actor=None, topics=[
                "product_knowledge", "sales_skills", "after_sales"][: 1 + partner.pk % 3],
                sales_staff=partner.staff_count // 3 if partner.staff_count else 10, service_staff=5, managers=2,
                skill_levels={"product_knowledge": 2, "sales_skills": 3}, notes=self.texts.need_notes)
            if index == 0:
                services.need_assess(need=need, actor=self.manager, assessment=self.texts.need_assessment)

