"""The *KPI trends* page of the review cycles' admin: one KPI over the last six published reviews.

Choose a KPI, a dimension (partner type or sales area) and what to show (average 0–100 score or
average figure); the page draws the table (a row per type or area, a column per cycle), a line
chart of it and exports the same table as CSV/XLSX. It reads the ``KpiTrend`` rollup written at
publication: a constant number of queries whatever the number of partners. Every member of staff
reads it (the same people who read the results it sums up).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from channelhub import exports, kpi_inputs
from channelhub.admin.base import has_permission
from channelhub.admin.dashboard import Chart, Series

from .. import selectors
from ..models import Kpi, ScoreTrend
from ..permissions import RESULTS_VIEW

SCORE, FIGURE = "score", "figure"
MEASURES = ((SCORE, _("Average score (0–100)")), (FIGURE, _("Average figure")))


class KpiTrendForm(forms.Form):
    kpi = forms.ModelChoiceField(label=_("KPI"), queryset=Kpi.objects.none(), empty_label=None,
                                 error_messages={"invalid_choice": _("Choose a KPI of the catalogue.")})
    dimension = forms.ChoiceField(label=_("grouped by"), choices=ScoreTrend.Dimension.choices)
    measure = forms.ChoiceField(label=_("show"), choices=MEASURES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Set per request: a class-level queryset would be evaluated outside the tenant's scope.
        self.fields["kpi"].queryset = Kpi.objects.order_by("code")


def _value(cell, measure: str):
    if cell is None:
        return None
    return cell.average if measure == SCORE else cell.figure_average


class KpiTrendsMixin:
    """Adds ``kpi-trends/`` (``admin:evaluation_reviewcycle_kpi_trends``) to the review cycles' admin."""

    def kpi_trend_urls(self):
        return [path("kpi-trends/", self.admin_site.admin_view(self.kpi_trends_view),
                     name="evaluation_reviewcycle_kpi_trends")]

    def kpi_trends_view(self, request):
        if not (self.has_view_permission(request) and has_permission(request, RESULTS_VIEW)):
            raise PermissionDenied
        asked = {name: request.GET[name][:40] for name in ("kpi", "dimension", "measure") if name in request.GET}
        if "kpi" not in asked:
            first = Kpi.objects.order_by("code").values_list("pk", flat=True).first()
            if first is not None:
                asked["kpi"] = first
        form = KpiTrendForm({"dimension": ScoreTrend.Dimension.TYPE, "measure": SCORE, **asked}) if asked else None
        context = {"form": form or KpiTrendForm(), "table": None}
        if form is not None and form.is_valid():
            kpi, dimension, measure = (form.cleaned_data[name] for name in ("kpi", "dimension", "measure"))
            cycles, rows = selectors.kpi_trend(kpi_id=kpi.pk, dimension=dimension)
            periods = [cycle.period_key for cycle in cycles]
            dimension_label = capfirst(str(ScoreTrend.Dimension(dimension).label))
            export = request.GET.get("export")
            if export in exports.CONTENT_TYPES:
                headers = [dimension_label]
                for period in periods:
                    headers += [period, gettext("%(period)s partners") % {"period": period}]
                table = [[row.label, *(item for cell in row.cells for item in (
                    _rounded(_value(cell, measure)), cell.partners if cell else None))] for row in rows]
                return exports.file_response(exports.write(export, table, headers), export,
                                             f"kpi-trend-{kpi.code}-{dimension}-{timezone.localdate()}.{export}")
            measure_label = dict(MEASURES)[measure]
            source = kpi_inputs.kpi_inputs().get(kpi.source)
            chart = Chart(
                caption=gettext("%(kpi)s: %(measure)s per %(dimension)s") % {
                    "kpi": kpi.name, "measure": str(measure_label).lower(), "dimension": dimension_label.lower()},
                labels=periods,
                series=[Series(row.label, [_number(_value(cell, measure)) for cell in row.cells]) for row in rows])
            base = reverse("admin:evaluation_reviewcycle_kpi_trends")
            query = {"kpi": kpi.pk, "dimension": dimension, "measure": measure}
            context.update(
                kpi=kpi, measure=measure, measure_label=measure_label, dimension_label=dimension_label,
                figure_label=str(source.label) if source is not None else kpi.source, periods=periods,
                table=[(row.label, [(_value(cell, measure), cell) for cell in row.cells]) for row in rows],
                chart=chart if rows else None,
                exports=[(fmt.upper(), f"{base}?{urlencode({**query, 'export': fmt})}")
                         for fmt in exports.CONTENT_TYPES],
            )
        return TemplateResponse(request, "admin/evaluation/reviewcycle/kpi_trends.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "title": gettext("KPI trends"),
            "list_url": reverse("admin:evaluation_reviewcycle_changelist"), "has_kpis": "kpi" in asked,
            **context,
        })


def _number(value) -> float | None:
    return None if value is None else float(value)


def _rounded(value):
    return round(value, 4) if isinstance(value, float) else value
