"""One FilterSet per list, shared by the API, the admin and (later) the reports."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework.filters import search_smart_split

from channelhub.partners.models import PartnerType, Region

from .models import (
    Application,
    ApplicationRegion,
    ApplicationSource,
    ApplicationState,
    ApprovalStep,
    Campaign,
    CampaignSource,
    CampaignStatus,
    Criterion,
    CriterionCategory,
    OnboardingTask,
    OnboardingTaskTemplate,
    PlanStatus,
    RecruitmentPlan,
    RecruitmentTarget,
    ScorecardTemplate,
)
from .selectors import application_search, application_search_narrowed, staff_users


class RecruitmentPlanFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=PlanStatus.choices)
    active_on = django_filters.DateFilter(method="filter_active_on", label=_("runs on (date)"))
    # Users are not tenant-owned: offer only this tenant's staff, never the whole user table.
    owner = django_filters.ModelChoiceFilter(queryset=staff_users(), label=_("owner"))

    class Meta:
        model = RecruitmentPlan
        fields = ["status", "owner"]

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(start_date__lte=value, end_date__gte=value) if value else queryset


class RecruitmentTargetFilterSet(django_filters.FilterSet):
    partner_type = django_filters.MultipleChoiceFilter(choices=PartnerType.choices)

    class Meta:
        model = RecruitmentTarget
        fields = ["plan", "region", "partner_type"]


class CampaignFilterSet(django_filters.FilterSet):
    source = django_filters.MultipleChoiceFilter(choices=CampaignSource.choices)
    status = django_filters.MultipleChoiceFilter(choices=CampaignStatus.choices)
    code = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Campaign
        fields = ["plan", "source", "status", "code", "referrer"]


class ApplicationFilterSet(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=ApplicationState.choices)
    partner_type = django_filters.MultipleChoiceFilter(choices=PartnerType.choices)
    source = django_filters.MultipleChoiceFilter(choices=ApplicationSource.choices)
    region = django_filters.ModelChoiceFilter(
        field_name="regions", queryset=Region.objects.all(), method="filter_region",
        label=_("region wanted (and below)"),
    )
    has_duplicates = django_filters.BooleanFilter(label=_("possible duplicate"))
    submitted_after = django_filters.DateFilter(field_name="submitted_at", lookup_expr="date__gte")
    submitted_before = django_filters.DateFilter(field_name="submitted_at", lookup_expr="date__lte")
    current_step = django_filters.ModelChoiceFilter(queryset=ApprovalStep.objects.all())
    q = django_filters.CharFilter(method="filter_q", label=_("company, credit code or contact contains"))
    # DRF's ?search= (UPPER(col) LIKE, which no index answers): on PostgreSQL the indexed search
    # line narrows the rows first; the SearchFilter's answer is unchanged.
    search = django_filters.CharFilter(method="filter_search", label=_("search"))

    class Meta:
        model = Application
        fields = ["state", "campaign", "plan", "partner_type", "source", "has_duplicates", "current_step"]

    def filter_region(self, queryset, name, region: Region | None):
        if region is None:
            return queryset
        wanted = ApplicationRegion.objects.filter(region__path__startswith=region.path).values("application_id")
        return queryset.filter(pk__in=wanted)

    def filter_q(self, queryset, name, value: str):
        # PostgreSQL: the trigram index over recruitment_search_text(…) (2-character Chinese
        # fragments included); SQLite: icontains. See selectors.application_search.
        return application_search(queryset, value)

    def filter_search(self, queryset, name, value: str):
        return application_search_narrowed(queryset, search_smart_split(value))


class CriterionFilterSet(django_filters.FilterSet):
    category = django_filters.MultipleChoiceFilter(choices=CriterionCategory.choices)

    class Meta:
        model = Criterion
        fields = ["category", "is_active"]


class ScorecardTemplateFilterSet(django_filters.FilterSet):
    class Meta:
        model = ScorecardTemplate
        fields = ["partner_type", "is_active"]


class ApprovalStepFilterSet(django_filters.FilterSet):
    class Meta:
        model = ApprovalStep
        fields = ["role", "is_active"]


class OnboardingTaskTemplateFilterSet(django_filters.FilterSet):
    class Meta:
        model = OnboardingTaskTemplate
        fields = ["partner_type", "required", "is_active"]


class OnboardingTaskFilterSet(django_filters.FilterSet):
    done = django_filters.BooleanFilter(field_name="done_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = OnboardingTask
        fields = ["partner", "key", "required", "application"]
