"""The lead distribution demo: a dozen leads in the flagship partners' regions, in every state.

Flagship partners get leads offered to them (waiting for an answer, so the portal shows the
deadline), one accepted and one converted; automatic leads are routed as the service routes them,
one declined and passed on, one lost, and two manual leads wait in the manager's queue. A few
partners get a routing weight. Idempotent: nothing is written when the tenant has leads.
"""

from __future__ import annotations

from decimal import Decimal

from channelhub.partners.models import Product
from channelhub.tenancy.roles import Role

COMPANIES = {
    "zh": ["苏州明达精密制造", "杭州云帆网络科技", "南京新港物流", "无锡恒通医疗器械", "上海远航国际贸易",
           "合肥晨光教育集团", "宁波海联电子", "常州瑞丰化工", "嘉兴佳禾食品", "温州东方鞋业", "绍兴纺织进出口",
           "扬州润扬建设"],
    "en": ["Mingda Precision Manufacturing", "Yunfan Network Technology", "Xingang Logistics", "Hengtong Medical",
           "Yuanhang Trading", "Chenguang Education Group", "Hailian Electronics", "Ruifeng Chemicals",
           "Jiahe Foods", "Dongfang Footwear", "Shaoxing Textiles Import & Export", "Runyang Construction"],
}
CONTACTS = ["王芳", "李雷", "张伟", "刘洋", "陈静", "杨帆"]
SOURCES = ["website", "exhibition", "referral", "hotline"]


def ensure_leads(ctx) -> None:
    from cooperation import services
    from cooperation.models import Lead, LeadOffer, OfferState

    if Lead.objects.exists():
        return
    manager = ctx["roles"].get(Role.CHANNEL_MANAGER) or ctx["roles"].get(Role.OWNER)
    flagships = [(key, partner) for key, partner in ctx["flagships"].items()
                 if partner is not None and partner.region_id and ctx["admins"].get(key)]
    if manager is None or not flagships:
        return
    zh = ctx["spec"].default_language.startswith("zh")
    names = COMPANIES["zh" if zh else "en"]
    products = list(Product.objects.filter(is_active=True).order_by("sku")[:6])
    counts = ctx["counts"]

    def lead(n: int, partner, **fields):
        values = {"company": names[n % len(names)], "region": partner.region,
                  "contact_name": CONTACTS[n % len(CONTACTS)], "contact_phone": f"1380000{n:04d}",
                  "product": products[n % len(products)] if products else None,
                  "interest": "批量采购，预计下季度" if zh else "Volume purchase next quarter",
                  "value": Decimal(50_000 + 25_000 * n), "source": SOURCES[n % len(SOURCES)]}
        values.update(fields)
        made = services.lead_create(tenant=ctx["tenant"], actor=manager, **values)
        counts["cooperation.Lead"] += 1
        return made

    n = 0
    for key, partner in flagships:
        admin = ctx["admins"][key]
        # Waiting for the partner's answer.
        waiting = lead(n, partner, routing="manual")
        services.lead_offer(lead=waiting, actor=manager, partner=partner)
        n += 1
        # Accepted and being worked.
        working = lead(n, partner, routing="manual")
        offer = services.lead_offer(lead=working, actor=manager, partner=partner)
        services.offer_accept(offer=offer, actor=admin)
        n += 1
        # Won.
        won = lead(n, partner, routing="manual")
        offer = services.lead_offer(lead=won, actor=manager, partner=partner)
        services.offer_accept(offer=offer, actor=admin)
        services.lead_close(lead=won, actor=admin, outcome="converted",
                            note="已签约首批订单" if zh else "First order signed")
        n += 1
        # Routed automatically; the flagship declined it and it went on.
        passed = lead(n, partner, routing="automatic", offer_to=partner)
        offer = LeadOffer.objects.get(lead=passed, partner=partner)
        services.offer_decline(offer=offer, actor=admin,
                               reason="超出我们的服务范围" if zh else "Outside our territory")
        n += 1
        services.weight_save(tenant=ctx["tenant"], actor=manager, partner=partner, weight=Decimal("2"),
                             note="核心经销商" if zh else "Core partner")
    # Automatic leads routed by the service, a lost one and two in the manager's queue.
    first = flagships[0][1]
    for _step in range(2):
        lead(n, first)
        n += 1
    lost = lead(n, first, routing="manual")
    services.lead_close(lead=lost, actor=manager, outcome="lost", note="客户取消预算" if zh else "Budget cancelled")
    n += 1
    for _step in range(2):
        lead(n, first, routing="manual")
        n += 1
    counts["cooperation.LeadOffer"] += LeadOffer.objects.exclude(state=OfferState.WITHDRAWN).count()
