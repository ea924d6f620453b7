"""Review cycles in the admin, with the record's buttons, the results and the what-if preview.

The cycle page offers each button only to the roles and states its service admits: *compute* /
*recompute* to owners and managers (scheduled or computed), *confirm* (the department sign-off)
and *withdraw the sign-off* to owners and finance, *publish* to owners and managers (confirmed).
Each button's page opens for tenant staff and shows its form only when the person may act now;
the service checks again. Scores are adjusted from the partner score's page, with a reason.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin as UnfoldModelAdmin

from channelhub.admin.base import RoleGate, TenantScopedAdmin, has_permission
from channelhub.tenancy.roles import STAFF_ROLES

from .. import selectors, services
from ..models import CycleState, PartnerScore, ReviewCycle, ScorecardLine, Tier, TierChange
from ..permissions import CYCLE_COMPUTE, CYCLE_CONFIRM, CYCLE_PUBLISH, SCORE_ADJUST
from ._common import REFUSALS, report_refusal, staff_roles
from .trends import KpiTrendsMixin

C = CycleState


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class AdjustForm(forms.Form):
    adjusted_score = forms.DecimalField(label=_("adjusted score"), required=False, min_value=0, max_value=100,
                                        max_digits=9, decimal_places=3,
                                        help_text=_("Empty: go back to the computed score."))
    reason = forms.CharField(label=_("reason for the adjustment"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 4}))

    def clean(self):
        data = super().clean()
        if data.get("adjusted_score") is not None and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the score is adjusted."))
        return data


@admin.register(ReviewCycle)
class ReviewCycleAdmin(KpiTrendsMixin, TenantScopedAdmin):
    """Cycles are records: started by the periodic job (or by hand), moved only by the buttons."""

    view_roles = STAFF_ROLES
    change_roles = staff_roles(CYCLE_COMPUTE)
    change_list_template = "admin/evaluation/reviewcycle/change_list.html"  # links the KPI trends page
    list_display = ("period_key", "cadence", "scorecard_version", "state", "partner_count", "computed_at",
                    "confirmed_by", "published_at")
    list_filter = ("state", "cadence")
    search_fields = ("period_key",)
    list_select_related = ("confirmed_by",)
    fields = ("cadence", "period_key", "period_start", "period_end", "scorecard_version")
    empty_hint = _("The periodic review job starts a cycle when a period ends; you can also add one.")

    def get_queryset(self, request):
        return selectors.cycle_list()

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.fields
        return [*self.fields, "state", "state_changed_at", "partner_count", "computed_at", "confirmed_by",
                "published_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a cycle is a record of a review

    def create_object(self, request, obj, fields):
        return services.cycle_create(tenant=request.tenant, actor=request.user, **fields)

    def update_object(self, request, obj, fields):
        # Never reached: a saved cycle's page is read-only; it moves by its buttons only.
        raise PermissionDenied

    # ---- the record's buttons

    def buttons(self, request, cycle: ReviewCycle) -> dict[str, bool]:
        return {
            "may_compute": cycle.state in (C.SCHEDULED, C.COMPUTED) and has_permission(request, CYCLE_COMPUTE),
            "may_confirm": cycle.state == C.COMPUTED and has_permission(request, CYCLE_CONFIRM),
            "may_reopen": cycle.state == C.CONFIRMED and has_permission(request, CYCLE_CONFIRM),
            "may_publish": cycle.state == C.CONFIRMED and has_permission(request, CYCLE_PUBLISH),
            "may_preview": cycle.state in (C.COMPUTED, C.CONFIRMED, C.PUBLISHED)
            and has_permission(request, CYCLE_COMPUTE),
            "has_results": cycle.state in (C.COMPUTED, C.CONFIRMED, C.PUBLISHED),
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        cycle = self.get_object(request, unquote(object_id))
        if cycle is not None:
            extra_context = {**(extra_context or {}), **self.buttons(request, cycle)}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        site = self.admin_site
        pages = [("compute", self.compute_view), ("confirm", self.confirm_view), ("reopen", self.reopen_view),
                 ("publish", self.publish_view), ("results", self.results_view), ("preview", self.preview_view)]
        return [
            *(path(f"<int:pk>/{name}/", site.admin_view(view), name=f"evaluation_reviewcycle_{name}")
              for name, view in pages),
            *self.kpi_trend_urls(),
            *super().get_urls(),
        ]

    def _cycle(self, request, pk: int) -> ReviewCycle:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(selectors.cycle_list(), pk=pk)

    def _page(self, request, cycle, template: str, **context):
        return TemplateResponse(request, f"admin/evaluation/reviewcycle/{template}", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": cycle,
            "subtitle": str(cycle), "change_url": reverse("admin:evaluation_reviewcycle_change", args=[cycle.pk]),
            **self.buttons(request, cycle), **context,
        })

    def _move(self, request, pk: int, *, allowed: str, title: str, done: str, apply, form_class=None):
        cycle = self._cycle(request, pk)
        form = form_class(request.POST if request.method == "POST" else None) if form_class else None
        if request.method == "POST" and (form is None or form.is_valid()):
            try:
                apply(cycle, form.cleaned_data if form is not None else {})
            except REFUSALS as error:
                report_refusal(request, error)
                return redirect("admin:evaluation_reviewcycle_change", cycle.pk)
            messages.success(request, done)
            return redirect("admin:evaluation_reviewcycle_change", cycle.pk)
        return self._page(request, cycle, "form.html", title=title, form=form,
                          allowed=self.buttons(request, cycle)[allowed])

    def compute_view(self, request, pk: int):
        return self._move(request, pk, allowed="may_compute", title=gettext("Compute the cycle"),
                          done=gettext("The cycle is computed."),
                          apply=lambda cycle, data: services.cycle_compute(cycle=cycle, actor=request.user))

    def confirm_view(self, request, pk: int):
        return self._move(request, pk, allowed="may_confirm", title=gettext("Confirm the results (sign-off)"),
                          done=gettext("The results are confirmed."),
                          apply=lambda cycle, data: services.cycle_confirm(cycle=cycle, actor=request.user))

    def reopen_view(self, request, pk: int):
        return self._move(request, pk, allowed="may_reopen", title=gettext("Withdraw the sign-off"),
                          done=gettext("The sign-off is withdrawn: the cycle is computed again."),
                          form_class=ReasonForm,
                          apply=lambda cycle, data: services.cycle_reopen(cycle=cycle, actor=request.user,
                                                                          reason=data["reason"]))

    def publish_view(self, request, pk: int):
        return self._move(request, pk, allowed="may_publish", title=gettext("Publish to partners"),
                          done=gettext("Published: partners see their scorecards and the tier changes apply."),
                          apply=lambda cycle, data: services.cycle_publish(cycle=cycle, actor=request.user))

    def results_view(self, request, pk: int):
        """Every partner's total, rank and change, with each KPI's figure, score, weight and contribution."""
        cycle = self._cycle(request, pk)
        scores = selectors.score_list().filter(cycle=cycle)
        if request.GET.get("q"):
            scores = scores.filter(partner__legal_name__icontains=request.GET["q"][:100])
        if request.GET.get("type"):
            scores = scores.filter(partner_type=request.GET["type"][:32])
        page = Paginator(scores, 25).get_page(request.GET.get("page"))
        rows = list(page.object_list)
        explained = selectors.breakdowns(cycle_id=cycle.pk, partner_ids=[row.partner_id for row in rows])
        return self._page(request, cycle, "results.html", title=gettext("Results"), page=page,
                          rows=[(row, explained.get(row.partner_id, [])) for row in rows],
                          query=request.GET.get("q", ""),
                          distribution=selectors.score_distribution(cycle=cycle),
                          movements=selectors.tier_movements(cycle=cycle))

    def preview_view(self, request, pk: int):
        """What-if: changed weights and thresholds, re-scored in a transaction that is rolled back."""
        cycle = self._cycle(request, pk)
        allowed = self.buttons(request, cycle)["may_preview"]
        lines = list(ScorecardLine.objects.filter(scorecard_id__in=[
            int(pk) for pk in (cycle.scorecards or {}).values() if str(pk).isdigit()]
        ).select_related("scorecard", "kpi").order_by("scorecard__partner_type", "-weight"))
        tiers = list(Tier.objects.order_by("-rank"))
        weights, thresholds, errors, rows = {}, {}, [], None
        if request.method == "POST" and allowed:
            for line in lines:
                weights[line.pk] = _decimal(request.POST.get(f"weight-{line.pk}"), line.weight, errors, str(line))
            for tier in tiers:
                thresholds[tier.pk] = _decimal(request.POST.get(f"tier-{tier.pk}"), tier.min_score, errors, str(tier))
            if not errors:
                try:
                    rows = services.cycle_preview(cycle=cycle, actor=request.user, weights=weights,
                                                  thresholds=thresholds)
                except REFUSALS as error:
                    report_refusal(request, error)
        changed = [row for row in rows or [] if row.proposed_tier != row.saved_proposed_tier]
        return self._page(request, cycle, "preview.html", title=gettext("What-if preview"), allowed=allowed,
                          lines=[(line, weights.get(line.pk, line.weight)) for line in lines],
                          tiers=[(tier, thresholds.get(tier.pk, tier.min_score)) for tier in tiers],
                          errors=errors, rows=rows, changed=changed)


def _decimal(raw, default: Decimal, errors: list, label: str) -> Decimal:
    if raw in (None, ""):
        return default
    try:
        value = Decimal(raw)
    except (InvalidOperation, ValueError):
        errors.append(gettext("%(what)s: enter a number.") % {"what": label})
        return default
    if not value.is_finite() or value < 0 or value > 1000:
        errors.append(gettext("%(what)s: enter a number from 0 to 1000.") % {"what": label})
        return default
    return value


@admin.register(PartnerScore)
class PartnerScoreAdmin(TenantScopedAdmin):
    """Results per partner and cycle (read-only; a manager adjusts a score with a reason before sign-off)."""

    view_roles = STAFF_ROLES
    read_only = True
    list_display = ("partner", "cycle", "partner_type", "total", "adjusted_score", "rank_shown", "change",
                    "current_tier", "proposed_tier")
    list_filter = ("cycle", "partner_type", ("proposed_tier", admin.RelatedOnlyFieldListFilter))
    search_fields = ("partner__legal_name",)
    autocomplete_fields = ()
    fields = ("partner", "cycle", "partner_type", "scorecard", "total", "rank", "peer_count", "previous_total",
              "change", "adjusted_score", "adjustment_reason", "adjusted_by", "qualified", "current_tier",
              "proposed_tier", "below_streak")
    readonly_fields = fields
    empty_hint = _("Scores appear when a review cycle is computed.")

    def get_queryset(self, request):
        return selectors.score_list()

    @admin.display(description=_("rank among peers"), ordering="rank")
    def rank_shown(self, obj):
        return f"{obj.rank} / {obj.peer_count}" if obj.rank else "—"

    def may_adjust(self, request, score) -> bool:
        return score.cycle.state == C.COMPUTED and has_permission(request, SCORE_ADJUST)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        score = self.get_object(request, unquote(object_id))
        if score is not None:
            extra_context = {**(extra_context or {}), "may_adjust": self.may_adjust(request, score),
                             "breakdown": list(selectors.score_breakdown(score=score))}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [path("<int:pk>/adjust/", self.admin_site.admin_view(self.adjust_view),
                     name="evaluation_partnerscore_adjust"), *super().get_urls()]

    def adjust_view(self, request, pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        score = get_object_or_404(selectors.score_list(), pk=pk)
        change_url = reverse("admin:evaluation_partnerscore_change", args=[score.pk])
        form = AdjustForm(request.POST if request.method == "POST" else None,
                          initial={"adjusted_score": score.adjusted_score, "reason": score.adjustment_reason})
        allowed = self.may_adjust(request, score)
        if request.method == "POST" and form.is_valid():
            try:
                services.score_adjust(score=score, adjusted_score=form.cleaned_data["adjusted_score"],
                                      reason=form.cleaned_data["reason"], actor=request.user)
            except REFUSALS as error:
                report_refusal(request, error)
                return redirect(change_url)
            messages.success(request, gettext("The score is adjusted; the tier proposal follows it."))
            return redirect(change_url)
        return TemplateResponse(request, "admin/evaluation/reviewcycle/form.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": score,
            "subtitle": str(score.partner), "change_url": change_url, "title": gettext("Adjust the score"),
            "form": form, "allowed": allowed, "state": score.cycle.get_state_display(),
        })


@admin.register(TierChange)
class TierChangeAdmin(RoleGate, UnfoldModelAdmin):
    """The tier ledger: every change a cycle proposed, and when its publication applied it."""

    view_roles = STAFF_ROLES
    read_only = True
    list_display = ("partner", "cycle", "kind", "from_tier", "to_tier", "score", "applied_at")
    list_filter = ("kind", "cycle", ("to_tier", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("partner", "cycle", "from_tier", "to_tier")
    search_fields = ("partner__legal_name",)
    empty_hint = _("Tier changes appear when a computed cycle proposes them.")
    list_fullwidth = True


