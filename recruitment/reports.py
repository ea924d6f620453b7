"""Recruitment reports: the funnel, time to decision and reviewer workload, as tables.

One ``Table`` per report, built from the reports' rollup (``selectors.report_figures``: the
figures the hourly job ``recruitment.report_rollup`` computed, two queries, none over the
applications) with the time they were computed. The admin page draws it (with CSS bars from
``chart``), the API returns ``as_dict()``, and both export the same dictionary as CSV or XLSX
(``to_csv`` / ``to_xlsx``): the file has exactly the rows and columns the page shows, total row
included, and a last column saying when the figures were computed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from channelhub import exports

from . import selectors

REPORTS = {
    "funnel": gettext_lazy("Recruitment funnel"),
    "time-to-decision": gettext_lazy("Time to decision"),
    "reviewer-workload": gettext_lazy("Reviewer workload"),
}
GROUPINGS = {
    "funnel": {
        "plan": gettext_lazy("by plan"), "campaign": gettext_lazy("by campaign"),
        "region": gettext_lazy("by sales area"), "partner_type": gettext_lazy("by partner type"),
    },
    "time-to-decision": {
        "outcome": gettext_lazy("by outcome"), "partner_type": gettext_lazy("by partner type"),
        "month": gettext_lazy("by month"),
    },
    "reviewer-workload": {"reviewer": gettext_lazy("by reviewer")},
}
EXPORT_FORMATS = ("csv", "xlsx")


class UnknownReport(ValueError):
    """A report or grouping name that does not exist (400 in the API, 404 in the admin)."""


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = True


@dataclass(frozen=True)
class Segment:
    """One bar of a chart row: its share of the chart's largest value, in percent."""

    css: str
    label: str
    value: Any
    percent: float


@dataclass
class Table:
    report: str
    by: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    total: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)
    chart: list[tuple[str, list[Segment]]] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (css, label)
    computed_at: datetime | None = None  # when the job (or a first view) computed the figures

    def as_dict(self) -> dict[str, Any]:
        return {
            "report": self.report,
            "by": self.by,
            "title": self.title,
            "columns": [{"key": c.key, "label": c.label} for c in self.columns],
            "rows": self.rows,
            "total": self.total,
            "notes": self.notes,
            # ISO 8601 in the tenant's time zone (the files carry it as a column of its own).
            "computed_at": timezone.localtime(self.computed_at).isoformat() if self.computed_at else None,
        }

    @property
    def body(self) -> list[list[tuple[Any, bool]]]:
        """Rows as (value, numeric) cells in column order, for templates."""
        return [[(row.get(c.key), c.numeric) for c in self.columns] for row in self.rows]

    @property
    def footer(self) -> list[tuple[Any, bool]]:
        return [(self.total.get(c.key), c.numeric) for c in self.columns] if self.total else []

    def filename(self, extension: str) -> str:
        return export_filename(self.report, self.by, extension)


def export_filename(report: str, by: str, extension: str) -> str:
    """E.g. ``recruitment-funnel-by-campaign-2026-11-26.xlsx`` (the tenant's date)."""
    return f"recruitment-{slugify(report)}-by-{slugify(by)}-{timezone.localdate().isoformat()}.{extension}"


def build(report: str, by: str | None = None) -> Table:
    """The named report, grouped ``by`` (its first grouping when not given)."""
    if report not in REPORTS:
        raise UnknownReport(_("Unknown report “%(name)s”.") % {"name": report})
    by = by or next(iter(GROUPINGS[report]))
    if by not in GROUPINGS[report]:
        raise UnknownReport(
            _("“%(by)s” is not a grouping of this report; use one of: %(choices)s.")
            % {"by": by, "choices": ", ".join(GROUPINGS[report])}
        )
    return BUILDERS[report](by)


def _title(report: str, by: str) -> str:
    return f"{REPORTS[report]} · {GROUPINGS[report][by]}"


def _chart(rows: Sequence[dict], label_key: str, series: Sequence[tuple[str, str, str]]) -> list:
    """Bars per row for ``series`` (key, css, label), scaled to the largest value of the chart."""
    top = max((float(row[key] or 0) for row in rows for key, _css, _label in series), default=0) or 1
    return [
        (str(row[label_key]), [
            Segment(css, str(label), row[key], round(100 * float(row[key] or 0) / top, 1))
            for key, css, label in series
        ])
        for row in rows
    ]


# --------------------------------------------------------------------------- the three reports


def funnel_table(by: str) -> Table:
    figures = selectors.report_figures(report="funnel", by=by)
    rows, total = figures.rows, figures.total
    with_cost = by in ("plan", "campaign")
    columns = [
        Column("label", _group_label(by), numeric=False),
        Column("applications", _("Applications")),
        Column("qualified", _("Qualified")),
        Column("approved", _("Approved")),
        Column("active", _("Active partners")),
        Column("approval_rate", _("Approval rate (%)")),
    ]
    if with_cost:
        columns += [Column("cost", _("Cost (CNY)")), Column("cost_per_approved", _("Cost per approved (CNY)"))]

    def as_row(row) -> dict:
        data = {
            "label": row.label, "applications": row.applications, "qualified": row.qualified,
            "approved": row.approved, "active": row.active, "approval_rate": row.approval_rate,
        }
        if with_cost:
            data.update(cost=row.cost, cost_per_approved=row.cost_per_approved)
        return data

    table_rows = [as_row(row) for row in rows]
    total_row = as_row(total)
    if with_cost:
        total_row["cost"] = sum((row.cost or Decimal("0")) for row in rows)
        total_row["cost_per_approved"] = (
            (total_row["cost"] / total.approved).quantize(Decimal("0.01")) if total.approved else None
        )
    notes = [_("Applications: submitted (drafts are not counted). Qualified: passed screening. "
               "Active partners: approved applications whose partner is active now.")]
    if by == "region":
        notes.append(_("An application that wants regions in several sales areas counts in each of them; "
                       "the total counts it once."))
    series = [("applications", "s1", _("Applications")), ("qualified", "s2", _("Qualified")),
              ("approved", "s3", _("Approved")), ("active", "s4", _("Active partners"))]
    return Table(
        report="funnel", by=by, title=_title("funnel", by), columns=columns, rows=table_rows, total=total_row,
        notes=notes, chart=_chart(table_rows, "label", series), legend=[(css, str(lbl)) for _k, css, lbl in series],
        computed_at=figures.computed_at,
    )


def _group_label(by: str) -> str:
    return {
        "plan": _("Plan"), "campaign": _("Campaign"), "region": _("Sales area"), "partner_type": _("Partner type"),
        "outcome": _("Outcome"), "month": _("Month of decision"), "reviewer": _("Reviewer"),
    }[by]


def decision_table(by: str) -> Table:
    figures = selectors.report_figures(report="time-to-decision", by=by)
    rows = figures.rows
    columns = [
        Column("label", _group_label(by), numeric=False),
        Column("decided", _("Decisions")),
        Column("approved", _("Approved")),
        Column("rejected", _("Rejected")),
        Column("average_days", _("Average days")),
        Column("median_days", _("Median days")),
        Column("fastest_days", _("Fastest (days)")),
        Column("slowest_days", _("Slowest (days)")),
    ]
    table_rows = [
        {"label": row.label, "decided": row.decided, "approved": row.approved, "rejected": row.rejected,
         "average_days": row.average_days, "median_days": row.median_days, "fastest_days": row.fastest_days,
         "slowest_days": row.slowest_days}
        for row in rows
    ]
    series = [("median_days", "s2", _("Median days")), ("average_days", "s1", _("Average days"))]
    return Table(
        report="time-to-decision", by=by, title=_title("time-to-decision", by), columns=columns, rows=table_rows,
        notes=[_("From submission to approval or rejection; withdrawn applications are not decisions.")],
        chart=_chart(table_rows, "label", series), legend=[(css, str(lbl)) for _k, css, lbl in series],
        computed_at=figures.computed_at,
    )


def workload_table(by: str) -> Table:
    figures = selectors.report_figures(report="reviewer-workload", by=by)
    rows, all_reviewers = figures.rows, figures.total
    columns = [
        Column("label", _group_label(by), numeric=False),
        Column("assigned", _("Assigned")),
        Column("scored", _("Scored")),
        Column("pending", _("Pending")),
        Column("average_days_to_score", _("Average days to score")),
    ]
    table_rows = [
        {"label": row.label, "assigned": row.assigned, "scored": row.scored, "pending": row.pending,
         "average_days_to_score": row.average_days_to_score}
        for row in rows
    ]
    total = {
        "label": all_reviewers.label, "assigned": all_reviewers.assigned, "scored": all_reviewers.scored,
        "pending": all_reviewers.pending, "average_days_to_score": None,
    }
    series = [("scored", "s3", _("Scored")), ("pending", "s5", _("Pending"))]
    return Table(
        report="reviewer-workload", by=by, title=_title("reviewer-workload", by), columns=columns,
        rows=table_rows, total=total,
        notes=[_("Pending: assigned, not yet scored, and the application is in scoring. Days to score: from "
                 "the assignment to the scorecard.")],
        chart=_chart(table_rows, "label", series), legend=[(css, str(lbl)) for _k, css, lbl in series],
        computed_at=figures.computed_at,
    )


BUILDERS: dict[str, Callable[[str], Table]] = {
    "funnel": funnel_table,
    "time-to-decision": decision_table,
    "reviewer-workload": workload_table,
}


# --------------------------------------------------------------------------- files


def _cell(value) -> Any:
    if value is None:
        return ""
    return value


def _lines(data: dict[str, Any]) -> list[list[Any]]:
    keys = [column["key"] for column in data["columns"]]
    lines = [[column["label"] for column in data["columns"]]]
    lines += [[_cell(row.get(key)) for key in keys] for row in data["rows"]]
    if data.get("total"):
        lines.append([_cell(data["total"].get(key)) for key in keys])
    if data.get("computed_at"):
        # When the figures were computed, on every line: a file read on its own still says it.
        lines[0].append(_("Computed at"))
        for line in lines[1:]:
            line.append(data["computed_at"])
    return lines


def to_csv(data: dict[str, Any]) -> bytes:
    """UTF-8 with a byte-order mark; text cells neutralised (``channelhub.exports``)."""
    lines = _lines(data)
    return exports.write_csv(lines[1:], lines[0])


def to_xlsx(data: dict[str, Any]) -> bytes:
    """Header and total rows in bold; text cells are string cells, never formulas."""
    lines = _lines(data)
    return exports.write_xlsx(
        lines[1:], lines[0], title=str(data.get("report", "report")),
        bold_last_row=bool(data.get("total")), freeze="B2",
    )


CONTENT_TYPES = exports.CONTENT_TYPES


def export(data: dict[str, Any], extension: str) -> bytes:
    return to_csv(data) if extension == "csv" else to_xlsx(data)
