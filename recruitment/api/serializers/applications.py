"""Applications in the API: lists and details, writes, scores, decisions, messages, documents."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from channelhub.partners.models import Region
from channelhub.partners.validators import normalise_credit_code

from ... import selectors
from ...models import (
    Application,
    ApplicationDocument,
    ApplicationMessage,
    ApprovalDecision,
    ApprovalStep,
    Campaign,
    Decision,
    DocumentKind,
    RecruitmentPlan,
    ReturnTarget,
    Scorecard,
)
from ...workflow import APPLICATION_WORKFLOW, DECISION_ONLY
from ._common import DOCUMENT_DOWNLOAD_URL_NAME, ReasonMixin


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


# Named apart: another chapter has a serializer of the same class name in the schema.
@extend_schema_serializer(component_name="ApplicationMessage")
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
