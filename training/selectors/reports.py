"""Effectiveness (第十七条): item analysis, the plan report and trained vs untrained sales."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from channelhub import kpi_inputs

from ..models import (
    SEATED,
    AssessmentStage,
    Attempt,
    AttemptState,
    Choice,
    Enrolment,
    EnrolmentState,
    Question,
    SessionFeedback,
    TrainingPlan,
)


def item_analysis(assessment) -> list[dict]:
    """Per question: how many graded attempts answered it and how many got it wrong, worst first."""
    questions = list(Question.objects.filter(assessment=assessment).order_by("order", "pk"))
    correct: dict[int, set[int]] = {q.pk: set() for q in questions}
    for question_id, choice_id in Choice.objects.filter(question__assessment=assessment, is_correct=True
                                                        ).values_list("question_id", "pk"):
        correct[question_id].add(choice_id)
    seen = {q.pk: 0 for q in questions}
    failed = {q.pk: 0 for q in questions}
    for order, answers in Attempt.objects.filter(assessment=assessment, state=AttemptState.GRADED
                                                 ).values_list("question_order", "answers"):
        for pk in order or []:
            if pk not in seen:
                continue
            seen[pk] += 1
            if set((answers or {}).get(str(pk), [])) != correct[pk]:
                failed[pk] += 1
    rows = [{"question": q, "answered": seen[q.pk], "failed": failed[q.pk],
             "fail_rate": round(100 * failed[q.pk] / seen[q.pk], 1) if seen[q.pk] else None} for q in questions]
    rows.sort(key=lambda row: (-(row["fail_rate"] or 0), row["question"].order))
    return rows


SALES_INPUT = "cooperation.sales_amount"


@dataclass(frozen=True)
class SalesMonth:
    month: datetime.date
    trained: Decimal | None  # average sales per trained partner with figures that month
    trained_partners: int
    untrained: Decimal | None
    untrained_partners: int
    trained_width: int = 0  # bar lengths (percent of the largest average shown)
    untrained_width: int = 0


@dataclass(frozen=True)
class SalesComparison:
    """Sales of trained vs untrained partners, month by month around a plan (when sales data exists)."""

    has_data: bool
    message: str
    trained: Decimal | None = None  # averages over the months after the plan started
    untrained: Decimal | None = None
    months: tuple[SalesMonth, ...] = ()


def _month_add(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.month - 1 + months, 12)
    return datetime.date(day.year + year, month + 1, 1)


def _average(values: list) -> Decimal | None:
    return (sum(Decimal(str(v)) for v in values) / len(values)).quantize(Decimal("0.01")) if values else None


def _width(value: Decimal | None, top: Decimal) -> int:
    return max(0, min(100, round(100 * value / top))) if value is not None and top > 0 else 0


def sales_of_trained_vs_untrained(plan: TrainingPlan, *, periods: int = 3) -> SalesComparison:
    """Average monthly sales per partner, trained vs untrained, from the month before the plan to
    ``periods`` months after it (up to the current month).

    Trained: partners with staff who attended a session of the plan. Untrained: every other
    partner with figures. The figures come from the sales KPI input another chapter offers
    (``channelhub.kpi_inputs``), never from an import; without it, or without figures, the
    answer is "no data yet" rather than a misleading zero.
    """
    no_data = SalesComparison(has_data=False, message=_("No sales data yet: the comparison appears once partners "
                                                        "report sales."))
    if SALES_INPUT not in kpi_inputs.kpi_inputs():
        return no_data
    trained_ids = set(Enrolment.objects.filter(session__plan=plan, state=EnrolmentState.ATTENDED,
                                               partner__isnull=False).values_list("partner_id", flat=True))
    if not trained_ids:
        return no_data
    first = _month_add(plan.starts_on.replace(day=1), -1)
    last = min(_month_add(plan.ends_on.replace(day=1), periods), timezone.localdate().replace(day=1))
    months, after_trained, after_untrained = [], [], []
    month = first
    while month <= last:
        figures = kpi_inputs.read(SALES_INPUT, plan.tenant, month)
        trained = [value for pk, value in figures.items() if pk in trained_ids]
        untrained = [value for pk, value in figures.items() if pk not in trained_ids]
        if trained or untrained:
            months.append(SalesMonth(month, _average(trained), len(trained), _average(untrained), len(untrained)))
            if month >= plan.starts_on.replace(day=1):
                after_trained += trained
                after_untrained += untrained
        month = _month_add(month, 1)
    if not months:
        return no_data
    top = max(value for row in months for value in (row.trained, row.untrained) if value is not None) or 1
    months = [dataclasses.replace(row, trained_width=_width(row.trained, top),
                                  untrained_width=_width(row.untrained, top)) for row in months]
    return SalesComparison(has_data=True, message="", trained=_average(after_trained),
                           untrained=_average(after_untrained), months=tuple(months))


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def plan_report(plan: TrainingPlan) -> dict:
    """What the plan achieved: attendance, pass rates, pre/post score gain, certified staff, satisfaction."""
    from .certificates import certified_staff_ratio

    enrolments = Enrolment.objects.filter(session__plan=plan)
    figures = enrolments.aggregate(
        seated=Count("pk", filter=Q(state__in=SEATED)),
        attended=Count("pk", filter=Q(state=EnrolmentState.ATTENDED)),
        absent=Count("pk", filter=Q(state=EnrolmentState.ABSENT)),
        waitlisted=Count("pk", filter=Q(state=EnrolmentState.WAITLISTED)),
        trainees=Count("trainee_id", distinct=True),
    )
    courses = plan.sessions.values("course_id")
    trainees = enrolments.values("trainee_id")
    attempts = Attempt.objects.filter(assessment__course_id__in=courses, trainee_id__in=trainees,
                                      state__in=(AttemptState.GRADED, AttemptState.EXPIRED))
    finals = attempts.filter(assessment__stage=AssessmentStage.FINAL).aggregate(
        total=Count("pk"), passed=Count("pk", filter=Q(passed=True)), average=Avg("percent"))
    pre = attempts.filter(assessment__stage=AssessmentStage.PRE).aggregate(average=Avg("percent"))["average"]
    post = finals["average"]
    satisfaction = SessionFeedback.objects.filter(enrolment__session__plan=plan).aggregate(
        average=Avg("rating"), count=Count("pk"))
    partner_ids = set(enrolments.filter(partner__isnull=False).values_list("partner_id", flat=True))
    # At the plan's end, or today while it runs (a future date would count certificates as expired).
    ratios = certified_staff_ratio(plan.tenant, min(plan.ends_on, timezone.localdate()))
    plan_ratios = [ratios[pk] for pk in partner_ids if pk in ratios]
    by_session = list(
        plan.sessions.annotate(
            seated=Count("enrolments", filter=Q(enrolments__state__in=SEATED)),
            attended=Count("enrolments", filter=Q(enrolments__state=EnrolmentState.ATTENDED)),
            rating=Avg("enrolments__feedback__rating"),
        ).select_related("course").order_by("starts_at"))
    return {
        "plan": plan,
        "seated": figures["seated"], "attended": figures["attended"], "absent": figures["absent"],
        "waitlisted": figures["waitlisted"], "trainees": figures["trainees"],
        "attendance_rate": _percent(figures["attended"], figures["attended"] + figures["absent"]),
        "attempts": finals["total"], "passed": finals["passed"],
        "pass_rate": _percent(finals["passed"], finals["total"]),
        "pre_average": round(float(pre), 1) if pre is not None else None,
        "post_average": round(float(post), 1) if post is not None else None,
        "score_gain": round(float(post) - float(pre), 1) if pre is not None and post is not None else None,
        "certified_ratio": round(100 * sum(plan_ratios) / len(plan_ratios), 1) if plan_ratios else None,
        "satisfaction": round(float(satisfaction["average"]), 2) if satisfaction["average"] is not None else None,
        "feedback_count": satisfaction["count"],
        "sessions": by_session,
        "sales": sales_of_trained_vs_untrained(plan),
    }


def attended_sessions_query(tenant, period):
    """Attendances per partner in sessions that started within ``period`` (a ``Period`` or a month's date):
    what channel cost and return multiplies by the training cost of a trainee-day."""
    from ..models import Enrolment, EnrolmentState

    if hasattr(period, "start") and hasattr(period, "end"):
        start, end = period.start, period.end
    else:
        first = period.replace(day=1)
        start = datetime.datetime.combine(first, datetime.time.min, tzinfo=timezone.get_current_timezone())
        end = datetime.datetime.combine(_month_add(first, 1), datetime.time.min,
                                        tzinfo=timezone.get_current_timezone())
    return (Enrolment.objects.filter(state=EnrolmentState.ATTENDED, partner__isnull=False,
                                     session__starts_at__gte=start, session__starts_at__lt=end)
            .values("partner_id").annotate(value=Count("pk")).values_list("partner_id", "value").order_by())
