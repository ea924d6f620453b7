"""The after-sales service demo: each flagship partner has tickets in every stage: one just raised by its
staff (open), one in progress with a comment from each side and an internal note, one the vendor raised days
ago that is past its SLA (flagged by the breach job itself), one resolved in time and closed with a rating, and
one resolved late. The urgent service level is the tenant's own (tighter than the default). Idempotent: nothing
is written when the tenant has tickets."""

from __future__ import annotations

import datetime

from django.utils import timezone

from channelhub.tenancy.roles import Role

TEXTS = {
    "huaxin": {
        "customers": ["杭州云帆科技有限公司", "苏州市立第三中学", "宁波港鑫物流有限公司", "南京悦华酒店",
                      "无锡恒通制造"],
        "contacts": ["王经理 138 0000 1234", "李老师 139 0000 5678", "张主管 137 0000 2468", "赵前台 025-8888 0000",
                     "周工 136 0000 1357"],
        "open": ("开机后屏幕闪烁", "客户反映设备开机约十分钟后屏幕开始闪烁。"),
        "progress": ("笔记本电池无法充电", "三台笔记本同时出现无法充电的情况，已安排上门检测。"),
        "breached": ("批量设备无法连接网络", "客户向厂商热线投诉：二十台设备升级后无法连接企业网络。"),
        "closed": ("平板触控失灵", "更换触控模组后恢复正常。"),
        "late": ("智慧屏无法开机", "等待备件超过三天，更换主板后恢复。"),
        "partner_comment": "已联系客户，明天上午上门检测。",
        "vendor_comment": "请优先处理，客户是重点教育行业客户。",
        "internal": "内部备注：该合作伙伴本季度已有两单超时，评估时关注。",
    },
    "en": {
        "customers": ["Harbour Logistics Ltd.", "Greenfield Clinic", "Mr. Chen Wei", "Sunrise Family Office",
                      "Lakeside Primary School"],
        "contacts": ["Ms. Lin, 138 0000 1234", "Dr. Zhou, 139 0000 5678", "Mr. Chen, 137 0000 2468",
                     "Ms. Wu, 021-6666 0000", "Mr. Sun, 136 0000 1357"],
        "open": ("Claim documents not acknowledged", "The policyholder sent the claim documents a week ago and "
                                                     "heard nothing."),
        "progress": ("Premium charged twice", "The annual premium was debited twice; the agent is checking with "
                                              "the bank."),
        "breached": ("Complaint to the insurer: no call back", "The customer complained to our hotline that the "
                                                               "agent has not called back about a delayed claim."),
        "closed": ("Change of beneficiary", "Beneficiary changed after the signed form arrived."),
        "late": ("Travel claim paid late", "Paid after the missing receipts arrived."),
        "partner_comment": "Called the customer; visiting tomorrow morning with the forms.",
        "vendor_comment": "Please treat this first: the customer is a corporate account.",
        "internal": "Internal: second late case of this agent this quarter; watch it at the review.",
    },
}


def ensure_service(ctx) -> None:
    from channelhub.partners.models import Product
    from cooperation import services
    from cooperation.models import ServiceLevel, ServiceTicket, TicketState

    if ServiceTicket.objects.exists():
        return
    tenant, counts = ctx["tenant"], ctx["counts"]
    manager = ctx["roles"].get(Role.CHANNEL_MANAGER)
    texts = TEXTS["huaxin" if ctx["spec"].default_language.startswith("zh") else "en"]
    products = list(Product.objects.filter(is_active=True).order_by("sku")[:5])
    if not products or manager is None:
        return
    if not ServiceLevel.objects.filter(priority="urgent").exists():
        services.service_level_save(tenant=tenant, actor=manager, priority="urgent", response_hours=2,
                                    resolution_hours=12)
        counts["cooperation.ServiceLevel"] += 1
    now = timezone.now()

    def raise_(partner, actor, key, n, priority, hours_ago):
        subject, description = texts[key]
        ticket = services.ticket_raise(
            tenant=tenant, actor=actor, partner=partner, product=products[n % len(products)],
            customer_name=texts["customers"][n % 5], customer_contact=texts["contacts"][n % 5], subject=subject,
            description=description, priority=priority)
        # As if raised ``hours_ago``: the due times move with the opening.
        opened = now - datetime.timedelta(hours=hours_ago)
        response, resolution = services.sla_hours(priority)
        ServiceTicket.objects.filter(pk=ticket.pk).update(
            opened_at=opened, response_due_at=opened + datetime.timedelta(hours=response),
            resolution_due_at=opened + datetime.timedelta(hours=resolution))
        counts["cooperation.ServiceTicket"] += 1
        return ServiceTicket.objects.get(pk=ticket.pk)

    for n, (key, partner) in enumerate(ctx["flagships"].items()):
        admin = ctx["admins"].get(key)
        if partner is None or admin is None:
            continue
        raise_(partner, admin, "open", n, "normal", 2)
        progress = raise_(partner, admin, "progress", n + 1, "high", 20)
        services.ticket_transition(ticket=progress, actor=admin, to_state=TicketState.IN_PROGRESS)
        services.ticket_comment(ticket=progress, actor=admin, body=texts["partner_comment"])
        services.ticket_comment(ticket=progress, actor=manager, body=texts["vendor_comment"])
        services.ticket_comment(ticket=progress, actor=manager, body=texts["internal"], internal=True)
        breached = raise_(partner, manager, "breached", n + 2, "urgent", 30)
        services.ticket_comment(ticket=breached, actor=manager, body=texts["vendor_comment"])
        closed = raise_(partner, admin, "closed", n + 3, "normal", 50)
        services.ticket_transition(ticket=closed, actor=admin, to_state=TicketState.IN_PROGRESS)
        services.ticket_transition(ticket=closed, actor=admin, to_state=TicketState.RESOLVED,
                                   resolution=texts["closed"][1], satisfaction=5)
        services.ticket_transition(ticket=closed, actor=manager, to_state=TicketState.CLOSED)
        late = raise_(partner, admin, "late", n + 4, "high", 24 * 6)
        services.ticket_transition(ticket=late, actor=admin, to_state=TicketState.WAITING)
        services.ticket_transition(ticket=late, actor=admin, to_state=TicketState.RESOLVED,
                                   resolution=texts["late"][1], satisfaction=3)
        counts["cooperation.TicketComment"] += 4
    # The breach job's own work: the vendor's old ticket is flagged past its SLA (and the people told).
    services.flag_breaches()
