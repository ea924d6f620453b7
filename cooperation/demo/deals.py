"""The deal registration demo: each flagship partner's registrations in every state, a direct account, and a
channel conflict between two flagships who registered one customer under different spellings (华信:
星海医疗器械（苏州） vs 江苏省苏州市星海医疗器械有限公司; 安和: Orient Logistics (Shanghai) Limited vs Shanghai
Orient Logistics Co., Ltd.). Idempotent: nothing is written when the tenant has registrations.

The registrations date from before the tenant required a qualification to register deals, so the demo
records them without asking training's eligibility (the pages then show today's answer for new ones).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from unittest import mock

from django.utils import timezone

from channelhub import eligibility
from channelhub.tenancy.roles import Role

CUSTOMERS = {
    "zh": {
        "approved": ("上海申江精密仪器股份有限公司", "91310115MA1K4B2X0N", "高精度示波器 20 台，维保三年", 680000),
        "won": ("宁波港城物流有限公司", "", "仓储手持终端 150 台", 420000),
        "expired": ("杭州西溪数据服务有限公司", "", "存储阵列 2 套", 960000),
        "conflict_first": ("星海医疗器械（苏州）", "", "医疗影像工作站 12 台", 1150000),
        "conflict_second": ("江苏省苏州市星海医疗器械有限公司", "", "影像工作站与显示器 12 套", 1080000),
        "direct": ("中国移动通信集团上海有限公司", ""),
        "direct_clash": ("上海移动通信", "", "机房监控设备 40 套", 300000),
        "near": ("申江精密仪器制造", "", "校准服务", 90000),
    },
    "en": {
        "approved": ("Pacific Harbour Shipping Co., Ltd.", "", "Group accident cover, 320 staff", 380000),
        "won": ("Jinqiao Precision Tools Co., Ltd.", "", "Group health plan, 150 staff", 260000),
        "expired": ("Lujiazui Facility Services Ltd.", "", "Liability cover", 120000),
        "conflict_first": ("Orient Logistics (Shanghai) Limited", "", "Group life and accident, 900 drivers",
                           1400000),
        "conflict_second": ("Shanghai Orient Logistics Co., Ltd.", "", "Fleet and driver cover", 1250000),
        "direct": ("China Eastern Trading Corporation", ""),
        "direct_clash": ("Eastern Trading Co. (China)", "", "Group health plan", 500000),
        "near": ("Pacific Harbour Shipyard", "", "Marine cover", 210000),
    },
}


def ensure_deals(ctx) -> None:
    from cooperation import services
    from cooperation.models import DealRegistration

    if DealRegistration.objects.exists():
        return
    partners = [(key, partner) for key, partner in ctx["flagships"].items() if partner is not None]
    if len(partners) < 2:
        return
    tenant, counts = ctx["tenant"], ctx["counts"]
    manager = ctx["roles"].get(Role.CHANNEL_MANAGER)
    names = CUSTOMERS["zh" if ctx["spec"].default_language.startswith("zh") else "en"]
    today = timezone.now().astimezone(tenant.zone).date()
    (first_key, first), (second_key, second) = partners[0], partners[1]

    def register(key, partner, which, **extra):
        name, code, products, amount = names[which]
        deal = services.deal_register(
            tenant=tenant, actor=ctx["admins"].get(key), partner=partner, customer_name=name,
            customer_credit_code=code if _valid(code) else "", products=products, amount=Decimal(amount),
            expected_close=today + datetime.timedelta(days=75), contact_name=extra.get("contact", ""))
        counts["cooperation.DealRegistration"] += 1
        return deal

    with mock.patch.object(eligibility, "partner_is_qualified", lambda *args, **kwargs: eligibility.QUALIFIED):
        note = "战略客户，由厂商直销" if names is CUSTOMERS["zh"] else "Strategic account"
        services.direct_account_create(tenant=tenant, actor=manager, name=names["direct"][0], note=note)
        approved = register(first_key, first, "approved", contact="王经理")
        services.deal_approve(registration=approved, actor=manager, protection_days=90)
        won = register(first_key, first, "won")
        services.deal_approve(registration=won, actor=manager)
        services.deal_close(registration=won, actor=ctx["admins"].get(first_key), won=True,
                            amount=Decimal(names["won"][3]) * Decimal("0.95"))
        expired = register(second_key, second, "expired")
        services.deal_approve(registration=expired, actor=manager, protection_days=1)
        services.deals_expire(tenant=tenant, today=today + datetime.timedelta(days=3))
        register(second_key, second, "near")  # a near match of the approved registration, scored
        register(first_key, first, "conflict_first", contact="李主任")
        register(second_key, second, "conflict_second")  # written differently: opens the conflict
        clash = register(second_key, second, "direct_clash")
        from cooperation.selectors import deal_conflicts

        case = deal_conflicts(clash).first()
        if case is not None:
            services.conflict_decide(case=case, actor=manager, resolution="direct",
                                     note="该客户为厂商直销客户 / The vendor serves this customer directly.")
        counts["cooperation.ConflictCase"] += 2


def _valid(code: str) -> bool:
    from channelhub.partners.validators import is_valid_credit_code

    return bool(code) and is_valid_credit_code(code)
