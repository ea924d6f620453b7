"""Training pages of the partner portal (``/portal/training/``): thin views over the selectors and services.

Partner staff browse the catalogue, see their sessions, enrol (where the plan allows), take
online assessments (the timer is shown here; the server enforces it), download their
certificates and upload licences obtained elsewhere; the partner admin enrols the company's
staff and fills in the training needs survey. Rows named in a POST are looked up through the
tenant-scoped selectors (another tenant's or partner's id is a 404), and every write goes
through a service, which checks the actor again.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, TemplateView

from channelhub.portal.mixins import PortalMixin
from channelhub.tenancy.roles import Role
from channelhub.writes import add_service_errors

from .. import selectors, services
from ..models import (
    AssessmentKind,
    AssessmentStage,
    AttemptState,
    Certificate,
    Certification,
    Course,
    CourseKind,
    Enrolment,
    EnrolmentState,
)
from ..pdf import certificate_pdf

PARTNER_ADMIN = frozenset({Role.PARTNER_ADMIN})


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _refusal(request, error) -> None:
    for message in getattr(error, "messages", None) or [str(error)]:
        messages.error(request, message)


class CatalogueView(PortalMixin, ListView):
    """The published courses with their online assessments."""

    model = Course
    template_name = "training/portal/catalogue.html"
    context_object_name = "courses"

    def get_queryset(self):
        return selectors.published_courses()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["paths"] = list(selectors.published_paths())
        context["completed"] = selectors.completed_course_ids(self.request.user.pk)
        return context


class SessionsView(PortalMixin, ListView):
    """My sessions (the partner admin: the company's) and the upcoming sessions open to the company.

    POST ``enrol`` (a session id: oneself, where the plan allows self-enrolment), ``cancel``
    (an enrolment id), or ``rate`` (an enrolment id, ``rating`` 1–5, ``comment``).
    """

    model = Enrolment
    template_name = "training/portal/sessions.html"
    context_object_name = "enrolments"

    def is_admin(self) -> bool:
        return Role.PARTNER_ADMIN in self.access.roles

    def get_queryset(self):
        rows = selectors.enrolment_list().filter(partner_id=self.partner.pk).exclude(state=EnrolmentState.CANCELLED)
        if not self.is_admin():
            rows = rows.filter(trainee=self.request.user)
        return rows.prefetch_related("feedback").order_by("session__starts_at", "trainee__username")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mine = set(selectors.enrolment_list().filter(trainee=self.request.user).exclude(
            state=EnrolmentState.CANCELLED).values_list("session_id", flat=True))
        context["open_sessions"] = list(selectors.open_sessions_for_partner(self.partner.pk)[:50])
        context["my_session_ids"] = mine
        context["now"] = timezone.now()
        return context

    def post(self, request, *args, **kwargs):
        try:
            if "enrol" in request.POST:
                session = selectors.open_sessions_for_partner(self.partner.pk).filter(
                    pk=_int(request.POST["enrol"])).first()
                if session is None:
                    raise Http404
                enrolment = services.enrolment_create(session=session, trainee=request.user, actor=request.user)
                messages.success(request, _("You are enrolled.") if enrolment.state == EnrolmentState.ENROLLED
                                 else _("The session is full: you are on the waiting list."))
            elif "cancel" in request.POST or "rate" in request.POST:
                enrolment = self.get_queryset().filter(
                    pk=_int(request.POST.get("cancel") or request.POST.get("rate"))).first()
                if enrolment is None:
                    raise Http404
                if "cancel" in request.POST:
                    services.enrolment_cancel(enrolment=enrolment, actor=request.user)
                    messages.success(request, _("Enrolment cancelled."))
                else:
                    services.feedback_give(enrolment=enrolment, actor=request.user,
                                           rating=_int(request.POST.get("rating")) or 0,
                                           comment=request.POST.get("comment", "")[:2000])
                    messages.success(request, _("Thank you for your feedback."))
            else:
                messages.error(request, _("Choose what to do."))
        except (ValidationError, PermissionDenied) as error:
            _refusal(request, error)
        return HttpResponseRedirect(reverse("training-portal:sessions"))


class EnrolStaffView(PortalMixin, TemplateView):
    """The partner admin enrols the company's staff in a session (第十六条: train the sales team)."""

    portal_roles = PARTNER_ADMIN
    template_name = "training/portal/enrol.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sessions"] = list(selectors.open_sessions_for_partner(self.partner.pk)[:100])
        context["people"] = list(selectors.staff_of_partner(self.partner.pk))
        return context

    def post(self, request, *args, **kwargs):
        session = selectors.open_sessions_for_partner(self.partner.pk).filter(pk=_int(request.POST.get("session"))
                                                                              ).first()
        if session is None:
            messages.error(request, _("Choose a session."))
            return HttpResponseRedirect(reverse("training-portal:enrol"))
        people = {person.pk: person for person in selectors.staff_of_partner(self.partner.pk)}
        chosen = [people[pk] for pk in (_int(v) for v in request.POST.getlist("people")) if pk in people]
        seated = waiting = 0
        for person in chosen:
            try:
                enrolment = services.enrolment_create(session=session, trainee=person, actor=request.user)
            except (ValidationError, PermissionDenied) as error:
                _refusal(request, error)
                continue
            seated += enrolment.state == EnrolmentState.ENROLLED
            waiting += enrolment.state == EnrolmentState.WAITLISTED
        if seated or waiting:
            messages.success(request, _("%(seated)d enrolled, %(waiting)d on the waiting list.") % {
                "seated": seated, "waiting": waiting})
        return HttpResponseRedirect(reverse("training-portal:enrol"))


class AssessmentsView(PortalMixin, TemplateView):
    """Online assessments: start one, answer with the timer running, submit; the server grades.

    ``?attempt=<id>`` shows the caller's attempt in progress (questions in the stored order,
    options without any hint of which is correct) or its result.
    """

    template_name = "training/portal/assessments.html"

    def attempt(self):
        attempt_id = _int(self.request.GET.get("attempt") or self.request.POST.get("attempt"))
        if attempt_id is None:
            return None
        attempt = selectors.attempts_of(self.request.user.pk).filter(pk=attempt_id).first()
        if attempt is None:
            raise Http404
        return attempt

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        attempt = self.attempt()
        if attempt is not None and attempt.state == AttemptState.IN_PROGRESS and timezone.now() > attempt.deadline + \
                services.GRACE:
            services.attempts_expire(tenant=attempt.tenant_id)
            attempt.refresh_from_db()
        context["attempt"] = attempt
        if attempt is not None and attempt.state == AttemptState.IN_PROGRESS:
            context["questions"] = selectors.attempt_questions(attempt)
            context["seconds_left"] = max(0, int((attempt.deadline - timezone.now()).total_seconds()))
        assessments = [a for course in selectors.published_courses() for a in course.assessments.all()
                       if a.kind == AssessmentKind.QUIZ and a.is_published]
        mine = list(selectors.attempts_of(self.request.user.pk).order_by("-started_at"))
        used: dict[int, int] = {}
        passed: set[int] = set()
        running: set[int] = set()
        for row in mine:
            used[row.assessment_id] = used.get(row.assessment_id, 0) + 1
            if row.passed:
                passed.add(row.assessment_id)
            if row.state == AttemptState.IN_PROGRESS:
                running.add(row.assessment_id)
        # What each row offers: start (or resume), or why not (the service refuses the same).
        for assessment in assessments:
            assessment.used = used.get(assessment.pk, 0)
            assessment.done = assessment.pk in passed and assessment.stage == AssessmentStage.FINAL
            assessment.exhausted = assessment.used >= assessment.max_attempts and assessment.pk not in running
        context["assessments"] = assessments
        context["attempts"] = mine[:50]
        return context

    def post(self, request, *args, **kwargs):
        try:
            if "start" in request.POST:
                assessment = next((a for course in selectors.published_courses() for a in course.assessments.all()
                                   if a.pk == _int(request.POST["start"])), None)
                if assessment is None:
                    raise Http404
                attempt = services.attempt_start(assessment=assessment, actor=request.user)
                return HttpResponseRedirect(f"{reverse('training-portal:assessments')}?attempt={attempt.pk}")
            attempt = self.attempt()
            if attempt is None:
                messages.error(request, _("Choose an assessment."))
                return HttpResponseRedirect(reverse("training-portal:assessments"))
            answers = {}
            for key in request.POST:
                if key.startswith("q_"):
                    answers[key[2:]] = request.POST.getlist(key)
            attempt = services.attempt_submit(attempt=attempt, answers=answers, actor=request.user)
            if attempt.state == AttemptState.EXPIRED:
                messages.error(request, _("Time ran out: the attempt was closed without a score."))
            elif attempt.passed:
                messages.success(request, _("Passed with %(percent)s%%.") % {"percent": attempt.percent})
            else:
                messages.error(request, _("Not passed: %(percent)s%%.") % {"percent": attempt.percent})
            return HttpResponseRedirect(f"{reverse('training-portal:assessments')}?attempt={attempt.pk}")
        except (ValidationError, PermissionDenied) as error:
            _refusal(request, error)
        return HttpResponseRedirect(reverse("training-portal:assessments"))


class QualificationForm(forms.Form):
    certification = forms.TypedChoiceField(label=capfirst(gettext_lazy("qualification")), coerce=int)
    licence_number = forms.CharField(label=capfirst(gettext_lazy("licence number")), max_length=60)
    issuer = forms.CharField(label=capfirst(gettext_lazy("issued by")), max_length=200, required=False)
    issued_on = forms.DateField(label=capfirst(gettext_lazy("issued on")),
                                widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(label=capfirst(gettext_lazy("expires on")),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    document = forms.FileField(label=capfirst(gettext_lazy("scan of the licence (PDF, JPEG or PNG)")))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certification"].choices = [
            (c.pk, c.name) for c in Certification.objects.filter(is_external=True).order_by("name")]


class CertificatesView(PortalMixin, ListView):
    """My certificates (the partner admin: the company's), a PDF of each (``?pdf=<id>``), and uploading a licence."""

    model = Certificate
    template_name = "training/portal/certificates.html"
    context_object_name = "certificates"

    def get_queryset(self):
        rows = selectors.certificate_list().filter(partner_id=self.partner.pk)
        if Role.PARTNER_ADMIN not in self.access.roles:
            rows = rows.filter(holder=self.request.user)
        return rows.order_by("-issued_on")

    def get(self, request, *args, **kwargs):
        pdf = _int(request.GET.get("pdf"))
        if pdf is not None:
            certificate = self.get_queryset().filter(pk=pdf).first()
            if certificate is None:
                raise Http404
            return certificate_pdf(certificate)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", QualificationForm())
        # Only tenants that track licences obtained elsewhere (e.g. insurers' 执业资格) offer the upload.
        context["can_upload"] = bool(context["form"].fields["certification"].choices)
        context["qualifications"] = list(selectors.qualification_list().filter(holder=self.request.user)[:50])
        context["summary"] = selectors.partner_training_summary(self.partner.pk)
        return context

    def post(self, request, *args, **kwargs):
        form = QualificationForm(request.POST, request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            certification = Certification.objects.filter(is_external=True, pk=data.pop("certification")).first()
            try:
                services.qualification_submit(tenant=request.tenant, actor=request.user, certification=certification,
                                              **data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Uploaded: your channel manager verifies it."))
                return HttpResponseRedirect(reverse("training-portal:certificates"))
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form))


class NeedsForm(forms.Form):
    topics = forms.MultipleChoiceField(label=capfirst(gettext_lazy("topics wanted")), choices=CourseKind.choices,
                                       widget=forms.CheckboxSelectMultiple, required=False)
    sales_staff = forms.IntegerField(label=capfirst(gettext_lazy("sales staff")), min_value=0, max_value=100000,
                                     initial=0)
    service_staff = forms.IntegerField(label=capfirst(gettext_lazy("service staff")), min_value=0, max_value=100000,
                                       initial=0)
    managers = forms.IntegerField(label=capfirst(gettext_lazy("managers")), min_value=0, max_value=100000, initial=0)
    product_level = forms.TypedChoiceField(label=capfirst(gettext_lazy("product knowledge (1–5)")), coerce=int,
                                           choices=[(n, n) for n in range(1, 6)], initial=3)
    sales_level = forms.TypedChoiceField(label=capfirst(gettext_lazy("sales skills (1–5)")), coerce=int,
                                         choices=[(n, n) for n in range(1, 6)], initial=3)
    service_level = forms.TypedChoiceField(label=capfirst(gettext_lazy("after-sales service (1–5)")), coerce=int,
                                           choices=[(n, n) for n in range(1, 6)], initial=3)
    notes = forms.CharField(label=capfirst(gettext_lazy("what else should the training cover?")), required=False,
                            widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)


class NeedsView(PortalMixin, TemplateView):
    """The training needs survey (培训需求), filled in by the partner admin; earlier surveys below."""

    portal_roles = PARTNER_ADMIN
    template_name = "training/portal/needs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", NeedsForm())
        context["surveys"] = list(selectors.need_list().filter(partner_id=self.partner.pk)[:10])
        return context

    def post(self, request, *args, **kwargs):
        form = NeedsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.need_submit(
                    tenant=request.tenant, partner=self.partner, actor=request.user, topics=data["topics"],
                    sales_staff=data["sales_staff"], service_staff=data["service_staff"], managers=data["managers"],
                    skill_levels={CourseKind.PRODUCT_KNOWLEDGE: data["product_level"],
                                  CourseKind.SALES_SKILLS: data["sales_level"],
                                  CourseKind.AFTER_SALES: data["service_level"]},
                    notes=data["notes"])
            except (ValidationError, PermissionDenied) as error:
                add_service_errors(form, error if isinstance(error, ValidationError) else ValidationError(str(error)))
            else:
                messages.success(request, _("Thank you: your channel manager uses this to plan the training."))
                return HttpResponseRedirect(reverse("training-portal:needs"))
        return self.render_to_response(self.get_context_data(form=form))


