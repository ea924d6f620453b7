"""The joint targets demo: each flagship partner has this year's target agreed by both sides (a business
plan, even months) and next quarter's proposed by the channel manager, waiting for the partner's
administrator. Idempotent: nothing is written when the tenant has targets."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from channelhub.tenancy.roles import Role


def ensure_targets(ctx) -> None:
    from cooperation import services
    from cooperation.models import SalesTarget

    if SalesTarget.objects.exists():
        return
    manager = ctx["roles"].get(Role.CHANNEL_MANAGER)
    zh = ctx["spec"].default_language.startswith("zh")
    today = timezone.now().astimezone(ctx["tenant"].zone).date()
    quarter = datetime.date(today.year + (1 if today.month > 9 else 0), ((today.month - 1) // 3 + 1) % 4 * 3 + 1, 1)
    for n, (key, partner) in enumerate(ctx["flagships"].items()):
        admin = ctx["admins"].get(key)
        if partner is None or admin is None:
            continue
        amount = Decimal(1_200_000 + 300_000 * n)
        plan = ("每季度两场门店促销，新增两名认证销售，重点开拓政企客户。" if zh
                else "Two in-store promotions a quarter, two more certified sellers, focus on corporate clients.")
        year = services.target_propose(tenant=ctx["tenant"], actor=manager, partner=partner, span="year",
                                       start=datetime.date(today.year, 1, 1), amount=amount, plan=plan)
        services.target_approve(target=year, actor=admin)
        services.target_propose(tenant=ctx["tenant"], actor=manager, partner=partner, span="quarter",
                                start=quarter, amount=(amount / 4 * Decimal("1.1")).quantize(Decimal("0.01")),
                                note="下季度目标上调 10%" if zh else "Next quarter up 10%")
        ctx["counts"]["cooperation.SalesTarget"] += 2
