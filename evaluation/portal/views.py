"""Evaluation pages of the partner portal: thin views over the evaluation selectors and services.

Partner staff see their own partner's published scorecards (breakdown and trend), its tier
and the tier's benefits, its statements of published cycles and its improvement plans (which
they acknowledge and answer); they rate the vendor in the quarter's relationship survey.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, TemplateView, View

from channelhub.portal.mixins import PortalMixin
from channelhub.writes import add_service_errors

from .. import documents, selectors, services
from ..admin._common import REFUSALS, refusal_text
from ..models import ImprovementState, IncentiveStatement, RelationshipSurvey

RATING_CHOICES = [(n, str(n)) for n in range(1, 6)]


class ScorecardView(PortalMixin, TemplateView):
    template_name = "evaluation/portal/scorecard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        trend = list(selectors.published_scores(partner_id=self.partner.pk)[:8])
        latest = trend[0] if trend else None
        context.update({
            "latest": latest, "trend": trend,
            "breakdown": list(selectors.score_breakdown(score=latest)) if latest else [],
            "tier": selectors.current_tier(partner_id=self.partner.pk),
            "statements": list(selectors.partner_statements(partner_id=self.partner.pk)[:12]),
            "plans": list(selectors.partner_plans(partner_id=self.partner.pk)[:10]),
        })
        return context


class StatementPdfView(PortalMixin, View):
    model = IncentiveStatement

    def get(self, request, pk: int):
        statement = selectors.partner_statements(partner_id=self.partner.pk).select_related(
            "tenant", "partner").filter(pk=pk).first()
        if statement is None:
            raise Http404
        return documents.statement_pdf(statement, selectors.statement_lines(statement))


class PlanResponseForm(forms.Form):
    comment = forms.CharField(label=_("your comment"), max_length=4000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))


class PlanView(PortalMixin, DetailView):
    """An improvement plan of the partner: its actions; partner staff acknowledge it and answer."""

    template_name = "evaluation/portal/plan.html"
    context_object_name = "plan"

    def get_queryset(self):
        return selectors.partner_plans(partner_id=self.partner.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", PlanResponseForm())
        context["may_answer"] = self.object.state == ImprovementState.OPEN
        return context

    def post(self, request, *args, **kwargs):
        self.object = plan = self.get_object()
        form = PlanResponseForm(request.POST)
        if form.is_valid():
            try:
                services.plan_respond(plan=plan, actor=request.user, comment=form.cleaned_data["comment"])
            except REFUSALS as error:
                messages.error(request, refusal_text(error))
            else:
                messages.success(request, gettext("Thank you: your answer is recorded."))
            return redirect("evaluation-portal:plan", plan.pk)
        return self.render_to_response(self.get_context_data(form=form))


class SurveyForm(forms.Form):
    support = forms.TypedChoiceField(label=_("support"), choices=RATING_CHOICES, coerce=int,
                                     widget=forms.RadioSelect)
    training = forms.TypedChoiceField(label=_("training"), choices=RATING_CHOICES, coerce=int,
                                      widget=forms.RadioSelect)
    communication = forms.TypedChoiceField(label=_("communication"), choices=RATING_CHOICES, coerce=int,
                                           widget=forms.RadioSelect)
    fairness = forms.TypedChoiceField(label=_("fairness"), choices=RATING_CHOICES, coerce=int,
                                      widget=forms.RadioSelect)
    comment = forms.CharField(label=_("comment"), max_length=4000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))


class SurveyView(PortalMixin, FormView):
    """The quarter's relationship survey: the partner rates the vendor (1 = poor, 5 = excellent)."""

    template_name = "evaluation/portal/survey.html"
    form_class = SurveyForm

    def dispatch(self, request, *args, **kwargs):
        self.period_key = selectors.current_period_key()
        return super().dispatch(request, *args, **kwargs)

    def existing(self) -> RelationshipSurvey | None:
        return RelationshipSurvey.objects.filter(partner=self.partner, period_key=self.period_key).first()

    def get_initial(self):
        survey = self.existing()
        if survey is None or survey.support is None:
            return {}
        return {"support": survey.support, "training": survey.training, "communication": survey.communication,
                "fairness": survey.fairness, "comment": survey.partner_comment}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["period_key"] = self.period_key
        context["earlier"] = list(RelationshipSurvey.objects.filter(partner=self.partner, support__isnull=False)
                                  .exclude(period_key=self.period_key).order_by("-period_key")[:4])
        return context

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        comment = data.pop("comment")
        try:
            services.survey_answer(partner=self.partner, period_key=self.period_key, actor=self.request.user,
                                   comment=comment, **data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        except REFUSALS as error:
            form.add_error(None, refusal_text(error))
            return self.form_invalid(form)
        messages.success(self.request, gettext("Thank you: your ratings are recorded."))
        return redirect("evaluation-portal:survey")
