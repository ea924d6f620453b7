"""Cooperation's entries in the isolation harness (see ``channelhub.testing``).

Every tenant-owned model gets a builder (one saved row in the side's tenant, carrying the
marker in a text field the pages show; partner-owned rows hang on ``side.partner``) and, where
the API creates it, a payload. Partner 1 never sees partner 2's agreements, threads, messages,
RSVPs or downloads: those rows hang on a partner, and the partner walk checks every portal and
API route with them.
"""

from __future__ import annotations

import datetime
import itertools

from django.core.files.base import ContentFile

from channelhub.partners.models import Partner, Region
from channelhub.tenancy.models import User
from channelhub.tenancy.roles import Role
from channelhub.testing import (
    register_action_payload,
    register_model,
    register_published_route,
    register_route_check,
)
from cooperation import services
from cooperation.models import (
    Agreement,
    AgreementReminder,
    AgreementTemplate,
    AgreementVersion,
    Announcement,
    AnnouncementReceipt,
    Audience,
    AudiencePartner,
    AudienceRegion,
    CooperationSettings,
    Event,
    EventInvitation,
    EventRsvp,
    LegalReview,
    LibraryDownload,
    LibraryFile,
    LibraryItem,
    Message,
    Signature,
    TemplateClause,
    TemplateStatus,
    Thread,
)

from .factories import PDF_BYTES, AudienceFactory, TemplateClauseFactory, complete_template

_serial = itertools.count(1)


def _saved(instance):
    instance.full_clean()
    instance.save()
    return instance


def _published_template(side, marker: str) -> AgreementTemplate:
    template = complete_template(code=f"t{next(_serial)}", name=marker, dispute_venue=marker)
    TemplateClauseFactory(template=template, title=marker, body=marker)
    return services.template_publish(template=template, actor=None)


def _agreement(side, marker: str, partner: Partner | None = None) -> Agreement:
    """An agreement legal has sent to the partner (what partner staff see), its text carrying the marker."""
    template = side.get(AgreementTemplate)
    agreement = services.agreement_create(tenant=side.tenant, actor=None, partner=partner or side.partner,
                                          template=template, title=marker, territory=marker)
    services.agreement_submit(agreement=agreement, actor=None)
    services.agreement_review(agreement=agreement, actor=None, decision="approve")
    agreement.refresh_from_db()
    return agreement


def _partner_staff(side) -> User:
    return side.user(Role.PARTNER_ADMIN)


def _signature(side, marker: str) -> Signature:
    agreement = side.new(Agreement)
    return services.agreement_sign(agreement=agreement, actor=_partner_staff(side), signer_name=marker,
                                   signer_title=marker, content_hash=agreement.content_hash)


def _audience(side, marker: str) -> Audience:
    return AudienceFactory(label=marker)


def _announcement(side, marker: str) -> Announcement:
    from cooperation import services as s

    return s.announcement_create(tenant=side.tenant, actor=None, title=marker, body=marker, publish=True)


def _thread(side, marker: str) -> Thread:
    from cooperation import services as s

    return s.thread_start(tenant=side.tenant, actor=None, partner=side.partner, subject=marker, body=marker)


def _event(side, marker: str) -> Event:
    from cooperation import services as s

    assert side.partner is not None  # exists before publishing, so it is invited
    event = s.event_create(
        tenant=side.tenant, actor=None, title=marker, description=marker, agenda=marker, location=marker,
        starts_at=datetime.datetime(2027, 5, 1, 9, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2027, 5, 1, 17, tzinfo=datetime.UTC), capacity=30)
    return s.event_publish(event=event, actor=None)


def _invitation(side, marker: str) -> EventInvitation:
    return EventInvitation.objects.get_or_create(event=side.get(Event), partner=side.partner)[0]


def _rsvp(side, marker: str) -> EventRsvp:
    # The tenant's shared event (a second partner's rows must not publish an event of their own).
    invitation = EventInvitation.objects.get_or_create(event=side.get(Event), partner=side.partner)[0]
    return EventRsvp.objects.get_or_create(invitation=invitation, user=_partner_staff(side),
                                           defaults={"attendee_name": marker, "response": "yes"})[0]


def _library_item(side, marker: str) -> LibraryItem:
    from cooperation import services as s

    item = s.library_item_create(tenant=side.tenant, actor=None, title=marker, kind="price_list",
                                 description=marker, is_published=True)
    s.library_file_add(item=item, actor=None, file=ContentFile(PDF_BYTES, name=f"{marker}.pdf"), note=marker)
    return item


def _library_file(side, marker: str) -> LibraryFile:
    from cooperation import services as s

    return s.library_file_add(item=side.new(LibraryItem), actor=None,
                              file=ContentFile(PDF_BYTES, name=f"{marker}.pdf"), note=marker)


def register() -> None:
    register_model(CooperationSettings, build=lambda side, marker: CooperationSettings.objects.first()
                   or _saved(CooperationSettings(reminder_days=30)))
    register_model(AgreementTemplate, build=_published_template)
    register_model(TemplateClause, build=lambda side, marker: _saved(TemplateClause(
        template=complete_template(code=f"c{next(_serial)}"), kind="other", title=marker, body=marker)))
    register_model(Agreement, build=_agreement)
    register_model(AgreementVersion, build=lambda side, marker: side.new(Agreement).current_version)
    register_model(LegalReview, build=lambda side, marker: _saved(LegalReview(
        version=side.new(Agreement).current_version, decision="return", comment=marker)))
    register_model(Signature, build=_signature)
    register_model(AgreementReminder, build=lambda side, marker: AgreementReminder.objects.create(
        agreement=side.get(Agreement), kind="expiry", key=marker))
    register_model(Audience, build=_audience)
    register_model(AudienceRegion, build=lambda side, marker: AudienceRegion.objects.create(
        audience=side.new(Audience), region=side.get(Region)))
    register_model(AudiencePartner, build=lambda side, marker: AudiencePartner.objects.create(
        audience=side.new(Audience), partner=side.partner))
    register_model(Announcement, build=_announcement)
    register_model(AnnouncementReceipt, build=lambda side, marker: AnnouncementReceipt.objects.get_or_create(
        announcement=side.get(Announcement), user=side.user(Role.PARTNER_USER),
        defaults={"partner": side.partner})[0])
    register_model(Thread, build=_thread)
    register_model(Message, build=lambda side, marker: services.message_send(
        thread=side.get(Thread), actor=None, body=marker,
        attachment=ContentFile(PDF_BYTES, name=f"{marker}.pdf")))
    register_model(Event, build=_event)
    register_model(EventInvitation, build=_invitation)
    register_model(EventRsvp, build=_rsvp)
    register_model(LibraryItem, build=_library_item)
    register_model(LibraryFile, build=_library_file)
    register_model(LibraryDownload, build=lambda side, marker: LibraryDownload.objects.create(
        item=side.get(LibraryItem), file=side.get(LibraryFile), partner=side.partner,
        user=side.user(Role.PARTNER_USER)))


def _payloads() -> None:
    from cooperation.models import ClauseKind

    def agreement_payload(side, marker):
        return {"partner": side.partner.pk, "template": side.get(AgreementTemplate).pk, "title": marker,
                "start_date": "2027-01-01", "end_date": "2027-12-31", "discount": "5.00", "territory": marker}

    def draft_template(side, marker):
        # One draft per tenant, reused: a payload builder must not create rows of the model it posts.
        return AgreementTemplate.objects.filter(status="draft", code__startswith="d").first() or complete_template(
            code=f"d{next(_serial)}", name=marker)

    register_model(Agreement, build=_agreement, payload=agreement_payload)
    register_model(AgreementTemplate, build=_published_template, payload=lambda side, marker: {
        "code": f"p{next(_serial)}", "name": marker, "language": "en", "region": side.get(Region).pk,
        "dispute_method": "arbitration", "dispute_venue": marker, "term_months": 12, "priority": 1})
    register_model(TemplateClause, build=lambda side, marker: _saved(TemplateClause(
        template=draft_template(side, marker), kind="other", title=marker, body=marker)),
        payload=lambda side, marker: {"template": draft_template(side, marker).pk, "kind": ClauseKind.OTHER,
                                      "title": marker, "body": marker, "order": 3})
    audience = {"audience_all": False, "partner_types": ["distributor"]}
    register_model(Announcement, build=_announcement, payload=lambda side, marker: {
        "title": marker, "body": marker, "must_acknowledge": True, **audience,
        "regions": [side.get(Region).pk], "partners": [side.partner.pk]},
        admin_payload=lambda side, marker: {"title": marker, "body": marker, "audience_all": "on",
                                            "audience_regions": [side.get(Region).pk],
                                            "audience_partners": [side.partner.pk]})
    register_model(Thread, build=_thread, payload=lambda side, marker: {
        "partner": side.partner.pk, "subject": marker, "body": marker})
    register_model(Event, build=_event, payload=lambda side, marker: {
        "title": marker, "kind": "conference", "starts_at": "2027-06-01T09:00:00Z", "ends_at": "2027-06-01T17:00:00Z",
        "capacity": 20, "agenda": marker, "regions": [side.get(Region).pk], "partners": [side.partner.pk]},
        admin_payload=lambda side, marker: {
            "title": marker, "kind": "conference", "starts_at_0": "2027-06-01", "starts_at_1": "09:00:00",
            "ends_at_0": "2027-06-01", "ends_at_1": "17:00:00", "capacity": 20, "audience_all": "on",
            "audience_regions": [side.get(Region).pk], "audience_partners": [side.partner.pk]})
    register_model(LibraryItem, build=_library_item, payload=lambda side, marker: {
        "title": marker, "kind": "price_list", "is_published": True, "regions": [side.get(Region).pk],
        "partners": [side.partner.pk]},
        admin_payload=lambda side, marker: {"title": marker, "kind": "price_list", "is_published": "on",
                                            "audience_all": "on", "audience_regions": [side.get(Region).pk],
                                            "audience_partners": [side.partner.pk]})
    register_model(CooperationSettings, build=lambda side, marker: CooperationSettings.objects.first()
                   or _saved(CooperationSettings(reminder_days=30)),
                   admin_payload=lambda side, marker: {"reminder_days": 20})

    def sign_body(side, obj):
        return {"signer_name": side.marker(), "signer_title": "GM", "content_hash": obj.content_hash}

    for route, build in {
        "cooperation-api:agreement-review": lambda side, obj: {"decision": "return", "comment": side.marker()},
        "cooperation-api:agreement-sign": sign_body,
        "cooperation-api:agreement-countersign": sign_body,
        "cooperation-api:agreement-terminate": lambda side, obj: {"reason": side.marker()},
        "cooperation-api:agreement-text": lambda side, obj: {"text": side.marker()},
        "cooperation-api:announcement-read": lambda side, obj: {"acknowledge": True},
        "cooperation-api:thread-messages": lambda side, obj: {"body": side.marker()},
        "cooperation-api:event-rsvp": lambda side, obj: {"response": "yes"},
    }.items():
        register_action_payload(route, build)

    reason = "a tenant-wide publication addressed by audience: every partner in it sees the same row"
    for route in ("cooperation-portal:announcement", "cooperation-portal:event",
                  "cooperation-portal:library-download"):
        register_published_route(route, reason)


register()
_payloads()
assert TemplateStatus.PUBLISHED


# --------------------------------------------------------------------------- downloads

def _body(response) -> bytes:
    return b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content


def check_download(world, route) -> None:
    """A message attachment or library file of A downloads; B's (and partner 2's message attachment) 404."""
    model = Message if "message" in route.id or "attachment" in route.id else LibraryItem
    check_file_download(world, route, model=model, partner_owned=model is Message)


def check_file_download(world, route, *, model, partner_owned: bool = True) -> None:
    """A file of A (built now, in this test's media root) downloads; B's, and for partner staff partner 2's
    (when the file belongs to a partner), answer 404 to every method; partner staff stay out of the admin's."""
    from django.test import Client

    from channelhub.testing import find_token

    portal = route.namespace.endswith("-portal")
    mine, theirs = world.a.new(model), world.b.new(model)
    world.b.build_all()
    client = world.a.client(world.a.user(Role.PARTNER_ADMIN if portal else Role.OWNER))
    own = client.get(route.url(pk=mine.pk))
    assert own.status_code == 200, f"{route.id}: tenant A's own file answered {own.status_code}"
    assert _body(own).startswith(b"%PDF")
    others = [theirs] + ([world.a.partner2.new(model)] if portal and partner_owned else [])
    for row in others:
        for method in ("get", "post"):
            response = getattr(client, method)(route.url(pk=row.pk))
            assert response.status_code in (404, 405), f"{method} {route.id} on a foreign file: {response.status_code}"
            assert find_token(_body(response).decode("utf-8", "replace"), world.b.token) is None
    if not portal:
        for partner_role in (Role.PARTNER_ADMIN, Role.PARTNER_USER):
            assert world.a.client(world.a.user(partner_role)).get(route.url(pk=mine.pk)).status_code in (302, 403)
    assert Client().get(route.url(pk=mine.pk)).status_code in (302, 403, 404)


def check_settings_add(world, route) -> None:
    """The settings are one row per tenant: "add" opens tenant A's own row once it exists, never
    B's, and a post through it writes nothing new."""
    from django.urls import reverse

    client = world.a.client(world.a.user(Role.OWNER))
    world.b.build_all()
    mine, theirs = world.a.get(CooperationSettings), world.b.get(CooperationSettings)
    response = client.get(route.url())
    assert response.status_code == 302, f"{route.id}: {response.status_code}"
    assert response["Location"] == reverse("admin:cooperation_cooperationsettings_change", args=[mine.pk])
    assert str(theirs.pk) not in response["Location"].split("/")
    before = world.counts()
    posted = client.post(route.url(), {"reminder_days": 7})
    assert posted.status_code == 302 and world.counts() == before, f"POST {route.id} wrote rows"


register_route_check("admin:cooperation_cooperationsettings_add", check_settings_add)


for _route in ("admin:cooperation_message_download", "admin:cooperation_libraryitem_download",
               "cooperation-portal:attachment", "cooperation-portal:library-download"):
    register_route_check(_route, check_download)


# --------------------------------------------------------------------------- Cooperation II: sales reporting

_month_serial = itertools.count(0)


def _fresh_month() -> datetime.date:
    """A month of its own for every row built (a period per month; one figure per key)."""
    n = next(_month_serial)
    return datetime.date(2012 + n // 12, n % 12 + 1, 1)


def _sales_rows(side, marker: str, month: datetime.date) -> list[dict]:
    from channelhub.partners.models import Product

    return [{"period": month.strftime("%Y-%m"), "sku": side.get(Product).sku, "region": side.get(Region).code,
             "quantity": "3", "amount": "300.00", "end_customers": "1"}]


def _sales_report(side, marker: str):
    result = services.sales_import(tenant=side.tenant, partner=side.partner, actor=None,
                                   rows=_sales_rows(side, marker, _fresh_month()), file_name=f"{marker}.csv")
    assert result.ok, result.errors
    return result.report


def _sales_line(side, marker: str):
    """A corrected figure: the current line carries the marker as its reason (shown in the portal and API)."""
    month = _fresh_month()
    rows = _sales_rows(side, marker, month)
    services.sales_import(tenant=side.tenant, partner=side.partner, actor=None, rows=rows)
    result = services.sales_import(tenant=side.tenant, partner=side.partner, actor=None, file_name=marker,
                                   rows=[{**rows[0], "amount": "310.00", "correction": "1", "reason": marker}])
    assert result.ok, result.errors
    return result.report.lines.get()


def _reporting_status(side, marker: str):
    from cooperation.models import ReportingStatus

    report = _sales_report(side, marker)
    return ReportingStatus.objects.get(partner=side.partner, period=report.lines.get().period)


def _register_sales() -> None:
    from cooperation.models import ReportingStatus, SalesLine, SalesPeriod, SalesReport

    def period(side, marker):
        return services.sales_period_create(tenant=side.tenant, actor=None, month=_fresh_month())

    register_model(SalesPeriod, build=period, payload=lambda side, marker: {
        "month": _fresh_month().isoformat(), "is_closed": False},
        admin_payload=lambda side, marker: {"month": _fresh_month().isoformat(), "deadline": "2030-01-10"})
    register_model(SalesReport, build=_sales_report, payload=lambda side, marker: {
        "rows": _sales_rows(side, marker, _fresh_month()), "idempotency_key": marker})
    register_model(SalesLine, build=_sales_line)
    register_model(ReportingStatus, build=_reporting_status)
    # The product catalogue and the region tree are the tenant's: every partner's form lists them.
    register_published_route("cooperation-portal:sales-new", "the form lists the tenant's products and regions")
    register_route_check("cooperation-portal:sales-new", check_sales_form)


def check_sales_form(world, route) -> None:
    """Tenant B's product and region are not choices in A's form: a form error, nothing written."""
    from channelhub.partners.models import Product
    from cooperation.models import SalesLine

    client = world.a.client(world.a.user(Role.PARTNER_ADMIN))
    page = client.get(route.url())
    assert page.status_code == 200
    from channelhub.testing import find_token

    world.b.build_all()
    assert find_token(page.content.decode(), world.b.token) is None
    month = datetime.date.today().replace(day=1).strftime("%Y-%m")
    with world.a.scope():
        before = SalesLine.objects.count()
    response = client.post(route.url(), {
        "period": month, "product": world.b.get(Product).pk, "region": world.b.get(Region).pk, "quantity": 1,
        "amount": "1", "currency": "CNY", "end_customers": 0})
    assert response.status_code == 200 and {"product", "region"} <= set(response.context["form"].errors)
    with world.a.scope():
        assert SalesLine.objects.count() == before
    with world.b.scope():
        assert not SalesLine.objects.filter(product=world.b.get(Product), partner=world.a.partner).exists()


_register_sales()


# --------------------------------------------------------------------------- Cooperation II: joint targets


def _target(side, marker: str):
    return services.target_propose(tenant=side.tenant, actor=None, partner=side.partner, span="month",
                                   start=_fresh_month(), amount="1200.00", category=marker, plan=marker, note=marker)


def _register_targets() -> None:
    from cooperation.models import SalesTarget, TargetMonth

    register_model(SalesTarget, build=_target, payload=lambda side, marker: {
        "partner": side.partner.pk, "span": "month", "start": _fresh_month().isoformat(), "amount": "900.00",
        "category": marker, "plan": marker},
        admin_payload=lambda side, marker: {
            "partner": side.partner.pk, "span": "month", "start": _fresh_month().isoformat(), "amount": "900.00",
            "category": marker, "plan": marker})
    register_model(TargetMonth, build=lambda side, marker: side.new(SalesTarget).months.get())
    register_action_payload("cooperation-api:target-approve", lambda side, obj: {"revision": obj.revision})


_register_targets()


# --------------------------------------------------------------------------- Cooperation II: promotion support (MDF)


def _mdf_budget(side, marker: str):
    today = datetime.date.today()
    return services.budget_create(tenant=side.tenant, actor=None, name=marker, total="100000000",
                                  start=today - datetime.timedelta(days=400), end=today + datetime.timedelta(days=400))


def _mdf_request(side, marker: str, submit: bool = True):
    """A submitted request of the side's partner for an activity that is over (so it can be claimed)."""
    past = datetime.date.today() - datetime.timedelta(days=30)
    return services.fund_request_create(tenant=side.tenant, actor=None, partner=side.partner, submit=submit,
                                        title=marker, plan=marker, expected_results=marker, starts_on=past,
                                        ends_on=past + datetime.timedelta(days=1), requested_amount="1000")


def _mdf_claim(side, marker: str):
    from cooperation.models import FundBudget

    request = services.fund_request_approve(request=_mdf_request(side, marker), actor=None,
                                            budget=side.get(FundBudget))
    return services.fund_claim_submit(request=request, actor=None, actual_cost="900", claimed_amount="800",
                                      results=marker, files=[ContentFile(PDF_BYTES, name=f"{marker}.pdf")])


def _mdf_file(side, marker: str):
    from cooperation.models import FundClaim

    return services.fund_claim_add_file(claim=side.new(FundClaim), actor=None,
                                        file=ContentFile(PDF_BYTES, name=f"{marker}.pdf"))


def _approved_mdf_request(side):
    """An approved request without a claim (what the claim payload points at): one per side, reused."""
    from cooperation.models import FundBudget, FundRequest

    found = FundRequest.objects.filter(partner=side.partner, state="approved", claims__isnull=True,
                                       title__startswith="payload").first()
    if found is not None:
        return found
    row = _mdf_request(side, f"payload {side.marker()}")
    return services.fund_request_approve(request=row, actor=None, budget=side.get(FundBudget))


def _register_promotion() -> None:
    from cooperation.models import FundBudget, FundClaim, FundClaimFile, FundRequest

    today = datetime.date.today()
    register_model(FundBudget, build=_mdf_budget, payload=lambda side, marker: {
        "name": marker, "start": today.isoformat(), "end": (today + datetime.timedelta(days=90)).isoformat(),
        "total": "5000.00", "partner": side.partner.pk},
        admin_payload=lambda side, marker: {
            "name": marker, "start": today.isoformat(), "end": (today + datetime.timedelta(days=90)).isoformat(),
            "total": "5000.00", "partner": side.partner.pk, "is_open": "on"})
    register_model(FundRequest, build=_mdf_request, payload=lambda side, marker: {
        "partner": side.partner.pk, "title": marker, "kind": "seminar", "plan": marker,
        "starts_on": today.isoformat(), "ends_on": today.isoformat(), "requested_amount": "500.00"})
    register_model(FundClaim, build=_mdf_claim, payload=lambda side, marker: {
        "request": _approved_mdf_request(side).pk, "actual_cost": "100.00", "claimed_amount": "50.00",
        "results": marker})
    register_model(FundClaimFile, build=_mdf_file)
    for route, build in {
        "cooperation-api:fund-request-approve": lambda side, obj: {"budget": side.get(FundBudget).pk},
        "cooperation-api:fund-request-reject": lambda side, obj: {"comment": side.marker()},
        "cooperation-api:fund-request-return": lambda side, obj: {"comment": side.marker()},
        "cooperation-api:fund-request-close": lambda side, obj: {"reason": side.marker()},
        "cooperation-api:fund-claim-review": lambda side, obj: {"decision": "reject", "comment": side.marker()},
        "cooperation-api:fund-claim-pay": lambda side, obj: {"payment_reference": side.marker()},
        "cooperation-api:fund-claim-upload": lambda side, obj: {},
    }.items():
        register_action_payload(route, build)
    for route in ("admin:cooperation_fundclaim_proof", "cooperation-portal:mdf-proof"):
        register_route_check(route, check_proof_download)


def check_proof_download(world, route) -> None:
    """A proof file of A downloads; B's, and for partner staff partner 2's, answer 404."""
    from cooperation.models import FundClaimFile

    check_file_download(world, route, model=FundClaimFile)


_register_promotion()


# --------------------------------------------------------------------------- Cooperation II: service tickets


def _ticket(side, marker: str):
    from channelhub.partners.models import Product

    return services.ticket_raise(tenant=side.tenant, actor=None, partner=side.partner, product=side.get(Product),
                                 customer_name=marker, customer_contact=marker, subject=marker, description=marker)


def _free_priority() -> str:
    """A priority without a service level in the current tenant (the admin's add form takes one per priority)."""
    from cooperation.models import ServiceLevel, TicketPriority

    taken = set(ServiceLevel.objects.values_list("priority", flat=True))
    return next((p for p in TicketPriority.values if p not in taken), TicketPriority.LOW)


def _register_service() -> None:
    from channelhub.partners.models import Product
    from cooperation.models import ServiceLevel, ServiceTicket, TicketComment

    register_model(ServiceLevel, build=lambda side, marker: ServiceLevel.objects.filter(priority="urgent").first()
                   or services.service_level_save(tenant=side.tenant, actor=None, priority="urgent",
                                                  response_hours=1, resolution_hours=12),
                   payload=lambda side, marker: {"priority": _free_priority(), "response_hours": 3,
                                                 "resolution_hours": 30},
                   admin_payload=lambda side, marker: {"priority": _free_priority(), "response_hours": 3,
                                                       "resolution_hours": 30})
    ticket = {"customer_name": "x", "subject": "x", "priority": "high"}
    register_model(ServiceTicket, build=_ticket, payload=lambda side, marker: {
        **ticket, "partner": side.partner.pk, "product": side.get(Product).pk, "customer_name": marker,
        "subject": marker},
        admin_payload=lambda side, marker: {
            **ticket, "partner": side.partner.pk, "product": side.get(Product).pk, "customer_name": marker,
            "subject": marker, "description": marker, "customer_contact": ""})
    register_model(TicketComment, build=lambda side, marker: services.ticket_comment(
        ticket=side.get(ServiceTicket), actor=None, body=marker))
    register_action_payload("cooperation-api:service-ticket-transition",
                            lambda side, obj: {"to_status": "in_progress"})
    register_action_payload("cooperation-api:service-ticket-comments", lambda side, obj: {"body": side.marker()})
    # The product catalogue is the tenant's: every partner's form lists it.
    register_published_route("cooperation-portal:ticket-new", "the form lists the tenant's products")
    register_route_check("cooperation-portal:ticket-new", check_ticket_form)


def check_ticket_form(world, route) -> None:
    """Tenant B's product is not a choice in A's form: a form error, nothing written."""
    from channelhub.partners.models import Product
    from channelhub.testing import find_token
    from cooperation.models import ServiceTicket

    client = world.a.client(world.a.user(Role.PARTNER_USER))
    world.b.build_all()
    page = client.get(route.url())
    assert page.status_code == 200
    assert find_token(page.content.decode(), world.b.token) is None
    with world.a.scope():
        before = ServiceTicket.objects.count()
    response = client.post(route.url(), {"product": world.b.get(Product).pk, "customer_name": "x", "subject": "x",
                                         "priority": "normal"})
    assert response.status_code == 200 and "product" in response.context["form"].errors
    with world.a.scope():
        assert ServiceTicket.objects.count() == before


_register_service()


# --------------------------------------------------------------------------- Cooperation II: leads and feedback


def _lead(side, marker: str):
    """A manual lead forwarded to the side's partner (what its portal and API show), the marker as its company."""
    from channelhub.partners.models import Product

    lead = services.lead_create(tenant=side.tenant, actor=None, company=marker, region=side.get(Region),
                                product=side.get(Product), interest=marker, routing="manual", value="5000")
    services.lead_offer(lead=lead, actor=None, partner=side.partner)
    lead.refresh_from_db()
    return lead


def _lead_offer(side, marker: str):
    from cooperation.models import LeadOffer

    return LeadOffer.objects.get(lead=_lead(side, marker), partner=side.partner)


def _feedback(side, marker: str):
    from channelhub.partners.models import Product

    return services.feedback_submit(tenant=side.tenant, actor=None, partner=side.partner, category="pricing",
                                    title=marker, text=marker, region=side.get(Region), product=side.get(Product),
                                    files=[ContentFile(PDF_BYTES, name=f"{marker}.pdf")])


def _feedback_file(side, marker: str):
    """A file of a fresh feedback item of the side's partner (written in this test's media root)."""
    from cooperation.models import Feedback

    return side.new(Feedback).files.get()


def _register_leads_feedback() -> None:
    from channelhub.partners.models import Product
    from cooperation.models import Feedback, FeedbackFile, Lead, LeadOffer, LeadRoutingWeight

    def lead_body(side, marker):
        return {"company": marker, "region": side.get(Region).pk, "product": side.get(Product).pk,
                "routing": "manual", "value": "1000.00", "source": "website", "offer_to": side.partner.pk}

    register_model(Lead, build=_lead, payload=lead_body, admin_payload=lambda side, marker: {
        **lead_body(side, marker), "interest": marker, "response_hours": 48, "partner_type": "",
        "contact_name": "", "contact_phone": "", "contact_email": "", "description": ""})
    register_model(LeadOffer, build=_lead_offer)
    register_model(LeadRoutingWeight, build=lambda side, marker: services.weight_save(
        tenant=side.tenant, actor=None, partner=side.new(Partner), weight="2", note=marker),
        admin_payload=lambda side, marker: {"partner": side.new(Partner).pk, "weight": "2", "note": marker})
    register_model(Feedback, build=_feedback, payload=lambda side, marker: {
        "category": "demand", "title": marker, "text": marker, "region": side.get(Region).pk,
        "product": side.get(Product).pk})
    register_model(FeedbackFile, build=_feedback_file)
    register_action_payload("cooperation-api:lead-offer", lambda side, obj: {"partner": side.new(Partner).pk})
    register_action_payload("cooperation-api:lead-close", lambda side, obj: {"outcome": "lost", "note": "x"})
    register_action_payload("cooperation-api:lead-offer-decline", lambda side, obj: {"reason": side.marker()})
    register_action_payload("cooperation-api:lead-offer-outcome", lambda side, obj: {"outcome": "converted"})
    register_action_payload("cooperation-api:feedback-answer", lambda side, obj: {"answer": side.marker()})
    register_action_payload("cooperation-api:feedback-tags", lambda side, obj: {"tags": side.marker()})
    for route in ("admin:cooperation_feedback_file", "cooperation-portal:feedback-file"):
        register_route_check(route, check_feedback_download)
    register_route_check("cooperation-portal:feedback-new", check_feedback_form)


def check_feedback_download(world, route) -> None:
    """A's feedback file downloads; B's (in the portal partner 2's too) answer 404; partner staff stay out of admin."""
    from cooperation.models import FeedbackFile

    check_file_download(world, route, model=FeedbackFile)


def check_feedback_form(world, route) -> None:
    """Tenant B's region and product are no choices in A's form: a form error, nothing written."""
    from channelhub.partners.models import Product
    from channelhub.testing import find_token
    from cooperation.models import Feedback

    client = world.a.client(world.a.user(Role.PARTNER_ADMIN))
    world.b.build_all()
    page = client.get(route.url())
    assert page.status_code == 200 and find_token(page.content.decode(), world.b.token) is None
    with world.a.scope():
        before = Feedback.objects.count()
    response = client.post(route.url(), {"category": "demand", "title": "t", "text": "x",
                                         "region": world.b.get(Region).pk, "product": world.b.get(Product).pk})
    assert response.status_code == 200 and {"product", "region"} <= set(response.context["form"].errors)
    with world.a.scope():
        assert Feedback.objects.count() == before
    accepted = client.post(route.url(), {"category": "demand", "title": "t", "text": "x",
                                         "region": world.a.get(Region).pk, "product": world.a.get(Product).pk})
    assert accepted.status_code == 302
    with world.a.scope():
        assert Feedback.objects.count() == before + 1


_register_leads_feedback()


# --------------------------------------------------------------------------- Cooperation II: deal registration

_deal_serial = itertools.count(1)


def _deal(side, marker: str):
    """A registration as it stands (made before any qualification the training harness declares applied)."""
    from unittest import mock

    from channelhub import eligibility

    with mock.patch.object(eligibility, "partner_is_qualified", lambda *args, **kwargs: eligibility.QUALIFIED):
        return services.deal_register(tenant=side.tenant, actor=None, partner=side.partner,
                                      customer_name=f"{marker}{next(_deal_serial)}", products=marker,
                                      amount="1000.00", expected_close=datetime.date(2031, 1, 1), contact_name=marker)


def _direct_account(side, marker: str):
    return services.direct_account_create(tenant=side.tenant, actor=None, name=f"{marker}{next(_deal_serial)}",
                                          note=marker)


def _conflict(side, marker: str):
    """A territory conflict between the side's partner and a direct account (one partner per case, so a partner
    never shares a case with another partner of the world)."""
    from cooperation.models import DirectAccount

    return services.conflict_open(tenant=side.tenant, actor=None, kind="territory", summary=marker,
                                  customer_name=marker, partners=[side.partner],
                                  direct_account=side.get(DirectAccount))


def _register_deals() -> None:
    from cooperation.models import (
        ConflictCase,
        ConflictEvidence,
        ConflictParty,
        DealMatch,
        DealRegistration,
        DirectAccount,
    )

    register_model(DirectAccount, build=_direct_account,
                   payload=lambda side, marker: {"name": f"{marker}{next(_deal_serial)}", "note": marker,
                                                 "region": side.get(Region).pk},
                   admin_payload=lambda side, marker: {"name": f"{marker}{next(_deal_serial)}", "note": marker,
                                                       "is_active": "on"})
    register_model(DealRegistration, build=_deal, payload=lambda side, marker: {
        "customer_name": f"{marker}{next(_deal_serial)}", "products": marker, "amount": "100.00",
        "expected_close": "2031-01-01", "region": side.get(Region).pk})
    register_model(DealMatch, build=lambda side, marker: DealMatch.objects.create(
        registration=side.new(DealRegistration), other=side.new(DealRegistration), kind="near", score=80))
    register_model(ConflictCase, build=_conflict, payload=lambda side, marker: {
        "kind": "territory", "summary": marker, "customer_name": marker, "partners": [side.partner.pk],
        "direct_account": side.get(DirectAccount).pk})
    register_model(ConflictParty, build=lambda side, marker: side.new(ConflictCase).parties.get())
    register_model(ConflictEvidence, build=lambda side, marker: _saved(ConflictEvidence(
        case=side.get(ConflictCase), partner=side.partner, text=marker)))
    for route, build in {
        "cooperation-api:deal-registration-approve": lambda side, obj: {"protection_days": 30},
        "cooperation-api:deal-registration-reject": lambda side, obj: {"note": side.marker()},
        "cooperation-api:deal-registration-extend": lambda side, obj: {"days": 10},
        "cooperation-api:deal-registration-close": lambda side, obj: {"won": True, "amount": "10.00"},
        "cooperation-api:conflict-case-decide": lambda side, obj: {"resolution": "dismissed",
                                                                   "note": side.marker()},
        "cooperation-api:conflict-case-close": lambda side, obj: {"outcome": side.marker()},
        "cooperation-api:conflict-case-evidence": lambda side, obj: {"text": side.marker()},
    }.items():
        register_action_payload(route, build)
    register_published_route("cooperation-portal:deal-new", "the form lists the tenant's regions, nothing else")
    register_route_check("cooperation-portal:deal-new", check_deal_form)


def check_deal_form(world, route) -> None:
    """Tenant B's region is no choice in A's form: a form error, nothing written; B's rows never shown."""
    from unittest import mock

    from channelhub import eligibility
    from channelhub.testing import find_token
    from cooperation.models import DealRegistration

    client = world.a.client(world.a.user(Role.PARTNER_ADMIN))
    world.b.build_all()
    page = client.get(route.url())
    assert page.status_code == 200
    assert find_token(page.content.decode(), world.b.token) is None
    with world.a.scope():
        before = DealRegistration.objects.count()
    body = {"customer_name": "区域测试客户", "products": "p", "amount": "1", "currency": "CNY",
            "expected_close": "2031-01-01", "region": world.b.get(Region).pk}
    response = client.post(route.url(), body)
    assert response.status_code == 200 and "region" in response.context["form"].errors
    with world.a.scope():
        assert DealRegistration.objects.count() == before
    with mock.patch.object(eligibility, "partner_is_qualified", lambda *args, **kwargs: eligibility.QUALIFIED):
        accepted = client.post(route.url(), {**body, "region": world.a.get(Region).pk})
    assert accepted.status_code == 302


_register_deals()
