"""Building one tenant's cooperation demo through the services, idempotently.

Templates are looked up by code, announcements by title, threads by subject, events by title
and library items by title; agreements are built only when the tenant has none yet. Flagship
partners (the ones with portal users) get the signed agreements, other partners the drafts and
those in review, so every state of the workflow is on screen. No e-mail leaves the demo.
"""

from __future__ import annotations

import datetime
import struct
import zlib
from collections import Counter
from decimal import Decimal
from unittest import mock

from django.core.files.base import ContentFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone, translation

from channelhub.demo.data import TenantSpec
from channelhub.partners.models import Partner, PartnerStatus
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import Tenant, User
from channelhub.tenancy.policy import trusted
from channelhub.tenancy.roles import Role

from .texts import ANNOUNCEMENTS, EVENTS, LIBRARY, TEMPLATES, THREADS


def seed(spec: TenantSpec, *, progress_factory) -> Counter:
    progress = progress_factory(total=1, desc=f"{spec.slug} cooperation")
    try:
        return seed_cooperation(spec)
    finally:
        progress.update(1)
        progress.close()


def seed_cooperation(spec: TenantSpec) -> Counter:
    from cooperation import notifications

    counts: Counter = Counter()
    tenant = Tenant.objects.filter(slug=spec.slug).first()
    if tenant is None or spec.slug not in TEMPLATES:
        return counts
    with (
        translation.override(spec.default_language),
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        mock.patch.object(notifications, "notify_message", lambda *args, **kwargs: None),
        transaction.atomic(),
        tenant_scope(tenant, source="seed_demo"),
        trusted(),
    ):
        users = {u.username: u for u in User.objects.filter(username__in=[d.username for d in spec.users])}
        role_user = {d.role: users.get(d.username) for d in reversed(spec.users) if d.partner == ""}
        flagships = {f.key: Partner.objects.filter(legal_name=f.legal_name).first() for f in spec.flagships}
        admins = {d.partner: users.get(d.username) for d in spec.users if d.role == Role.PARTNER_ADMIN}
        ctx = {"tenant": tenant, "spec": spec, "counts": counts, "users": users, "roles": role_user,
               "flagships": flagships, "admins": admins}
        template = _ensure_template(ctx)
        _ensure_settings(ctx)
        _ensure_agreements(ctx, template)
        _ensure_announcements(ctx)
        _ensure_threads(ctx)
        _ensure_event(ctx)
        _ensure_library(ctx)
        from .sales import ensure_sales  # Cooperation II

        ensure_sales(ctx)
        from .targets import ensure_targets

        ensure_targets(ctx)
        from .promotion import ensure_promotion  # Cooperation II: promotion support (MDF)

        ensure_promotion(ctx)
        from .deals import ensure_deals  # Cooperation II: deal registration and a channel conflict

        ensure_deals(ctx)
        from .feedback import ensure_feedback  # Cooperation II: lead distribution and market feedback
        from .leads import ensure_leads

        ensure_leads(ctx)
        ensure_feedback(ctx)
        from .service import ensure_service  # Cooperation II: after-sales service tickets, some past their SLA

        ensure_service(ctx)
    return counts


def _ensure_template(ctx):
    from cooperation import services
    from cooperation.models import AgreementTemplate, TemplateStatus

    data = dict(TEMPLATES[ctx["spec"].slug])
    existing = AgreementTemplate.objects.filter(code=data["code"], status=TemplateStatus.PUBLISHED).first()
    if existing is not None:
        return existing
    clauses = [{"kind": kind, "title": title, "body": body} for kind, title, body in data.pop("clauses")]
    actor = ctx["roles"].get(Role.LEGAL)
    template = services.template_create(tenant=ctx["tenant"], actor=actor, clauses=clauses, **data)
    ctx["counts"]["cooperation.AgreementTemplate"] += 1
    return services.template_publish(template=template, actor=actor)


def _ensure_settings(ctx):
    from cooperation import services
    from cooperation.models import CooperationSettings

    if not CooperationSettings.objects.exists():
        services.settings_update(tenant=ctx["tenant"], actor=None, reminder_days=30)


def _advance(ctx, agreement, until: str, *, comment: str = ""):
    """Move a fresh draft along the workflow as the people who would: manager, legal, partner, manager."""
    from cooperation import services

    manager, legal = ctx["roles"].get(Role.CHANNEL_MANAGER), ctx["roles"].get(Role.LEGAL)
    order = ["legal_review", "sent", "partner_signed", "active"]
    if comment:
        services.agreement_submit(agreement=agreement, actor=manager)
        services.agreement_review(agreement=agreement, actor=legal, decision="return", comment=comment)
    for step in order[: order.index(until) + 1]:
        if step == "legal_review":
            services.agreement_submit(agreement=agreement, actor=manager)
        elif step == "sent":
            services.agreement_review(agreement=agreement, actor=legal, decision="approve")
        elif step == "partner_signed":
            signer = ctx["admins"].get(_flagship_key(ctx, agreement.partner))
            services.agreement_sign(agreement=agreement, actor=signer, signer_name=signer.get_full_name(),
                                    signer_title=_title(ctx), content_hash=agreement.content_hash,
                                    ip_address="203.0.113.25")
        elif step == "active":
            services.agreement_countersign(agreement=agreement, actor=manager, signer_name=manager.get_full_name(),
                                           signer_title=_title(ctx, vendor=True),
                                           content_hash=agreement.content_hash, ip_address="198.51.100.7")
    agreement.refresh_from_db()
    return agreement


def _title(ctx, vendor: bool = False) -> str:
    zh = ctx["spec"].default_language.startswith("zh")
    if vendor:
        return "渠道总监" if zh else "Channel Director"
    return "总经理" if zh else "General Manager"


def _flagship_key(ctx, partner) -> str:
    return next((key for key, p in ctx["flagships"].items() if p is not None and p.pk == partner.pk), "")


def _ensure_agreements(ctx, template):
    from cooperation import services
    from cooperation.models import Agreement

    if Agreement.objects.exists():
        return
    tenant, counts = ctx["tenant"], ctx["counts"]
    manager = ctx["roles"].get(Role.CHANNEL_MANAGER)
    today = timezone.localdate()
    year_ago = today - datetime.timedelta(days=365)

    def draft(partner, start, end=None, discount="8"):
        agreement = services.agreement_create(tenant=tenant, actor=manager, partner=partner, template=template,
                                              start_date=start, end_date=end, discount=Decimal(discount))
        counts["cooperation.Agreement"] += 1
        return agreement

    flag = [p for p in ctx["flagships"].values() if p is not None and _flagship_key(ctx, p) in ctx["admins"]]
    others = list(Partner.objects.filter(status__in=[PartnerStatus.ACTIVE, PartnerStatus.ONBOARDING])
                  .exclude(pk__in=[p.pk for p in flag]).order_by("legal_name")[:3])
    zh = ctx["spec"].default_language.startswith("zh")
    if flag:
        first = flag[0]
        old = draft(first, year_ago - datetime.timedelta(days=400), year_ago - datetime.timedelta(days=36))
        old = _advance(ctx, old, "active")
        services.agreement_expire(agreement=old)
        current = _advance(ctx, draft(first, year_ago, today + datetime.timedelta(days=20)), "active")
        services.agreement_mark_expiring(agreement=current)
        renewal = services.agreement_renew(agreement=current, actor=manager)
        _advance(ctx, renewal, "active")  # the renewal in force; the expiring one is renewed
    if len(flag) > 1:
        second = flag[1]
        _advance(ctx, draft(second, year_ago + datetime.timedelta(days=60), today + datetime.timedelta(days=25),
                            discount="10"), "active")
        services.agreement_mark_expiring(agreement=Agreement.objects.filter(partner=second).latest("pk"))
        _advance(ctx, draft(second, today + datetime.timedelta(days=26), discount="10"), "partner_signed")
    if len(flag) > 2:
        third = flag[2]
        _advance(ctx, draft(third, today - datetime.timedelta(days=90)), "active")
        ended = _advance(ctx, draft(third, today - datetime.timedelta(days=200), today + datetime.timedelta(days=100),
                                    discount="5"), "active")
        services.agreement_terminate(agreement=ended, actor=manager, terminated_on=today - datetime.timedelta(days=3),
                                     reason="区域调整，改由新协议覆盖" if zh else "Territory reorganised")
    for partner, state, comment in zip(
            others, ["draft", "legal_review", "sent"],
            ["", "请补充争议解决条款中的仲裁机构全称。" if zh else "Name the court in full.", ""], strict=False):
        agreement = draft(partner, today + datetime.timedelta(days=7))
        if state == "draft":
            services.agreement_submit(agreement=agreement, actor=manager)
            services.agreement_review(agreement=agreement, actor=ctx["roles"].get(Role.LEGAL), decision="return",
                                      comment="折扣率需经销售总监确认。" if zh else "Confirm the commission rate.")
        else:
            _advance(ctx, agreement, state, comment=comment)


def _ensure_announcements(ctx):
    from cooperation import services
    from cooperation.models import Announcement

    manager = ctx["roles"].get(Role.CHANNEL_MANAGER)
    for title, body, must, audience in ANNOUNCEMENTS[ctx["spec"].slug]:
        if Announcement.objects.filter(title=title).exists():
            continue
        services.announcement_create(tenant=ctx["tenant"], actor=manager, title=title, body=body,
                                     must_acknowledge=must, publish=True, **audience)
        ctx["counts"]["cooperation.Announcement"] += 1


def _ensure_threads(ctx):
    from cooperation import services
    from cooperation.models import Thread

    manager = ctx["roles"].get(Role.CHANNEL_MANAGER)
    for (key, partner), (subject, question, answer) in zip(
            [(k, p) for k, p in ctx["flagships"].items() if p is not None], THREADS[ctx["spec"].slug], strict=False):
        if Thread.objects.filter(subject=subject).exists() or ctx["admins"].get(key) is None:
            continue
        thread = services.thread_start(tenant=ctx["tenant"], actor=ctx["admins"][key], partner=partner,
                                       subject=subject, body=question)
        services.message_send(thread=thread, actor=partner.owner or manager, body=answer)
        ctx["counts"]["cooperation.Thread"] += 1


def _ensure_event(ctx):
    from cooperation import services
    from cooperation.models import Event

    title, location, agenda = EVENTS[ctx["spec"].slug]
    if Event.objects.filter(title=title).exists():
        return
    start = (timezone.now() + datetime.timedelta(days=45)).replace(hour=1, minute=0, second=0, microsecond=0)
    event = services.event_create(tenant=ctx["tenant"], actor=ctx["roles"].get(Role.CHANNEL_MANAGER), title=title,
                                  location=location, agenda=agenda, starts_at=start,
                                  ends_at=start + datetime.timedelta(hours=8), capacity=300,
                                  description=agenda.splitlines()[0])
    services.event_publish(event=event, actor=ctx["roles"].get(Role.CHANNEL_MANAGER))
    for key, admin in ctx["admins"].items():
        if admin is not None and ctx["flagships"].get(key) is not None:
            services.event_rsvp(event=event, actor=admin, response="yes")
    ctx["counts"]["cooperation.Event"] += 1


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xc0\x1c\x2e")) + \
        chunk(b"IEND", b"")


def _pdf(title: str) -> bytes:
    from channelhub.pdf import PdfDocument

    doc = PdfDocument(title=title)
    doc.heading(title)
    doc.paragraph(title)
    return doc.render()


def _ensure_library(ctx):
    from cooperation import services
    from cooperation.models import LibraryItem

    manager = ctx["roles"].get(Role.CHANNEL_MANAGER)
    for title, kind, fmt in LIBRARY[ctx["spec"].slug]:
        if LibraryItem.objects.filter(title=title).exists():
            continue
        item = services.library_item_create(tenant=ctx["tenant"], actor=manager, title=title, kind=kind,
                                            description=title, is_published=True)
        content = _png() if fmt == "png" else _pdf(title)
        services.library_file_add(item=item, actor=manager, file=ContentFile(content, name=f"{kind}.{fmt}"))
        ctx["counts"]["cooperation.LibraryItem"] += 1
