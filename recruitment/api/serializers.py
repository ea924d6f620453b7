"""Shapes of recruitment resources in the API. Rules live in the services, not here."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from channelhub.partners.models import Partner, Region
from channelhub.partners.validators import normalise_credit_code

from .. import selectors
from ..models import (
    Application,
    ApplicationDocument,
    ApplicationMessage,
    ApprovalDecision,
    ApprovalStep,
    Campaign,
    CampaignStatus,
    Criterion,
    Decision,
    DocumentKind,
    OnboardingTask,
    OnboardingTaskTemplate,
    PlanStatus,
    RecruitmentPlan,
    RecruitmentTarget,
    ReturnTarget,
    Scorecard,
    ScorecardTemplate,
    TemplateCriterion,
)
from ..workflow import APPLICATION_WORKFLOW, DECISION_ONLY

DOCUMENT_DOWNLOAD_URL_NAME = "recruitment:document-download"


class ReasonMixin(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, label=_("reason"))


# --------------------------------------------------------------------------- plans and targets


class RecruitmentTargetSerializer(serializers.ModelSerializer):
    plan = serializers.PrimaryKeyRelatedField(queryset=RecruitmentPlan.objects.all())
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    region_name = serializers.CharField(source="region.display_name", read_only=True)
    application_count = serializers.IntegerField(read_only=True)
    approved_count = serializers.IntegerField(read_only=True)
    onboarded_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = RecruitmentTarget
        fields = ["id", "plan", "region", "region_name", "partner_type", "target_count", "application_count",
                  "approved_count", "onboarded_count"]


class TargetRowSerializer(serializers.Serializer):
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    partner_type = serializers.CharField()
    target_count = serializers.IntegerField(min_value=1)


class RecruitmentPlanSerializer(serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(queryset=selectors.staff_users(), allow_null=True, required=False)
    owner_name = serializers.CharField(source="owner", read_only=True, allow_null=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    targets = TargetRowSerializer(many=True, write_only=True, required=False)
    application_count = serializers.IntegerField(read_only=True)
    approved_count = serializers.IntegerField(read_only=True)
    onboarded_count = serializers.IntegerField(read_only=True)
    cost_so_far = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    target_total = serializers.IntegerField(read_only=True)
    campaign_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = RecruitmentPlan
        fields = ["id", "name", "description", "start_date", "end_date", "owner", "owner_name", "budget", "status",
                  "status_display", "status_changed_at", "targets", "application_count", "approved_count",
                  "onboarded_count", "cost_so_far", "target_total", "campaign_count", "created_at"]
        read_only_fields = ["status", "status_changed_at", "created_at"]


class PlanProgressSerializer(serializers.Serializer):
    plan = RecruitmentPlanSerializer()
    targets = RecruitmentTargetSerializer(many=True)
    completion = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True,
                                          help_text=_("Onboarded partners against the sum of targets, in %."))
    budget_used = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True,
                                           help_text=_("Cost so far against the budget, in %."))


class PlanTransitionSerializer(ReasonMixin):
    to_status = serializers.ChoiceField(choices=PlanStatus.choices, label=_("to status"))


# --------------------------------------------------------------------------- campaigns


class CampaignSerializer(serializers.ModelSerializer):
    plan = serializers.PrimaryKeyRelatedField(queryset=RecruitmentPlan.objects.all())
    referrer = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all(), allow_null=True, required=False)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    application_count = serializers.IntegerField(read_only=True)
    qualified_count = serializers.IntegerField(read_only=True)
    approved_count = serializers.IntegerField(read_only=True)
    onboarded_count = serializers.IntegerField(read_only=True)
    active_count = serializers.IntegerField(read_only=True)
    cost_per_recruited = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = ["id", "plan", "name", "code", "source", "referrer", "start_date", "end_date", "cost", "status",
                  "status_display", "status_changed_at", "notes", "application_count", "qualified_count",
                  "approved_count", "onboarded_count", "active_count", "cost_per_recruited", "created_at"]
        read_only_fields = ["status", "status_changed_at", "created_at"]
        # The unique code is checked by the model (with the tenant), not by DRF's global validator.
        validators: list = []

    def get_cost_per_recruited(self, campaign) -> str | None:
        value = selectors.cost_per_recruited(campaign)
        return None if value is None else str(value)


class CampaignTransitionSerializer(ReasonMixin):
    to_status = serializers.ChoiceField(choices=CampaignStatus.choices, label=_("to status"))


# --------------------------------------------------------------------------- criteria, templates, steps


class CriterionSerializer(serializers.ModelSerializer):
    category_display = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = Criterion
        fields = ["id", "category", "category_display", "name", "guidance", "weight", "scale_max",
                  "knockout_threshold", "order", "is_active"]
        validators: list = []


class TemplateItemSerializer(serializers.ModelSerializer):
    criterion = serializers.PrimaryKeyRelatedField(queryset=Criterion.objects.all())
    criterion_name = serializers.CharField(source="criterion.name", read_only=True)
    effective_weight = serializers.DecimalField(max_digits=6, decimal_places=2, read_only=True)

    class Meta:
        model = TemplateCriterion
        fields = ["criterion", "criterion_name", "weight", "effective_weight", "order"]
        validators: list = []


class ScorecardTemplateSerializer(serializers.ModelSerializer):
    items = TemplateItemSerializer(many=True, required=False)

    class Meta:
        model = ScorecardTemplate
        fields = ["id", "name", "partner_type", "is_active", "items"]
        validators: list = []


class ApprovalStepSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = ApprovalStep
        fields = ["id", "order", "name", "role", "role_display", "is_active"]
        validators: list = []


class OnboardingTaskTemplateSerializer(serializers.ModelSerializer):
    class Meta:
        model = OnboardingTaskTemplate
        fields = ["id", "key", "name", "description", "partner_type", "required", "order", "is_active"]
        validators: list = []


# --------------------------------------------------------------------------- applications


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApprovalStep
        fields = ["id", "order", "name", "role"]


class ApplicationSerializer(serializers.ModelSerializer):
    """An application in lists: its company, where it came from, where it stands."""

    state_display = serializers.CharField(source="get_state_display", read_only=True)
    current_step = StepSerializer(read_only=True)
    campaign_code = serializers.CharField(source="campaign.code", read_only=True, allow_null=True, default=None)
    regions = serializers.SerializerMethodField()
    duplicate_count = serializers.SerializerMethodField()
    reviewer_count = serializers.IntegerField(read_only=True, default=0)
    scorecard_count = serializers.IntegerField(read_only=True, default=0)
    document_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Application
        fields = [
            "id", "legal_name", "credit_code", "partner_type", "regions", "state", "state_display", "current_step",
            "plan", "campaign", "campaign_code", "source", "contact_name", "contact_email", "language",
            "has_duplicates", "duplicate_count", "reviewer_count", "scorecard_count", "document_count",
            "submitted_at", "qualified_at", "decided_at", "partner", "created_at",
        ]
        read_only_fields = fields

    def get_regions(self, application) -> list[int]:
        return [region.pk for region in application.regions.all()]

    def get_duplicate_count(self, application) -> int:
        return len(application.duplicate_flags or [])


class ApplicationWriteSerializer(serializers.ModelSerializer):
    """What an applicant, an integration or staff send: company, contact, regions, campaign."""

    regions = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all(), many=True, required=False)
    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.all(), allow_null=True, required=False)
    campaign_code = serializers.CharField(required=False, allow_blank=True, write_only=True,
                                          help_text=_("Alternatively, the campaign's code (e.g. EXPO2026)."))
    plan = serializers.PrimaryKeyRelatedField(queryset=RecruitmentPlan.objects.all(), allow_null=True,
                                              required=False)

    class Meta:
        model = Application
        fields = [
            "legal_name", "credit_code", "registered_capital", "founding_year", "staff_count", "website", "address",
            "partner_type", "regions", "experience", "brands_carried", "references", "contact_name",
            "contact_title", "contact_email", "contact_phone", "language", "plan", "campaign", "campaign_code",
        ]
        validators: list = []

    def validate_credit_code(self, value: str) -> str:
        return normalise_credit_code(value)

    def validate(self, attrs):
        code = attrs.pop("campaign_code", "")
        if code:
            campaign = selectors.campaign_by_code(code)
            if campaign is None:
                raise serializers.ValidationError({"campaign_code": _("No campaign has this code.")})
            attrs["campaign"] = campaign
        return attrs


class DuplicateFlagSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField()
    name = serializers.CharField()
    credit_code = serializers.CharField(allow_blank=True, allow_null=True)
    state = serializers.CharField()
    match = serializers.CharField()
    ratio = serializers.CharField()


class ReviewerScoreSerializer(serializers.Serializer):
    reviewer_id = serializers.IntegerField()
    reviewer = serializers.CharField()
    total = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    below_threshold = serializers.ListField(child=serializers.IntegerField())


class CriterionScoreSerializer(serializers.Serializer):
    criterion_id = serializers.IntegerField()
    name = serializers.CharField()
    category = serializers.CharField()
    weight = serializers.DecimalField(max_digits=6, decimal_places=2)
    scale_max = serializers.IntegerField()
    knockout_threshold = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    average = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    spread = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    knocked_out = serializers.BooleanField()
    below_threshold = serializers.ListField(child=serializers.IntegerField())


class ScoreSummarySerializer(serializers.Serializer):
    """Weighted totals per reviewer, their average, per-criterion spread, knock-outs."""

    reviewers = ReviewerScoreSerializer(many=True)
    criteria = CriterionScoreSerializer(many=True)
    average_total = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    knocked_out = serializers.BooleanField()
    knockout_criteria = serializers.ListField(child=serializers.CharField())
    max_spread_criterion = serializers.CharField(allow_null=True)
    hidden = serializers.BooleanField(help_text=_("True while you, an assigned reviewer, have not scored yet."))


class DecisionSerializer(serializers.ModelSerializer):
    step = StepSerializer(read_only=True)
    actor_name = serializers.CharField(source="actor", read_only=True, allow_null=True)

    class Meta:
        model = ApprovalDecision
        fields = ["id", "step", "decision", "return_to", "comment", "actor", "actor_name", "created_at"]


class ApplicationDetailSerializer(ApplicationSerializer):
    """One application with everything a reviewer needs: flags, scores summary, decisions, next moves."""

    duplicate_flags = DuplicateFlagSerializer(many=True, read_only=True)
    score_summary = serializers.SerializerMethodField()
    decisions = DecisionSerializer(many=True, read_only=True)
    allowed_transitions = serializers.SerializerMethodField()

    class Meta(ApplicationSerializer.Meta):
        fields = [
            *ApplicationSerializer.Meta.fields, "registered_capital", "founding_year", "staff_count", "website",
            "address", "experience", "brands_carried", "references", "contact_title", "contact_phone",
            "duplicate_flags", "score_summary", "decisions", "allowed_transitions", "scorecard_template",
        ]
        read_only_fields = fields

    def get_score_summary(self, application) -> dict:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        visible = user is None or selectors.can_see_all_scores(application=application, user=user)
        cards = selectors.visible_scorecards(application=application, user=user) if user else None
        summary = selectors.score_summary(application=application, scorecards=cards)
        data = ScoreSummarySerializer(
            {**summary.__dict__, "hidden": not visible}
        ).data
        return data

    def get_allowed_transitions(self, application) -> list[str]:
        return [
            state for state in APPLICATION_WORKFLOW.targets(application.state)
            if (application.state, state) not in DECISION_ONLY
        ]


class ApplicationTransitionSerializer(ReasonMixin):
    to_state = serializers.ChoiceField(choices=APPLICATION_WORKFLOW.states.choices, label=_("to state"))


class AssignReviewersSerializer(serializers.Serializer):
    reviewers = serializers.PrimaryKeyRelatedField(queryset=selectors.staff_users(), many=True, allow_empty=False)


class ScoreReadSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(source="criterion_id")
    criterion_name = serializers.CharField(source="criterion.name")
    value = serializers.DecimalField(max_digits=5, decimal_places=2)
    weight = serializers.DecimalField(max_digits=6, decimal_places=2)
    scale_max = serializers.IntegerField()


class ScorecardSerializer(serializers.ModelSerializer):
    reviewer_name = serializers.CharField(source="reviewer", read_only=True)
    scores = ScoreReadSerializer(many=True, read_only=True)

    class Meta:
        model = Scorecard
        fields = ["id", "reviewer", "reviewer_name", "comment", "submitted_at", "scores"]


class ScorecardSubmitSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.DecimalField(max_digits=5, decimal_places=2), allow_empty=False,
        help_text=_("Criterion id → score, e.g. {\"12\": 4, \"13\": 3.5}."),
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class DecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    return_to = serializers.ChoiceField(choices=ReturnTarget.choices, required=False, default=ReturnTarget.SCORING)
    step = serializers.PrimaryKeyRelatedField(
        queryset=ApprovalStep.objects.all(), required=False, allow_null=True,
        help_text=_("The step you are deciding (optional): refused with 409 if the application has moved on."),
    )


class MessageSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author", read_only=True, allow_null=True)
    reply_to = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = ApplicationMessage
        fields = ["id", "sender", "author", "author_name", "body", "reply_to", "created_at"]
        read_only_fields = ["sender", "author", "created_at"]


class DocumentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationDocument
        fields = ["id", "kind", "original_name", "content_type", "size", "uploaded_at", "partner", "download_url"]

    def get_download_url(self, document) -> str | None:
        try:
            return reverse(DOCUMENT_DOWNLOAD_URL_NAME, kwargs={"pk": document.pk})
        except NoReverseMatch:
            return None


class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField()


# --------------------------------------------------------------------------- onboarding


class OnboardingTaskSerializer(serializers.ModelSerializer):
    partner_name = serializers.CharField(source="partner", read_only=True)
    done_by_name = serializers.CharField(source="done_by", read_only=True, allow_null=True)
    is_done = serializers.BooleanField(read_only=True)

    class Meta:
        model = OnboardingTask
        fields = ["id", "partner", "partner_name", "application", "key", "name", "description", "required",
                  "order", "is_done", "done_at", "done_by", "done_by_name", "done_source", "note"]
        read_only_fields = fields


class OnboardingCompleteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class PartnerActivateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, label=_("reason"))


class ReportColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class ReportSerializer(serializers.Serializer):
    """A report table: its columns and rows (each row keyed by the column keys) and a total row."""

    report = serializers.CharField()
    by = serializers.CharField()
    title = serializers.CharField()
    columns = ReportColumnSerializer(many=True)
    rows = serializers.ListField(child=serializers.DictField())
    total = serializers.DictField(allow_null=True)
    notes = serializers.ListField(child=serializers.CharField())
