"""The promotion support (MDF) demo: this year's pooled budget and one flagship partner's allocation, and the
flagship partners' fund requests and claims in every state, each moved by the people who would (the partner's
administrator requests and claims, the channel manager decides, finance pays).

Requests: draft, submitted, returned for changes, approved (the activity still ahead), rejected, closed (paid,
or its claim rejected). Claims: submitted, approved in full, partially approved, rejected, paid.
Idempotent: nothing is written when the tenant has budgets.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from channelhub.tenancy.roles import Role


def _texts(zh: bool) -> list[tuple[str, str, str, str]]:
    """(title, kind, plan, expected results) of the demo activities."""
    if zh:
        return [
            ("国庆门店促销周", "in_store", "十家门店同步开展以旧换新活动，店内陈列与导购培训。",
             "新增 300 条线索，销售额增长 20%。"),
            ("华东区域经销商展会", "exhibition", "参加上海国际展览中心行业展会，展位 36 平米。",
             "接待 500 名访客，获取 80 条商机。"),
            ("本地电视台广告", "advertising", "地方电视台黄金时段 15 秒广告两周。",
             "品牌认知提升，门店客流增加 15%。"),
            ("行业客户研讨会", "seminar", "邀请 60 名政企客户参加新品技术研讨会。", "签约 5 家新客户。"),
            ("电商平台直播推广", "digital", "在电商平台进行 4 场新品直播。", "直播观看 2 万人次，成交 200 单。"),
            ("春季新品路演", "in_store", "在三个商圈进行新品路演。", "发放 1000 份资料，收集 150 条线索。"),
            ("社区推广活动", "other", "在 12 个社区开展产品体验活动。", "体验人数 600，转化 40 单。"),
            ("年终客户答谢会", "seminar", "邀请重点客户参加年终答谢会。", "续约率提高到 90%。"),
            ("户外广告牌投放", "advertising", "高速出口广告牌投放三个月。", "来电咨询增加 30%。"),
            ("线上搜索广告", "digital", "搜索引擎关键词广告一个月。", "网站访问增加 5000 次。"),
        ]
    return [
        ("Golden Week in-store promotion", "in_store", "Trade-in campaign in ten branches, displays and staff "
         "briefing.", "300 new leads, sales up 20%."),
        ("Regional broker fair", "exhibition", "A 36 m² stand at the regional insurance fair.", "500 visitors, 80 "
         "qualified leads."),
        ("Local radio campaign", "advertising", "Two weeks of 15-second spots at peak hours.", "Brand awareness, "
         "walk-ins up 15%."),
        ("Client seminar on retirement plans", "seminar", "An evening seminar for 60 corporate clients.",
         "Five new corporate accounts."),
        ("Social media campaign", "digital", "Four weeks of sponsored posts and two live sessions.",
         "20,000 views, 200 quotes requested."),
        ("Spring roadshow", "in_store", "Roadshow stands in three shopping centres.", "1,000 brochures, 150 leads."),
        ("Community days", "other", "Product days in twelve communities.", "600 visitors, 40 policies."),
        ("Year-end client dinner", "seminar", "A dinner for key clients.", "Renewals up to 90%."),
        ("Billboards at the ring road", "advertising", "Three months of billboards.", "Calls up 30%."),
        ("Search advertising", "digital", "One month of keyword ads.", "5,000 more site visits."),
    ]


def ensure_promotion(ctx) -> None:
    from cooperation import services
    from cooperation.models import FundBudget

    from .builder import _pdf, _png

    if FundBudget.objects.exists():
        return
    tenant, counts = ctx["tenant"], ctx["counts"]
    manager = ctx["roles"].get(Role.CHANNEL_MANAGER)
    finance = ctx["roles"].get(Role.FINANCE) or ctx["roles"].get(Role.OWNER)
    zh = ctx["spec"].default_language.startswith("zh")
    today = timezone.now().astimezone(tenant.zone).date()
    flag = [(p, ctx["admins"].get(key)) for key, p in ctx["flagships"].items()
            if p is not None and ctx["admins"].get(key) is not None]
    if not flag:
        return
    start, end = today - datetime.timedelta(days=200), today + datetime.timedelta(days=165)
    pool = services.budget_create(tenant=tenant, actor=manager, total=Decimal("800000"), start=start, end=end,
                                  name=(f"{today.year} 市场发展基金" if zh
                                        else f"{today.year} market development funds"))
    own = services.budget_create(tenant=tenant, actor=manager, total=Decimal("120000"), start=start, end=end,
                                 partner=flag[0][0], name=(f"{today.year} {flag[0][0]} 专项" if zh
                                       else f"{today.year} {flag[0][0]} allocation"))
    counts["cooperation.FundBudget"] += 2
    texts = _texts(zh)

    def request(n: int, amount: str, days_ago: int, *, submit: bool = True):
        partner, admin = flag[n % len(flag)]
        title, kind, plan, expected = texts[n]
        starts = today - datetime.timedelta(days=days_ago)
        row = services.fund_request_create(
            tenant=tenant, actor=admin, partner=partner, submit=submit, title=title, kind=kind, plan=plan,
            expected_results=expected, starts_on=starts, ends_on=starts + datetime.timedelta(days=3),
            requested_amount=Decimal(amount))
        counts["cooperation.FundRequest"] += 1
        return row, admin

    def approved(n: int, amount: str, days_ago: int, *, budget=pool, part: str | None = None):
        row, admin = request(n, amount, days_ago)
        row = services.fund_request_approve(request=row, actor=manager, budget=budget,
                                            amount=Decimal(part) if part else None)
        return row, admin

    def claimed(n: int, amount: str, days_ago: int, *, budget=pool, claim_part: str = "1.0"):
        row, admin = approved(n, amount, days_ago, budget=budget)
        claimed_amount = (row.committed * Decimal(claim_part)).quantize(Decimal("0.01"))
        claim = services.fund_claim_submit(
            request=row, actor=admin, actual_cost=(claimed_amount * Decimal("1.25")).quantize(Decimal("0.01")),
            claimed_amount=claimed_amount, attendees=120 + n * 10, leads=15 + n,
            results=("活动按计划完成，附现场照片与发票。" if zh else "Done as planned; photos and invoices attached."),
            files=[ContentFile(_pdf(row.title), name="invoice.pdf"), ContentFile(_png(), name="photo.png")])
        counts["cooperation.FundClaim"] += 1
        return claim

    # Requests without a claim: draft, submitted, returned, rejected, approved (still ahead).
    request(0, "30000", -20, submit=False)
    request(1, "45000", -30)
    returned, _admin = request(2, "60000", -40)
    services.fund_request_return(request=returned, actor=manager, comment=(
        "请补充广告投放时段与报价单。" if zh else "Add the spot schedule and the station's quote."))
    rejected, _admin = request(3, "200000", -15)
    services.fund_request_reject(request=rejected, actor=manager, comment=(
        "超出本季度预算，请缩小规模后重新申请。" if zh
        else "Beyond this quarter's budget; scale it down and apply again."))
    approved(4, "50000", -25, part="40000")
    # Claims in every state.
    claimed(5, "20000", 30)  # submitted, waits for review
    full = claimed(6, "15000", 45, budget=own)
    services.fund_claim_review(claim=full, actor=manager, decision="approve")  # awaits payment
    partial = claimed(7, "36000", 60)
    services.fund_claim_review(claim=partial, actor=manager, decision="partial", amount=Decimal("30000"), comment=(
        "一张发票抬头不符，按 3 万元核定。" if zh else "One invoice is made out to another company: 30,000 approved."))
    refused = claimed(8, "25000", 75, claim_part="0.8")
    services.fund_claim_review(claim=refused, actor=manager, decision="reject", comment=(
        "缺少投放证明（监播报告）。" if zh else "No proof the billboards were up (no monitoring report)."))
    paid = claimed(9, "18000", 90)
    paid = services.fund_claim_review(claim=paid, actor=manager, decision="approve")
    services.fund_claim_pay(claim=paid, actor=finance, payment_reference=f"PAY-{today:%Y%m}-0001",
                            paid_on=today - datetime.timedelta(days=20))
