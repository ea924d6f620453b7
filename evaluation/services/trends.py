"""The trend rollups written when a cycle is published, inside its transaction.

``ScoreTrend``: the cycle's average final score per partner type and per sales area (the
dashboard's trend). ``KpiTrend``: per KPI of the cycle's scorecards, the average 0–100 score and
figure per partner type and per sales area (the *KPI trends* page and API). The scores are final
then (adjustments are made before confirmation); readers get a few rows per cycle instead of
averaging every partner on each request. Both are replaced, never added to: a second write of the
same cycle deletes its rows first, and the unique keys forbid doubles.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from channelhub.partners.models import Partner, Region

from ..models import KpiResult, KpiTrend, PartnerScore, ReviewCycle, ScoreTrend

PLACES = Decimal("0.001")


def trends_write(cycle: ReviewCycle) -> int:
    """Replace the cycle's trend rows (a re-publication cannot double them); return how many."""
    final = Coalesce("adjusted_score", "total")
    scores = PartnerScore.objects.filter(cycle=cycle)
    sums: dict[tuple[str, str], list] = defaultdict(lambda: [0, Decimal(0)])
    for partner_type, n, total in scores.values("partner_type").annotate(
            n=Count("id"), total=Sum(final)).values_list("partner_type", "n", "total"):
        sums[(ScoreTrend.Dimension.TYPE, partner_type)] = [n, Decimal(total)]
    # By region in SQL (a few hundred groups whatever the partners), folded into top-level areas here.
    areas = {area.path: area.code for area in Region.objects.filter(parent__isnull=True)}
    for path, n, total in scores.filter(partner__region__isnull=False).values("partner__region__path").annotate(
            n=Count("id"), total=Sum(final)).values_list("partner__region__path", "n", "total"):
        code = areas.get("/" + path.split("/")[1] + "/")
        if code is not None:
            bucket = sums[(ScoreTrend.Dimension.AREA, code)]
            bucket[0] += n
            bucket[1] += Decimal(total)
    ScoreTrend.objects.filter(cycle=cycle).delete()
    rows = ScoreTrend.objects.bulk_create([
        ScoreTrend(tenant_id=cycle.tenant_id, cycle=cycle, dimension=dimension, key=key, partners=n,
                   average=(total / n).quantize(PLACES))
        for (dimension, key), (n, total) in sums.items() if n
    ])
    return len(rows)


KT, KR, PS = KpiTrend._meta.db_table, KpiResult._meta.db_table, PartnerScore._meta.db_table
PARTNER, REGION = Partner._meta.db_table, Region._meta.db_table

# What one group of KPI results rolls up to: partners scored on the KPI, those with a figure, the
# mean score (a KPI excluded for lack of a figure has none, so AVG leaves it out) and the mean figure.
KPI_FIGURES = (
    "COUNT(*), SUM(CASE WHEN r.missing THEN 0 ELSE 1 END), ROUND(CAST(AVG(r.normalised) AS NUMERIC), 3), "
    "AVG(CASE WHEN r.missing THEN NULL ELSE r.raw END)"
)
KPI_TREND_INSERT = (
    f'INSERT INTO {KT} (tenant_id, cycle_id, kpi_id, dimension, "key", partners, reported, average, '
    "figure_average) "
)
# Per partner type: the results joined to the scores, whose type is the one the cycle scored them as.
KPI_BY_TYPE = (
    f"SELECT r.tenant_id, r.cycle_id, r.kpi_id, %s, s.partner_type, {KPI_FIGURES} FROM {KR} r "
    f"JOIN {PS} s ON s.tenant_id = r.tenant_id AND s.cycle_id = r.cycle_id AND s.partner_id = r.partner_id "
    "WHERE {where} GROUP BY r.tenant_id, r.cycle_id, r.kpi_id, s.partner_type"
)
# Per sales area: the partner's region folded into its top-level region (a path prefix; paths are
# "/EAST/SH/"), as the score trend does. Partners without a region count in no area.
KPI_BY_AREA = (
    f"SELECT r.tenant_id, r.cycle_id, r.kpi_id, %s, a.code, {KPI_FIGURES} FROM {KR} r "
    f"JOIN {PARTNER} p ON p.id = r.partner_id JOIN {REGION} g ON g.id = p.region_id "
    f"JOIN {REGION} a ON a.tenant_id = r.tenant_id AND a.parent_id IS NULL "
    "AND SUBSTR(g.path, 1, LENGTH(a.path)) = a.path "
    "WHERE {where} GROUP BY r.tenant_id, r.cycle_id, r.kpi_id, a.code"
)


def kpi_trends_write(cycle: ReviewCycle) -> int:
    """Replace the cycle's KPI trend rows: one ``INSERT … SELECT`` (a GROUP BY over its KPI results) per
    dimension, whatever the number of partners; return how many rows were written."""
    # One DELETE whatever the backend (a collector's delete may read the rows first).
    KpiTrend.objects.filter(cycle=cycle)._raw_delete(connection.alias)
    where = "r.tenant_id = %s AND r.cycle_id = %s"
    written = 0
    with connection.cursor() as cursor:
        for dimension, select in ((ScoreTrend.Dimension.TYPE, KPI_BY_TYPE), (ScoreTrend.Dimension.AREA, KPI_BY_AREA)):
            cursor.execute(KPI_TREND_INSERT + select.format(where=where),
                           [str(dimension), cycle.tenant_id, cycle.pk])
            written += cursor.rowcount
    return written
