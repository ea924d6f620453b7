"""Shapes of training resources in the API (LMS and HR integrations). Rules live in the services.

An attempt's questions are served with their options' text only: whether an option is correct
never leaves the server, before or after submission (the score and pass/fail do).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from channelhub.tenancy.models import Membership, User

from ..models import (
    Assessment,
    Attempt,
    Certificate,
    Course,
    Enrolment,
    PlanState,
    Session,
    TrainingPlan,
)


def _members():
    return User.objects.filter(pk__in=Membership.objects.filter(is_active=True).values("user_id"))


class CourseSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    delivery_display = serializers.CharField(source="get_delivery_display", read_only=True)

    class Meta:
        model = Course
        fields = ["id", "code", "title", "kind", "kind_display", "delivery", "delivery_display", "description",
                  "content", "video_url", "duration_hours", "is_published", "created_at"]
        read_only_fields = ["created_at"]


class TrainingPlanSerializer(serializers.ModelSerializer):
    partner_types = serializers.ListField(child=serializers.CharField(max_length=32), required=False,
                                          help_text=_("Partner types in the audience (distributor, reseller…)."))
    tiers = serializers.ListField(child=serializers.CharField(max_length=32), required=False,
                                  help_text=_("Tier codes in the audience (the tenant's tiers, e.g. gold)."))
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    session_count = serializers.IntegerField(read_only=True)
    enrolment_count = serializers.IntegerField(read_only=True)
    attended_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = TrainingPlan
        fields = ["id", "name", "goals", "starts_on", "ends_on", "partner_types", "tiers", "include_channel_staff",
                  "self_enrolment", "state", "state_display", "state_changed_at", "session_count", "enrolment_count",
                  "attended_count", "created_at"]
        read_only_fields = ["state", "state_changed_at", "created_at"]


# Named apart: another chapter has a serializer of the same class name in the schema.
@extend_schema_serializer(component_name="TrainingPlanTransition")
class PlanTransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=PlanState.choices, label=_("to state"))
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class GenerateSerializer(serializers.Serializer):
    on_site_courses = serializers.PrimaryKeyRelatedField(queryset=Course.objects.all(), many=True)
    online_courses = serializers.PrimaryKeyRelatedField(queryset=Course.objects.all(), many=True)
    location = serializers.CharField(max_length=300)
    online_url = serializers.URLField(max_length=200)
    on_site_days = serializers.IntegerField(min_value=1, max_value=5, default=2)
    online_per_week = serializers.IntegerField(min_value=1, max_value=3, default=1)
    capacity = serializers.IntegerField(min_value=1, max_value=10000, default=30)


class CountsSerializer(serializers.Serializer):
    enrolled = serializers.IntegerField()
    waitlisted = serializers.IntegerField()
    skipped = serializers.IntegerField()


class SalesMonthSerializer(serializers.Serializer):
    month = serializers.DateField(help_text=_("First day of the month."))
    trained = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True,
                                       help_text=_("Average sales (CNY) per trained partner with figures."))
    trained_partners = serializers.IntegerField()
    untrained = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    untrained_partners = serializers.IntegerField()


class PlanReportSerializer(serializers.Serializer):
    trainees = serializers.IntegerField()
    seated = serializers.IntegerField()
    attended = serializers.IntegerField()
    absent = serializers.IntegerField()
    attendance_rate = serializers.FloatField(allow_null=True)
    pass_rate = serializers.FloatField(allow_null=True)
    pre_average = serializers.FloatField(allow_null=True)
    post_average = serializers.FloatField(allow_null=True)
    score_gain = serializers.FloatField(allow_null=True)
    certified_ratio = serializers.FloatField(allow_null=True)
    satisfaction = serializers.FloatField(allow_null=True)
    sales_data = serializers.BooleanField(source="sales.has_data")
    sales_message = serializers.CharField(source="sales.message")
    sales_trained = serializers.DecimalField(source="sales.trained", max_digits=20, decimal_places=2, allow_null=True)
    sales_untrained = serializers.DecimalField(source="sales.untrained", max_digits=20, decimal_places=2,
                                               allow_null=True)
    sales_months = SalesMonthSerializer(source="sales.months", many=True)


class SessionSerializer(serializers.ModelSerializer):
    plan = serializers.PrimaryKeyRelatedField(queryset=TrainingPlan.objects.all(), allow_null=True, required=False)
    course = serializers.PrimaryKeyRelatedField(queryset=Course.objects.all())
    course_title = serializers.CharField(source="course.title", read_only=True)
    seated_count = serializers.IntegerField(read_only=True)
    waitlist_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Session
        fields = ["id", "plan", "course", "course_title", "title", "format", "location", "online_url", "starts_at",
                  "ends_at", "capacity", "is_cancelled", "seated_count", "waitlist_count"]


class AttendanceSerializer(serializers.Serializer):
    marks = serializers.DictField(child=serializers.ChoiceField(choices=["attended", "absent"]),
                                  help_text=_("Enrolment id → attended or absent."))

    def validate_marks(self, value):
        try:
            return {int(key): mark for key, mark in value.items()}
        except (TypeError, ValueError):
            raise serializers.ValidationError(_("Keys are enrolment ids.")) from None


class EnrolmentSerializer(serializers.ModelSerializer):
    session = serializers.PrimaryKeyRelatedField(queryset=Session.objects.all())
    trainee = serializers.PrimaryKeyRelatedField(queryset=_members())
    trainee_name = serializers.CharField(source="trainee", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Enrolment
        fields = ["id", "session", "trainee", "trainee_name", "partner", "state", "state_display",
                  "waitlist_position", "created_at"]
        read_only_fields = ["partner", "state", "waitlist_position", "created_at"]


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class CertificateSerializer(serializers.ModelSerializer):
    certification_name = serializers.CharField(source="certification.name", read_only=True)
    holder_name = serializers.CharField(source="holder", read_only=True)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Certificate
        fields = ["id", "number", "certification", "certification_name", "holder", "holder_name", "partner",
                  "issued_on", "expires_on", "status", "verification_code", "is_external", "revoked_at",
                  "revoke_reason"]
        read_only_fields = fields


class AttemptSerializer(serializers.ModelSerializer):
    assessment = serializers.PrimaryKeyRelatedField(queryset=Assessment.objects.all())
    assessment_title = serializers.CharField(source="assessment.title", read_only=True)
    seconds_left = serializers.SerializerMethodField()

    class Meta:
        model = Attempt
        fields = ["id", "assessment", "assessment_title", "trainee", "partner", "number", "state", "started_at",
                  "deadline", "seconds_left", "submitted_at", "score", "max_score", "percent", "passed"]
        read_only_fields = ["trainee", "partner", "number", "state", "started_at", "deadline", "submitted_at",
                            "score", "max_score", "percent", "passed"]

    def get_seconds_left(self, attempt) -> int | None:
        from django.utils import timezone

        if attempt.state != "in_progress":
            return None
        return max(0, int((attempt.deadline - timezone.now()).total_seconds()))


class OptionSerializer(serializers.Serializer):
    """An option as the trainee sees it: its id and text, never whether it is correct."""

    id = serializers.IntegerField()
    text = serializers.CharField()


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    text = serializers.CharField()
    points = serializers.IntegerField()
    options = serializers.SerializerMethodField()

    def get_options(self, question) -> list[dict]:
        return OptionSerializer(list(question.choices.all()), many=True).data


class SubmitSerializer(serializers.Serializer):
    answers = serializers.DictField(child=serializers.ListField(child=serializers.IntegerField(), max_length=20),
                                    help_text=_("Question id → the chosen option ids."))


