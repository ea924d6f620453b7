"""The market feedback demo: each flagship partner's staff sent feedback over the last three months in every
category; the channel manager triaged, tagged and answered most of it, one item is closed and the newest are
waiting in the queue. The competitor and demand items carry two small files each (a one-page PDF and a PNG
made here, in code). Idempotent: nothing is written when the tenant has feedback."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from channelhub.partners.models import Product
from channelhub.tenancy.roles import Role

ITEMS = {
    "zh": [
        ("competitor", "竞品在本地降价 15%", "主要竞争对手本月在本地区全线降价约 15%，并赠送延保。"),
        ("pricing", "渠道价与电商价倒挂", "电商平台促销价低于我们的进货价，门店客户流失明显。"),
        ("demand", "政企客户需求增长", "本季度政府和学校采购询价明显增加，希望加大备货。"),
        ("product_issue", "部分批次包装破损", "最近两批到货包装有破损，客户投诉较多。"),
        ("suggestion", "希望提供分期付款方案", "中小客户希望分期付款，建议厂家联合金融机构推出方案。"),
    ],
    "en": [
        ("competitor", "Competitor cut prices by 15%", "Our main competitor cut prices by about 15% this month."),
        ("pricing", "Online prices below channel prices", "Online promotions are below our purchase price."),
        ("demand", "Growing demand from public sector", "Enquiries from schools and agencies rose this quarter."),
        ("product_issue", "Damaged packaging in recent batches", "Two recent deliveries arrived with damage."),
        ("suggestion", "Instalment plans for small customers", "Small customers ask to pay in instalments."),
    ],
}
ANSWERS = {"zh": "感谢反馈，已转相关部门跟进，两周内回复具体措施。",
           "en": "Thank you: the team is on it and will come back with measures within two weeks."}
TAGS = {"zh": "华东, 价格", "en": "east, price"}
WITH_FILES = ("competitor", "demand")


def _files(title: str) -> list[ContentFile]:
    from .builder import _pdf, _png

    return [ContentFile(_pdf(title), name="market-report.pdf"), ContentFile(_png(), name="shelf-photo.png")]


def ensure_feedback(ctx) -> None:
    from cooperation import services
    from cooperation.models import Feedback

    if Feedback.objects.exists():
        return
    manager = ctx["roles"].get(Role.CHANNEL_MANAGER) or ctx["roles"].get(Role.OWNER)
    lang = "zh" if ctx["spec"].default_language.startswith("zh") else "en"
    products = list(Product.objects.filter(is_active=True).order_by("sku")[:5])
    now = timezone.now()
    for index, (key, partner) in enumerate(ctx["flagships"].items()):
        author = ctx["admins"].get(key)
        if partner is None or author is None:
            continue
        for n, (category, title, text) in enumerate(ITEMS[lang]):
            item = services.feedback_submit(
                tenant=ctx["tenant"], actor=author, partner=partner, category=category, title=title, text=text,
                region=partner.region, product=products[n % len(products)] if products else None,
                files=_files(title) if category in WITH_FILES else ())
            # Spread over the last three months (the summary groups by month).
            when = now - datetime.timedelta(days=(n * 17 + index * 5) % 80)
            Feedback.objects.filter(pk=item.pk).update(
                submitted_at=when, month=timezone.localtime(when).date().replace(day=1))
            ctx["counts"]["cooperation.Feedback"] += 1
            if category in WITH_FILES:
                ctx["counts"]["cooperation.FeedbackFile"] += 2
            if manager is None or n == 4:
                continue  # the newest wait in the queue
            if n in (0, 1):
                services.feedback_triage(feedback=item, actor=manager, tags=TAGS[lang])
            if n in (1, 2, 3):
                services.feedback_answer(feedback=item, actor=manager, answer=ANSWERS[lang])
            if n == 3:
                services.feedback_close(feedback=item, actor=manager)
