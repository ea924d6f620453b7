"""The public recruitment pages: the application form and the applicant's tracking page.

No login. The tenant comes from the URL (``/apply/<tenant-slug>/…``): an unknown or inactive
tenant is a 404, and the whole request (rendering included) runs inside that tenant's scope,
so every query is the tenant's and a token, campaign code or document id of another tenant
simply does not exist here. The applicant is identified only by the unguessable tracking token
of their application (``/apply/<slug>/track/<token>/``).

Decisions (see also ``ratelimit``):

* An unknown, cancelled or misspelt campaign code does not block anybody: the form works
  without a campaign and says so in a small note.
* Over the submission limit (per client address and tenant) the form answers 429 and saves
  nothing. A filled honeypot looks exactly like a success (the same redirect to the thank-you
  page) and saves nothing.
* The thank-you page reads the tracking link from the applicant's session, so the bot and
  the person get the same response; the link also arrives by e-mail in the applicant's
  language (the language the form was filled in, recorded on the application).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import Tenant
from channelhub.tenancy.workflow import IllegalTransition
from channelhub.writes import add_service_errors

from .. import selectors, services
from ..models import Application, ApplicationSource, ApplicationState
from ..views import document_response
from . import ratelimit
from .forms import AnswerForm, ApplicationForm, DocumentForm, WithdrawForm

SESSION_KEY = "recruitment_submitted"
S = ApplicationState


# --------------------------------------------------------------------------- the applicant's words

# What the applicant is told about each state: submitted / under review / decided. Reviewers'
# names, scores, steps and internal comments never reach these pages.
APPLICANT_STATUS = {
    S.DRAFT: ("submitted", gettext_lazy("Not sent yet"), gettext_lazy("The application has not been sent.")),
    S.SUBMITTED: ("submitted", gettext_lazy("Submitted"),
                  gettext_lazy("We received your application. Its review starts soon.")),
    S.SCREENING: ("review", gettext_lazy("Under review"),
                  gettext_lazy("Our team is reviewing your application. We may ask you questions here.")),
    S.SCORING: ("review", gettext_lazy("Under review"),
                gettext_lazy("Our team is reviewing your application. We may ask you questions here.")),
    S.IN_REVIEW: ("review", gettext_lazy("Under review"),
                  gettext_lazy("Your application is in the final approval. We will tell you the outcome by e-mail.")),
    S.APPROVED: ("approved", gettext_lazy("Approved"),
                 gettext_lazy("Welcome on board! You will receive an e-mail to set up your partner portal account.")),
    S.REJECTED: ("rejected", gettext_lazy("Not approved"),
                 gettext_lazy("We are unable to accept this application at this time.")),
    S.WITHDRAWN: ("withdrawn", gettext_lazy("Withdrawn"), gettext_lazy("You withdrew this application.")),
}


def applicant_status(application: Application) -> dict:
    key, label, text = APPLICANT_STATUS[application.state]
    ended = key in ("rejected", "withdrawn")  # an ending that is not a welcome must not look like one
    steps = [
        {"label": _("Submitted"), "done": True},
        {"label": _("Under review"), "done": key in ("review", "approved", "rejected"), "current": key == "review"},
        {"label": label if key != "review" and key != "submitted" else _("Decision"),
         "done": key == "approved", "ended": ended, "current": key in ("approved", "rejected", "withdrawn")},
    ]
    return {"key": key, "label": label, "text": text, "steps": steps, "ended": ended}


# --------------------------------------------------------------------------- plumbing


def _activate_language(request, tenant: Tenant) -> None:
    """The applicant's choice (language switch cookie) or browser wins; then the tenant's default."""
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or request.headers.get("Accept-Language"):
        return
    if request.user.is_authenticated and getattr(request.user, "language", ""):
        return
    translation.activate(tenant.default_language)
    request.LANGUAGE_CODE = translation.get_language()


class PublicTenantView(View):
    """Resolves ``tenant_slug`` (active tenants only, else 404) and runs the request in its scope."""

    def dispatch(self, request, *args, tenant_slug: str, **kwargs):
        tenant = Tenant.objects.filter(slug=tenant_slug, is_active=True).first()
        if tenant is None:
            raise Http404
        self.tenant = tenant
        self.address = ratelimit.client_address(request)
        with tenant_scope(tenant, source="public"):
            _activate_language(request, tenant)
            response = super().dispatch(request, *args, **kwargs)
            # Render here: templates read tenant data, and the scope ends with this block.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            return response

    def render(self, template: str, context: dict | None = None, status: int = 200):
        return render(
            self.request, f"recruitment/public/{template}", {"tenant": self.tenant, **(context or {})}, status=status
        )

    def too_many(self):
        return self.render("too_many.html", status=429)


# --------------------------------------------------------------------------- the application form


class ApplyView(PublicTenantView):
    """``/apply/<slug>/`` (and ``/apply/<slug>/<campaign code>/`` or ``?c=<code>``): the form."""

    def get(self, request, campaign_code: str = ""):
        return self.render_form(ApplicationForm())

    @cached_property
    def campaign_code(self) -> str:
        return (self.kwargs.get("campaign_code") or self.request.GET.get("c") or "").strip()[:40]

    @cached_property
    def campaign(self):
        return selectors.campaign_by_code(self.campaign_code) if self.campaign_code else None

    def render_form(self, form, status: int = 200):
        return self.render("apply.html", {
            "form": form, "campaign": self.campaign,
            "unknown_campaign": bool(self.campaign_code) and self.campaign is None,
            "campaign_code": self.campaign_code,
            "files_dropped": form.is_bound and bool(self.request.FILES) and not form.is_valid(),
        }, status=status)

    def post(self, request, campaign_code: str = ""):
        tenant_id = self.tenant.pk
        if ratelimit.exhausted(ratelimit.SUBMISSIONS, tenant_id, self.address) or (
            ratelimit.count(ratelimit.ATTEMPTS, tenant_id, self.address) > ratelimit.ATTEMPTS.allowed
        ):
            return self.too_many()
        form = ApplicationForm(request.POST, request.FILES)
        if form.is_spam:
            ratelimit.count(ratelimit.SUBMISSIONS, tenant_id, self.address)
            return HttpResponseRedirect(self.thanks_url())
        if not form.is_valid():
            return self.render_form(form)
        try:
            application = services.application_submit(
                tenant=self.tenant, data=form.service_data(language=translation.get_language()),
                documents=form.documents(), campaign=self.campaign, source=ApplicationSource.PUBLIC_FORM,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render_form(form)
        ratelimit.count(ratelimit.SUBMISSIONS, tenant_id, self.address)
        request.session[SESSION_KEY] = {"tenant": tenant_id, "token": application.tracking_token}
        return HttpResponseRedirect(self.thanks_url())

    def thanks_url(self) -> str:
        return reverse("recruitment-public:thanks", kwargs={"tenant_slug": self.tenant.slug})


class ThanksView(PublicTenantView):
    """After sending: thanks, and the tracking link (from the session; it also went by e-mail)."""

    def get(self, request):
        submitted = request.session.get(SESSION_KEY) or {}
        application = None
        if submitted.get("tenant") == self.tenant.pk:
            application = selectors.application_by_token(token=submitted.get("token", ""))
        if application is not None:
            # Only the hash is stored: the page builds its link from the token in the session.
            application.tracking_token = submitted["token"]
        return self.render("thanks.html", {"application": application})


# --------------------------------------------------------------------------- tracking


class TrackingView(PublicTenantView):
    """Base of the tracking pages: the application of this tenant with this token, else 404."""

    def load(self, token: str) -> Application:
        tenant_id = self.tenant.pk
        application = selectors.application_by_token(token=token)
        if application is None:
            # Failures (per address and tenant) only slow down further guesses: a valid token is
            # always served, so an office behind one address is never locked out of its own link.
            if ratelimit.exhausted(ratelimit.FAILED_LOOKUPS, tenant_id, self.address):
                raise _TooMany
            ratelimit.count(ratelimit.FAILED_LOOKUPS, tenant_id, self.address)
            raise Http404
        # Only the hash is stored: the page's links carry the token the applicant presented.
        application.tracking_token = token
        self.application = application
        return application

    def url(self, token: str) -> str:
        return reverse("recruitment-public:track", kwargs={"tenant_slug": self.tenant.slug, "token": token})

    def render_page(self, *, answer_form=None, answer_to=None, document_form=None, status=200):
        application = self.application
        thread = list(selectors.application_messages(application=application))
        questions = []
        for message in thread:
            if message.sender == "reviewer":
                replies = [m for m in thread if m.reply_to_id == message.pk]
                form = answer_form if answer_to == message.pk else AnswerForm(
                    application=application, initial={"reply_to": message.pk}, prefix=f"q{message.pk}")
                questions.append({"question": message, "replies": replies, "form": form})
        other_answers = [m for m in thread if m.sender == "applicant" and m.reply_to_id is None]
        decision = None
        if application.state in (S.APPROVED, S.REJECTED):
            decision = selectors.final_decision_message(application=application)
        return self.render("track.html", {
            "application": application,
            "status": applicant_status(application),
            "questions": questions,
            "other_answers": other_answers,
            "open_questions": sum(1 for q in questions if not q["replies"]),
            "documents": list(selectors.application_documents(application=application)),
            "document_form": document_form or DocumentForm(),
            "decision": decision,
            "regions": list(application.regions.order_by("path")),
        }, status=status)


class _TooMany(Exception):
    pass


class TrackView(TrackingView):
    def get(self, request, token: str):
        try:
            self.load(token)
        except _TooMany:
            return self.too_many()
        return self.render_page()


class AnswerView(TrackingView):
    http_method_names = ["post"]

    def post(self, request, token: str):
        try:
            application = self.load(token)
        except _TooMany:
            return self.too_many()
        if not application.is_open:
            messages.info(request, _("This application is already closed."))
            return HttpResponseRedirect(self.url(token))
        reply_to = request.POST.get("reply_to_id", "")
        prefix = f"q{reply_to}" if reply_to.isdigit() else None
        form = AnswerForm(request.POST, application=application, prefix=prefix)
        if form.is_valid():
            try:
                services.application_answer(
                    application=application, body=form.cleaned_data["body"], reply_to=form.cleaned_data["reply_to"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Thank you, your answer was sent."))
                return HttpResponseRedirect(self.url(token))
        return self.render_page(answer_form=form, answer_to=int(reply_to) if prefix else None)


class DocumentUploadView(TrackingView):
    http_method_names = ["post"]

    def post(self, request, token: str):
        try:
            application = self.load(token)
        except _TooMany:
            return self.too_many()
        if ratelimit.count(ratelimit.ATTEMPTS, self.tenant.pk, self.address) > ratelimit.ATTEMPTS.allowed:
            return self.too_many()
        if not application.is_open:
            messages.info(request, _("This application is already closed."))
            return HttpResponseRedirect(self.url(token))
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.application_add_document(
                    application=application, kind=form.cleaned_data["kind"], file=form.cleaned_data["file"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The document was added to your application."))
                return HttpResponseRedirect(self.url(token))
        return self.render_page(document_form=form)


class DocumentView(TrackingView):
    """One of the application's own documents, for the applicant (the token is the key)."""

    def get(self, request, token: str, pk: int):
        try:
            application = self.load(token)
        except _TooMany:
            return self.too_many()
        document = selectors.application_documents(application=application).filter(pk=pk).first()
        if document is None:
            raise Http404
        return document_response(document)


class WithdrawView(TrackingView):
    """Confirm, then withdraw the application (only while it is open)."""

    def get(self, request, token: str):
        try:
            application = self.load(token)
        except _TooMany:
            return self.too_many()
        if not application.is_open:
            return HttpResponseRedirect(self.url(token))
        return self.render("withdraw.html", {"application": application, "form": WithdrawForm()})

    def post(self, request, token: str):
        try:
            application = self.load(token)
        except _TooMany:
            return self.too_many()
        form = WithdrawForm(request.POST)
        if not application.is_open:
            messages.info(request, _("This application is already closed."))
            return HttpResponseRedirect(self.url(token))
        if form.is_valid():
            reason = form.cleaned_data["reason"].strip()
            try:
                services.application_withdraw(
                    application=application, actor=None,
                    reason=_("Withdrawn by the applicant") + (f": {reason}" if reason else ""),
                )
            except (ValidationError, IllegalTransition) as error:
                messages.error(request, error.message if isinstance(error, IllegalTransition)
                               else " ".join(error.messages))
            else:
                messages.success(request, _("Your application was withdrawn."))
            return HttpResponseRedirect(self.url(token))
        return self.render("withdraw.html", {"application": application, "form": form})
