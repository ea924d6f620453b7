"""The recruitment reports' figures, read from the ``RecruitmentReportFigure`` rollup.

The hourly job ``recruitment.report_rollup`` rewrites the rollup (``report_figures_refresh``)
with the report selectors of ``reports.py`` — the funnel by plan, campaign, sales area and
partner type and its total, time to decision by outcome, partner type and month, the reviewer
workload — so their set-based queries run once an hour per tenant, not per page view. A page,
an API answer or an export reads one report's rows (``report_figures``: one query) and the
names of what it groups by (one small query over plans, campaigns, top-level sales areas or
reviewers), so labels come out in the reader's language; nothing reads the applications,
assignments or scorecards. A tenant the job has not reached yet is computed once on first view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from channelhub.partners.models import PartnerType, Region
from channelhub.tenancy.models import User

from ..models import ApplicationState, Campaign, RecruitmentPlan, RecruitmentReportFigure
from .reports import (
    DECISION_GROUPS,
    FUNNEL_GROUPS,
    DecisionRow,
    FunnelRow,
    WorkloadRow,
    funnel,
    funnel_total,
    reviewer_workload,
    time_to_decision,
)

Report = RecruitmentReportFigure.Report
TOTAL = RecruitmentReportFigure.TOTAL
GROUPINGS = {
    Report.FUNNEL: FUNNEL_GROUPS,
    Report.TIME_TO_DECISION: DECISION_GROUPS,
    Report.REVIEWER_WORKLOAD: ("reviewer",),
}
_FUNNEL_FIGURES = ("applications", "qualified", "approved", "active", "cost")
_DECISION_FIGURES = ("decided", "approved", "rejected", "average_days", "median_days", "fastest_days",
                     "slowest_days")
_FIGURES = ("applications", "qualified", "approved", "active", "cost", "decided", "rejected", "average_days",
            "median_days", "fastest_days", "slowest_days", "assigned", "scored", "pending")


# --------------------------------------------------------------------------- the rollup (the job)


def report_figures_refresh(*, computed_at: datetime) -> int:
    """Rewrite the current tenant's report figures from the report selectors; return how many rows.

    Runs the selectors' grouped queries (a few per report), in the job, not per page view; months
    of decision in the active time zone (the job sets the tenant's). One row per (report,
    grouping, key): a re-run replaces the numbers and ``computed_at``, and a key the selectors no
    longer give (a plan deleted, a reviewer without assignments) is deleted.
    """
    rows: list[RecruitmentReportFigure] = []

    def add(report: str, by: str, key: str, row: Any, figures: tuple[str, ...]) -> None:
        values = {name: getattr(row, name) for name in figures}
        rows.append(RecruitmentReportFigure(report=report, by=by, key=key, computed_at=computed_at, **values))

    for by in FUNNEL_GROUPS:
        for row in funnel(by=by):
            add(Report.FUNNEL, by, row.key, row, _FUNNEL_FIGURES)
    add(Report.FUNNEL, TOTAL, TOTAL, funnel_total([]), _FUNNEL_FIGURES)
    for by in DECISION_GROUPS:
        for row in time_to_decision(by=by):
            if by == "outcome" and row.key == "all":  # all decisions: the report's total
                add(Report.TIME_TO_DECISION, TOTAL, TOTAL, row, _DECISION_FIGURES)
            else:
                add(Report.TIME_TO_DECISION, by, row.key, row, _DECISION_FIGURES)
    workload = reviewer_workload()
    for row in workload:
        rows.append(RecruitmentReportFigure(
            report=Report.REVIEWER_WORKLOAD, by="reviewer", key=row.key, assigned=row.assigned, scored=row.scored,
            pending=row.pending, average_days=row.average_days_to_score, computed_at=computed_at,
        ))
    rows.append(RecruitmentReportFigure(
        report=Report.REVIEWER_WORKLOAD, by=TOTAL, key=TOTAL, assigned=sum(row.assigned for row in workload),
        scored=sum(row.scored for row in workload), pending=sum(row.pending for row in workload),
        computed_at=computed_at,
    ))
    with transaction.atomic():
        RecruitmentReportFigure.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["tenant", "report", "by", "key"],
            update_fields=[*_FIGURES, "computed_at"],
        )
        # Every key of this run now carries its ``computed_at``: the rest vanished from the data.
        RecruitmentReportFigure.objects.exclude(computed_at=computed_at).delete()
    return len(rows)


# --------------------------------------------------------------------------- reading a report


@dataclass(frozen=True)
class ReportFigures:
    """One report as last computed: its rows and total, labelled in the active language."""

    rows: list  # FunnelRow, DecisionRow or WorkloadRow, in the report's order
    total: Any  # the same kind of row: all applications, all decisions, all reviewers
    computed_at: datetime


def report_figures(*, report: str, by: str) -> ReportFigures:
    """The ``report`` grouped ``by``, from the rollup (computed once now if the tenant has none yet).

    Two queries: the report's rows and its total, then the names of the plans, campaigns, top-level
    sales areas or reviewers it lists (none for partner types, outcomes and months).
    """
    if by not in GROUPINGS.get(report, ()):
        raise ValueError(f"unknown report {report!r} by {by!r}")
    stored = _stored(report, by)
    if not any(figure.by == TOTAL for figure in stored):
        # A tenant the job has not reached yet: compute once now, then the job keeps it fresh.
        report_figures_refresh(computed_at=timezone.now())
        stored = _stored(report, by)
    total = next(figure for figure in stored if figure.by == TOTAL)
    rows, total_row = _READERS[report](by, [figure for figure in stored if figure.by == by], total)
    return ReportFigures(rows=rows, total=total_row, computed_at=total.computed_at)


def _stored(report: str, by: str) -> list[RecruitmentReportFigure]:
    return list(RecruitmentReportFigure.objects.filter(report=report, by__in=(by, TOTAL)))


def _funnel_row(figure: RecruitmentReportFigure, label: str) -> FunnelRow:
    return FunnelRow(key=figure.key, label=label, **{name: getattr(figure, name) for name in _FUNNEL_FIGURES})


def _named(figures: list[RecruitmentReportFigure], names: list[tuple[str, str]]) -> list[tuple[Any, str]]:
    """``figures`` with their labels, in the order of ``names`` ((key, label) as the database lists
    them); a key no longer there (deleted since the run) keeps its numbers under ``#key``, last."""
    position = {key: index for index, (key, _label) in enumerate(names)}
    labels = dict(names)
    ordered = sorted(figures, key=lambda figure: (position.get(figure.key, len(position)), figure.key))
    return [(figure, labels.get(figure.key, f"#{figure.key}")) for figure in ordered]


def _funnel(by: str, figures: list[RecruitmentReportFigure], total: RecruitmentReportFigure):
    if by == "partner_type":
        labels = dict(PartnerType.choices)
        rows = [_funnel_row(figure, str(labels.get(figure.key, figure.key))) for figure in figures]
        rows.sort(key=lambda row: (-row.applications, row.label))
    elif by == "region":
        areas = (Region.objects.filter(parent__isnull=True, code__in=[figure.key for figure in figures])
                 .order_by("path").only("code", "name", "name_en", "path"))
        rows = [_funnel_row(figure, label)
                for figure, label in _named(figures, [(area.code, area.display_name) for area in areas])]
    else:
        ids = [int(figure.key) for figure in figures if figure.key.isdigit()]
        if by == "plan":
            names = [(str(pk), name) for pk, name in RecruitmentPlan.objects.filter(pk__in=ids)
                     .order_by("-start_date", "name").values_list("pk", "name")]
            none_label = _("No plan")
        else:
            names = [(str(pk), f"{name} ({code})") for pk, name, code in Campaign.objects.filter(pk__in=ids)
                     .order_by("-start_date", "name").values_list("pk", "name", "code")]
            none_label = _("No campaign")
        rows = [_funnel_row(figure, label) for figure, label in _named([f for f in figures if f.key], names)]
        rows += [_funnel_row(figure, none_label) for figure in figures if not figure.key]
    return rows, _funnel_row(total, _("All applications"))


def _decision_row(figure: RecruitmentReportFigure, label: str, key: str | None = None) -> DecisionRow:
    return DecisionRow(key=key or figure.key, label=label,
                       **{name: getattr(figure, name) for name in _DECISION_FIGURES})


def _month(key: str) -> str:
    year, month = key.split("-")
    return date_format(date(int(year), int(month), 1), "YEAR_MONTH_FORMAT")


def _decisions(by: str, figures: list[RecruitmentReportFigure], total: RecruitmentReportFigure):
    everything = _decision_row(total, _("All decisions"), key="all")
    if by == "outcome":
        labels = dict(ApplicationState.choices)
        kept = {figure.key: figure for figure in figures}
        rows = [_decision_row(kept[state], str(labels[state]))
                for state in (ApplicationState.APPROVED, ApplicationState.REJECTED) if state in kept]
        return [*rows, everything], everything
    if by == "partner_type":
        types = dict(PartnerType.choices)

        def label(key: str) -> str:
            return str(types.get(key, key))
    else:
        label = _month
    return [_decision_row(figure, label(figure.key)) for figure in sorted(figures, key=lambda f: f.key)], everything


def _workload_row(figure: RecruitmentReportFigure, label: str) -> WorkloadRow:
    return WorkloadRow(key=figure.key, label=label, assigned=figure.assigned, scored=figure.scored,
                       pending=figure.pending, average_days_to_score=figure.average_days)


def _workload(by: str, figures: list[RecruitmentReportFigure], total: RecruitmentReportFigure):
    people = {str(user.pk): user.get_full_name() or user.username
              for user in User.objects.filter(pk__in=[int(f.key) for f in figures if f.key.isdigit()])}
    rows = [_workload_row(figure, people.get(figure.key, figure.key)) for figure in figures]
    rows.sort(key=lambda row: (-row.pending, -row.assigned, row.label))
    return rows, _workload_row(total, _("All reviewers"))


_READERS = {
    Report.FUNNEL: _funnel,
    Report.TIME_TO_DECISION: _decisions,
    Report.REVIEWER_WORKLOAD: _workload,
}
