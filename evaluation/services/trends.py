"""The score trend rollup (``ScoreTrend``): a published cycle's averages per partner type and sales area.

Written when the cycle is published, inside its transaction: the scores are final then
(adjustments are made before confirmation), and the dashboard reads these few rows per cycle.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from channelhub.partners.models import Region

from ..models import PartnerScore, ReviewCycle, ScoreTrend

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
