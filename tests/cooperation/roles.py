"""Cooperation's rows of the role table (see ``tests/roles/chapters.py``): written down, never derived.

Agreements: managers draft and countersign, legal reviews, the partner's administrator signs;
every staff role reads. The record's button pages open for staff and offer their form only to the
role and state the service admits. Partner staff use the portal pages and read their own
partner's agreements and threads and the publications addressed to them.
"""

from __future__ import annotations

from channelhub.tenancy.roles import Role
from tests.roles.setups import ACTION_SETUP, PAGE_ROWS
from tests.roles.table import MANAGERS, NOBODY, OWNER, PARTNER, PARTNER_ADMIN, STAFF, add, admin, api

LEGAL = frozenset({Role.LEGAL})
TEMPLATE_WRITERS = MANAGERS | LEGAL

add({"admin:app_list GET cooperation": STAFF})

admin("cooperation.agreementtemplate", view=STAFF, change=TEMPLATE_WRITERS,
      actions={"publish": TEMPLATE_WRITERS, "new_version": TEMPLATE_WRITERS, "retire": TEMPLATE_WRITERS})
# Agreements are records: a draft is left or terminated, never deleted.
admin("cooperation.agreement", view=STAFF, change=MANAGERS, delete=NOBODY,
      actions={"submit_to_review": MANAGERS},
      extra={f"admin:cooperation_agreement_{page} GET": STAFF
             for page in ("submit", "review", "countersign", "terminate", "text", "print", "pdf", "diff")})
admin("cooperation.cooperationsettings", view=STAFF, change=OWNER, delete=NOBODY)
admin("cooperation.announcement", view=STAFF, change=MANAGERS, actions={"publish": MANAGERS})
# The reply button posts to its own URL; nothing is served there by GET (405 for everyone).
admin("cooperation.thread", view=STAFF, change=MANAGERS, delete=NOBODY,
      extra={"admin:cooperation_thread_reply GET": NOBODY})
admin("cooperation.message", view=STAFF, change=NOBODY,
      extra={"admin:cooperation_message_download GET": STAFF})
admin("cooperation.event", view=STAFF, change=MANAGERS, actions={"publish": MANAGERS, "cancel": MANAGERS})
admin("cooperation.eventrsvp", view=STAFF, change=NOBODY, actions={"check_in": MANAGERS})
admin("cooperation.libraryitem", view=STAFF, change=MANAGERS,
      extra={"admin:cooperation_libraryitem_download GET": STAFF})

api("cooperation-api:template", read=STAFF, write=TEMPLATE_WRITERS,
    actions={"publish POST": TEMPLATE_WRITERS, "new-version POST": TEMPLATE_WRITERS})
api("cooperation-api:clause", read=STAFF, write=TEMPLATE_WRITERS)
api("cooperation-api:agreement", read=STAFF | PARTNER, write=MANAGERS,
    ops="list create retrieve update partial_update", actions={
        "submit POST": MANAGERS, "review POST": LEGAL, "sign POST": PARTNER_ADMIN, "countersign POST": MANAGERS,
        "terminate POST": MANAGERS, "renew POST": MANAGERS, "text POST": MANAGERS, "versions GET": STAFF | PARTNER,
    })
api("cooperation-api:announcement", read=STAFF | PARTNER, write=MANAGERS,
    actions={"publish POST": MANAGERS, "read POST": PARTNER})
api("cooperation-api:thread", read=STAFF | PARTNER, write=MANAGERS | PARTNER, ops="list create retrieve",
    actions={"messages GET": STAFF | PARTNER, "messages POST": MANAGERS | PARTNER})
api("cooperation-api:event", read=STAFF | PARTNER, write=MANAGERS,
    actions={"publish POST": MANAGERS, "cancel POST": MANAGERS, "rsvp POST": PARTNER})
api("cooperation-api:library-item", read=STAFF | PARTNER, write=MANAGERS,
    actions={"files GET": STAFF | PARTNER, "upload POST": MANAGERS})

add({f"cooperation-portal:{name} GET": PARTNER for name in (
    "agreements", "agreement", "agreement-pdf", "announcements", "announcement", "threads", "thread-new", "thread",
    "attachment", "events", "event", "library", "library-download")})


def _fresh(model_label: str):
    def build(world):
        from django.apps import apps

        return world.a.new(apps.get_model(model_label))

    return build


# Downloads need a file written in this test's media root: a fresh row each time.
PAGE_ROWS.update({
    "admin:cooperation_message_download": _fresh("cooperation.Message"),
    "admin:cooperation_libraryitem_download": _fresh("cooperation.LibraryItem"),
})


# --------------------------------------------------------------------------- services (authorization twice)

def _agreement(world, until: str = "draft"):
    """A fresh agreement of the partner admin's partner, moved as the system (and its administrator)."""
    from cooperation import services
    from cooperation.models import Agreement, AgreementTemplate

    agreement = services.agreement_create(tenant=world.a.tenant, actor=None, partner=world.a.partner,
                                          template=world.a.get(AgreementTemplate))
    steps = ["legal_review", "sent", "partner_signed", "active"]
    if until in steps:
        for step in steps[: steps.index(until) + 1]:
            if step == "legal_review":
                services.agreement_submit(agreement=agreement, actor=None)
            elif step == "sent":
                services.agreement_review(agreement=agreement, actor=None, decision="approve")
            elif step == "partner_signed":
                services.agreement_sign(agreement=agreement, actor=world.a.user(Role.PARTNER_ADMIN),
                                        signer_name="a", signer_title="b", content_hash=agreement.content_hash)
            else:
                services.agreement_countersign(agreement=agreement, actor=world.a.user(Role.OWNER),
                                               signer_name="c", signer_title="d", content_hash=agreement.content_hash)
    return Agreement.objects.get(pk=agreement.pk)


def _services():
    from cooperation import services
    from cooperation.models import AgreementTemplate, Announcement, Event, LibraryItem
    from tests.cooperation.factories import complete_template
    from tests.roles.cases import ServiceCase

    def sign(service, until):
        def call(world, actor):
            agreement = _agreement(world, until)
            service(agreement=agreement, actor=actor, signer_name="x", signer_title="y",
                    content_hash=agreement.content_hash)
        return call

    def rsvp(world, actor):
        services.event_rsvp(event=world.a.get(Event), actor=actor, response="maybe")

    def upload(world, actor):
        from django.core.files.base import ContentFile

        from tests.cooperation.factories import PDF_BYTES

        services.library_file_add(item=world.a.get(LibraryItem), actor=actor, file=ContentFile(PDF_BYTES, "x.pdf"))

    return [
        ServiceCase("agreement_create", ("cooperation-api:agreement-list POST",), lambda world, actor:
                    services.agreement_create(tenant=world.a.tenant, actor=actor, partner=world.a.partner,
                                              template=world.a.get(AgreementTemplate))),
        ServiceCase("agreement_submit", ("cooperation-api:agreement-submit POST",), lambda world, actor:
                    services.agreement_submit(agreement=_agreement(world), actor=actor)),
        ServiceCase("agreement_review", ("cooperation-api:agreement-review POST",), lambda world, actor:
                    services.agreement_review(agreement=_agreement(world, "legal_review"), actor=actor,
                                              decision="approve")),
        ServiceCase("agreement_sign", ("cooperation-api:agreement-sign POST",),
                    sign(services.agreement_sign, "sent")),
        ServiceCase("agreement_countersign", ("cooperation-api:agreement-countersign POST",),
                    sign(services.agreement_countersign, "partner_signed")),
        ServiceCase("agreement_terminate", ("cooperation-api:agreement-terminate POST",), lambda world, actor:
                    services.agreement_terminate(agreement=_agreement(world, "active"), actor=actor,
                                                 reason="matrix")),
        ServiceCase("template_publish", ("cooperation-api:template-publish POST",), lambda world, actor:
                    services.template_publish(template=complete_template(code="matrix"), actor=actor)),
        ServiceCase("announcement_create", ("cooperation-api:announcement-list POST",), lambda world, actor:
                    services.announcement_create(tenant=world.a.tenant, actor=actor, title="t", body="b")),
        ServiceCase("announcement_read", ("cooperation-api:announcement-read POST",), lambda world, actor:
                    services.announcement_read(announcement=world.a.get(Announcement), actor=actor)),
        ServiceCase("thread_start", ("cooperation-api:thread-list POST",), lambda world, actor:
                    services.thread_start(tenant=world.a.tenant, actor=actor, partner=world.a.partner,
                                          subject="s", body="b")),
        ServiceCase("event_rsvp", ("cooperation-api:event-rsvp POST",), rsvp),
        ServiceCase("library_file_add", ("cooperation-api:library-item-upload POST",), upload),
        ServiceCase("settings_update", ("admin:cooperation_cooperationsettings_change POST",), lambda world, actor:
                    services.settings_update(tenant=world.a.tenant, actor=actor, reminder_days=10)),
    ]


SERVICES = _services()


# --------------------------------------------------------------------------- Cooperation II: sales reporting
# Partners report their own figures (portal, file, API); managers set deadlines and close periods; every
# staff role reads the figures, reports and reporting statuses, which are records and never edited by hand.

admin("cooperation.salesperiod", view=STAFF, change=MANAGERS, delete=NOBODY)
admin("cooperation.salesreport", view=STAFF, change=NOBODY)
admin("cooperation.salesline", view=STAFF, change=NOBODY, plain=True)
admin("cooperation.reportingstatus", view=STAFF, change=NOBODY, plain=True)
api("cooperation-api:sales-period", read=STAFF | PARTNER, write=MANAGERS,
    ops="list create retrieve update partial_update")
api("cooperation-api:sales-report", read=STAFF | PARTNER, write=PARTNER, ops="list create retrieve")
api("cooperation-api:sales-line", read=STAFF | PARTNER, ops="read")
add({f"cooperation-portal:{name} GET": PARTNER for name in ("sales", "sales-new", "sales-upload", "sales-template")})


def _sales_services():
    import datetime

    from channelhub.partners.models import Product, Region
    from cooperation import services
    from cooperation.models import SalesPeriod
    from tests.roles.cases import ServiceCase

    serial = iter(range(10_000))

    def report(world, actor):
        n = next(serial)
        month = datetime.date(2010 + n // 12, n % 12 + 1, 1)
        result = services.sales_import(
            tenant=world.a.tenant, partner=world.a.partner, actor=actor,
            rows=[{"period": month.strftime("%Y-%m"), "sku": world.a.get(Product).sku,
                   "region": world.a.get(Region).code, "quantity": "1", "amount": "1"}])
        assert result.ok, result.errors

    def period(world, actor):
        services.sales_period_update(period=world.a.get(SalesPeriod), actor=actor, is_closed=False)

    return [
        ServiceCase("sales_import", ("cooperation-api:sales-report-list POST",), report),
        ServiceCase("sales_period_update", ("cooperation-api:sales-period-detail PATCH",), period),
    ]


SERVICES += _sales_services()


# --------------------------------------------------------------------------- Cooperation II: joint targets
# Managers speak for the vendor, the partner's administrator for the partner; a target is changed, never deleted.

admin("cooperation.salestarget", view=STAFF, change=MANAGERS, delete=NOBODY, actions={"approve": MANAGERS})
api("cooperation-api:target", read=STAFF | PARTNER, write=MANAGERS | PARTNER_ADMIN,
    ops="list create retrieve update partial_update",
    actions={"approve POST": MANAGERS | PARTNER_ADMIN, "months GET": STAFF | PARTNER})
add({"cooperation-portal:targets GET": PARTNER, "cooperation-portal:target GET": PARTNER,
     "cooperation-portal:target-new GET": PARTNER_ADMIN})


def _target_services():
    import datetime

    from cooperation import services
    from tests.roles.cases import ServiceCase

    serial = iter(range(10_000))

    def month():
        n = next(serial)
        return datetime.date(2040 + n // 12, n % 12 + 1, 1)

    def propose(world, actor):
        services.target_propose(tenant=world.a.tenant, actor=actor, partner=world.a.partner, span="month",
                                start=month(), amount="100")

    def approve(world, actor):
        # The other side from the approver proposes (one's own proposal is not an approval).
        partner_side = actor is not None and services.side_of(actor, world.a.tenant.pk) == "partner"
        proposer = world.a.user(Role.CHANNEL_MANAGER if partner_side else Role.PARTNER_ADMIN)
        target = services.target_propose(tenant=world.a.tenant, actor=proposer,
                                         partner=world.a.partner, span="month", start=month(), amount="100")
        services.target_approve(target=target, actor=actor)

    return [
        ServiceCase("target_propose", ("cooperation-api:target-list POST",), propose),
        ServiceCase("target_approve", ("cooperation-api:target-approve POST",), approve),
    ]


SERVICES += _target_services()


def _partner_proposed_target(world):
    """A target the partner's administrator proposed: what the vendor's approve action moves."""
    import datetime

    from cooperation import services

    with world.a.scope():
        n = len(_partner_proposed_months)
        _partner_proposed_months.append(n)
        return services.target_propose(tenant=world.a.tenant, actor=world.a.user(Role.PARTNER_ADMIN),
                                       partner=world.a.partner, span="month",
                                       start=datetime.date(2060 + n // 12, n % 12 + 1, 1), amount="100")


_partner_proposed_months: list[int] = []
ACTION_SETUP["admin:cooperation.salestarget#approve"] = _partner_proposed_target


# --------------------------------------------------------------------------- admin actions: rows they can move
# An admitted role's POST must change something, or the refusals prove nothing: each action gets
# a row in the state it moves from (a draft), built in tenant A.
def _in_a(build):
    def setup(world):
        with world.a.scope():
            return build(world)
    return setup


def _draft_template(world):
    from tests.cooperation.factories import complete_template

    return complete_template()


def _draft_announcement(world):
    from cooperation import services

    return services.announcement_create(tenant=world.a.tenant, actor=None, title=world.a.marker(),
                                        body="matrix", audience_all=True)


def _draft_event(world):
    import datetime

    from cooperation import services

    starts = datetime.datetime(2030, 3, 1, 9, tzinfo=datetime.UTC)
    return services.event_create(tenant=world.a.tenant, actor=None, title=world.a.marker(), starts_at=starts,
                                 ends_at=starts + datetime.timedelta(hours=8), capacity=10, audience_all=True)


ACTION_SETUP.update({
    "admin:cooperation.agreementtemplate#publish": _in_a(_draft_template),
    "admin:cooperation.agreementtemplate#delete_selected": _in_a(_draft_template),
    "admin:cooperation.agreement#submit_to_review": _in_a(_agreement),
    "admin:cooperation.announcement#publish": _in_a(_draft_announcement),
    "admin:cooperation.announcement#delete_selected": _in_a(_draft_announcement),
    "admin:cooperation.event#publish": _in_a(_draft_event),
    "admin:cooperation.event#delete_selected": _in_a(_draft_event),
})


# --------------------------------------------------------------------------- Cooperation II: promotion support (MDF)
# Partner staff request funds and claim them for their own partner (portal, API); owners and channel managers decide
# requests and claims; owners and finance record payments; owners, channel managers and finance set budgets. Every
# staff role reads. Requests and claims are records from the partner: never typed in, changed or deleted in the
# admin, where their buttons' pages open for staff and offer their form only to the deciding role.

FINANCE_ROLES = frozenset({Role.OWNER, Role.FINANCE})
BUDGET_SETTERS = MANAGERS | frozenset({Role.FINANCE})

admin("cooperation.fundbudget", view=STAFF, change=BUDGET_SETTERS, delete=NOBODY)
admin("cooperation.fundrequest", view=STAFF, change=NOBODY,
      extra={f"admin:cooperation_fundrequest_{page} GET": STAFF for page in ("decide", "close")})
admin("cooperation.fundclaim", view=STAFF, change=NOBODY,
      extra={f"admin:cooperation_fundclaim_{page} GET": STAFF for page in ("review", "pay", "proof")})
api("cooperation-api:fund-budget", read=STAFF, write=BUDGET_SETTERS, ops="list create retrieve update partial_update")
api("cooperation-api:fund-request", read=STAFF | PARTNER, write=PARTNER,
    ops="list create retrieve update partial_update",
    actions={"submit POST": PARTNER, "approve POST": MANAGERS, "reject POST": MANAGERS, "return POST": MANAGERS,
             "close POST": MANAGERS})
api("cooperation-api:fund-claim", read=STAFF | PARTNER, write=PARTNER, ops="list create retrieve",
    actions={"files GET": STAFF | PARTNER, "upload POST": PARTNER, "review POST": MANAGERS,
             "pay POST": FINANCE_ROLES})
add({f"cooperation-portal:{name} GET": PARTNER for name in ("mdf", "mdf-new", "mdf-request", "mdf-proof")})
PAGE_ROWS["admin:cooperation_fundclaim_proof"] = _fresh("cooperation.FundClaimFile")


def _promotion_services():
    import datetime

    from django.core.files.base import ContentFile

    from cooperation import services
    from cooperation.models import FundBudget
    from tests.cooperation.factories import PDF_BYTES
    from tests.roles.cases import ServiceCase

    past = datetime.date.today() - datetime.timedelta(days=20)

    def request(world, actor=None, submit=True):
        return services.fund_request_create(tenant=world.a.tenant, actor=actor, partner=world.a.partner,
                                            submit=submit, title="matrix", plan="p", starts_on=past, ends_on=past,
                                            requested_amount="100")

    def approved(world):
        return services.fund_request_approve(request=request(world), actor=None, budget=world.a.get(FundBudget))

    def claim(world, state="submitted"):
        row = services.fund_claim_submit(request=approved(world), actor=None, actual_cost="100",
                                         claimed_amount="100", results="r", files=[ContentFile(PDF_BYTES, "p.pdf")])
        if state == "approved":
            row = services.fund_claim_review(claim=row, actor=None, decision="approve")
        return row

    return [
        ServiceCase("budget_create", ("cooperation-api:fund-budget-list POST",), lambda world, actor:
                    services.budget_create(tenant=world.a.tenant, actor=actor, name=f"m{world.a.marker()}",
                                           total="10", start=past, end=past)),
        ServiceCase("budget_update", ("cooperation-api:fund-budget-detail PATCH",), lambda world, actor:
                    services.budget_update(budget=world.a.get(FundBudget), actor=actor, is_open=True)),
        ServiceCase("fund_request_create", ("cooperation-api:fund-request-list POST",), lambda world, actor:
                    request(world, actor)),
        ServiceCase("fund_request_update", ("cooperation-api:fund-request-detail PATCH",), lambda world, actor:
                    services.fund_request_update(request=request(world, submit=False), actor=actor, title="t")),
        ServiceCase("fund_request_submit", ("cooperation-api:fund-request-submit POST",), lambda world, actor:
                    services.fund_request_submit(request=request(world, submit=False), actor=actor)),
        ServiceCase("fund_request_approve", ("cooperation-api:fund-request-approve POST",), lambda world, actor:
                    services.fund_request_approve(request=request(world), actor=actor,
                                                  budget=world.a.get(FundBudget))),
        ServiceCase("fund_request_reject", ("cooperation-api:fund-request-reject POST",), lambda world, actor:
                    services.fund_request_reject(request=request(world), actor=actor, comment="c")),
        ServiceCase("fund_request_return", ("cooperation-api:fund-request-return POST",), lambda world, actor:
                    services.fund_request_return(request=request(world), actor=actor, comment="c")),
        ServiceCase("fund_request_close", ("cooperation-api:fund-request-close POST",), lambda world, actor:
                    services.fund_request_close(request=approved(world), actor=actor, reason="r")),
        ServiceCase("fund_claim_submit", ("cooperation-api:fund-claim-list POST",), lambda world, actor:
                    services.fund_claim_submit(request=approved(world), actor=actor, actual_cost="1",
                                               claimed_amount="1", results="r")),
        ServiceCase("fund_claim_add_file", ("cooperation-api:fund-claim-upload POST",), lambda world, actor:
                    services.fund_claim_add_file(claim=claim(world), actor=actor,
                                                 file=ContentFile(PDF_BYTES, "q.pdf"))),
        ServiceCase("fund_claim_review", ("cooperation-api:fund-claim-review POST",), lambda world, actor:
                    services.fund_claim_review(claim=claim(world), actor=actor, decision="approve")),
        ServiceCase("fund_claim_pay", ("cooperation-api:fund-claim-pay POST",), lambda world, actor:
                    services.fund_claim_pay(claim=claim(world, "approved"), actor=actor, payment_reference="p")),
    ]


SERVICES += _promotion_services()


# --------------------------------------------------------------------------- Cooperation II: service tickets
# The partner's staff raise and work on their own partner's tickets; managers raise them for any partner, comment
# (also internally) and move them, and set the service levels; every staff role reads. Nothing is deleted.

admin("cooperation.servicelevel", view=STAFF, change=MANAGERS, delete=NOBODY)
api("cooperation-api:service-level", read=STAFF, write=MANAGERS, ops="list create retrieve update partial_update")
# The record's comment and move buttons post to their own URL; nothing is served there by GET (405 for everyone).
admin("cooperation.serviceticket", view=STAFF, change=MANAGERS, delete=NOBODY,
      extra={"admin:cooperation_serviceticket_act GET": NOBODY})
api("cooperation-api:service-ticket", read=STAFF | PARTNER, write=MANAGERS | PARTNER,
    ops="list create retrieve update partial_update",
    actions={"transition POST": MANAGERS | PARTNER, "comments GET": STAFF | PARTNER,
             "comments POST": MANAGERS | PARTNER})
add({"cooperation-portal:tickets GET": PARTNER, "cooperation-portal:ticket GET": PARTNER,
     "cooperation-portal:ticket-new GET": PARTNER})


def _service_services():
    from channelhub.partners.models import Product
    from cooperation import services
    from cooperation.models import ServiceTicket
    from tests.roles.cases import ServiceCase

    def ticket(world):
        return services.ticket_raise(tenant=world.a.tenant, actor=None, partner=world.a.partner,
                                     product=world.a.get(Product), customer_name="c", subject="s")

    def raise_(world, actor):
        services.ticket_raise(tenant=world.a.tenant, actor=actor, partner=world.a.partner,
                              product=world.a.get(Product), customer_name="c", subject="s")

    def level(world, actor):
        services.service_level_save(tenant=world.a.tenant, actor=actor, priority="low", response_hours=20,
                                    resolution_hours=100)

    assert ServiceTicket
    return [
        ServiceCase("ticket_raise", ("cooperation-api:service-ticket-list POST",), raise_),
        ServiceCase("ticket_update", ("cooperation-api:service-ticket-detail PATCH",), lambda world, actor:
                    services.ticket_update(ticket=ticket(world), actor=actor, subject="changed")),
        ServiceCase("ticket_transition", ("cooperation-api:service-ticket-transition POST",), lambda world, actor:
                    services.ticket_transition(ticket=ticket(world), actor=actor, to_state="in_progress")),
        ServiceCase("ticket_comment", ("cooperation-api:service-ticket-comments POST",), lambda world, actor:
                    services.ticket_comment(ticket=ticket(world), actor=actor, body="b")),
        ServiceCase("service_level_save", ("admin:cooperation_servicelevel_change POST",), level),
    ]


SERVICES += _service_services()


# --------------------------------------------------------------------------- Cooperation II: leads and feedback
# Managers create, forward, route and close leads and set routing weights; every staff role reads them. Offers are
# records written by the services. Partner staff answer their own partner's offers and report the outcome of the
# leads they accepted. Partners send market feedback; managers triage, answer, tag and close it.

admin("cooperation.lead", view=STAFF, change=MANAGERS, delete=NOBODY,
      actions={"route": MANAGERS, "mark_converted": MANAGERS, "mark_lost": MANAGERS})
admin("cooperation.leadoffer", view=STAFF, change=NOBODY)
admin("cooperation.leadroutingweight", view=STAFF, change=MANAGERS)
admin("cooperation.feedback", view=STAFF, change=MANAGERS, add=NOBODY, delete=NOBODY,
      actions={"triage": MANAGERS, "close": MANAGERS},
      extra={"admin:cooperation_feedback_file GET": STAFF})
api("cooperation-api:lead", read=STAFF, write=MANAGERS, ops="list create retrieve update partial_update",
    actions={"offer POST": MANAGERS, "route POST": MANAGERS, "close POST": MANAGERS, "offers GET": STAFF})
api("cooperation-api:lead-offer", read=STAFF | PARTNER, ops="read",
    actions={"accept POST": PARTNER, "decline POST": PARTNER, "outcome POST": PARTNER})
api("cooperation-api:feedback", read=STAFF | PARTNER, write=PARTNER, ops="list create retrieve",
    actions={"triage POST": MANAGERS, "answer POST": MANAGERS, "tags POST": MANAGERS, "close POST": MANAGERS})
add({f"cooperation-portal:{name} GET": PARTNER for name in (
    "leads", "lead", "feedback-list", "feedback-new", "feedback", "feedback-file")})
PAGE_ROWS["admin:cooperation_feedback_file"] = _fresh("cooperation.FeedbackFile")

from tests.roles.setups import API_SETUP  # noqa: E402


def _lead_rows():
    """Leads in the states the lead items move from (built as the system in tenant A)."""
    from cooperation import services
    from cooperation.models import Lead, LeadOffer

    def fresh_lead(world, *, offer: bool = False, accept: bool = False):
        from channelhub.partners.models import Region

        with world.a.scope():
            lead = services.lead_create(tenant=world.a.tenant, actor=None, company=world.a.marker(),
                                        region=world.a.get(Region), routing="manual")
            if offer or accept:
                offer_row = services.lead_offer(lead=lead, actor=None, partner=world.a.partner)
                if accept:
                    services.offer_accept(offer=offer_row, actor=world.a.user(Role.PARTNER_ADMIN))
            return Lead.objects.get(pk=lead.pk)

    def routable(world):
        from tests.roles.setups import partner_in

        partner_in(world, "onboarding", "active")  # someone eligible in the lead's region
        return fresh_lead(world)

    def accepted_offer(world):
        lead = fresh_lead(world, accept=True)
        with world.a.scope():
            return LeadOffer.objects.get(lead=lead, partner=world.a.partner)

    return fresh_lead, routable, accepted_offer


_fresh_lead, _routable_lead, _accepted_offer = _lead_rows()
ACTION_SETUP.update({
    "admin:cooperation.lead#route": _routable_lead,
    "admin:cooperation.lead#mark_converted": lambda world: _fresh_lead(world, accept=True),
})
API_SETUP.update({
    "cooperation-api:lead-route POST": _routable_lead,
    "cooperation-api:lead-offer-outcome POST": _accepted_offer,
})


def _lead_feedback_services():
    from channelhub.partners.models import Partner, Region
    from cooperation import services
    from cooperation.models import Feedback, LeadOffer
    from tests.roles.cases import ServiceCase

    def offer_of(world):
        lead = _fresh_lead(world, offer=True)
        with world.a.scope():
            return LeadOffer.objects.get(lead=lead, partner=world.a.partner)

    def close(world, actor):
        services.lead_close(lead=_fresh_lead(world, accept=True), actor=actor, outcome="converted")

    def feedback(world):
        return world.a.new(Feedback)

    return [
        ServiceCase("lead_create", ("cooperation-api:lead-list POST",), lambda world, actor: services.lead_create(
            tenant=world.a.tenant, actor=actor, company="matrix", region=world.a.get(Region), routing="manual")),
        ServiceCase("lead_offer", ("cooperation-api:lead-offer POST",), lambda world, actor: services.lead_offer(
            lead=_fresh_lead(world), actor=actor, partner=world.a.partner)),
        ServiceCase("lead_route", ("cooperation-api:lead-route POST",), lambda world, actor: services.lead_route(
            lead=_routable_lead(world), actor=actor)),
        ServiceCase("lead_close", ("cooperation-api:lead-close POST", "cooperation-api:lead-offer-outcome POST"),
                    close),
        ServiceCase("offer_accept", ("cooperation-api:lead-offer-accept POST",), lambda world, actor:
                    services.offer_accept(offer=offer_of(world), actor=actor)),
        ServiceCase("offer_decline", ("cooperation-api:lead-offer-decline POST",), lambda world, actor:
                    services.offer_decline(offer=offer_of(world), actor=actor, reason="matrix")),
        ServiceCase("weight_save", ("admin:cooperation_leadroutingweight_add GET",), lambda world, actor:
                    services.weight_save(tenant=world.a.tenant, actor=actor, partner=world.a.new(Partner),
                                         weight="3")),
        ServiceCase("feedback_submit", ("cooperation-api:feedback-list POST",), lambda world, actor:
                    services.feedback_submit(tenant=world.a.tenant, actor=actor, partner=world.a.partner,
                                             category="demand", title="t", text="x")),
        ServiceCase("feedback_triage", ("cooperation-api:feedback-triage POST",), lambda world, actor:
                    services.feedback_triage(feedback=feedback(world), actor=actor)),
        ServiceCase("feedback_answer", ("cooperation-api:feedback-answer POST",), lambda world, actor:
                    services.feedback_answer(feedback=feedback(world), actor=actor, answer="thanks")),
        ServiceCase("feedback_tag", ("cooperation-api:feedback-tags POST",), lambda world, actor:
                    services.feedback_tag(feedback=feedback(world), actor=actor, tags="matrix")),
        ServiceCase("feedback_close", ("cooperation-api:feedback-close POST",), lambda world, actor:
                    services.feedback_close(feedback=feedback(world), actor=actor)),
    ]


SERVICES += _lead_feedback_services()


# --------------------------------------------------------------------------- Cooperation II: deal registration
# Partners register and withdraw their own deals and put forward evidence in their conflicts; managers decide
# registrations and conflicts and keep the direct accounts; every staff role reads. Registrations and conflicts
# are records: never added or deleted in the admin (conflicts open from registrations or the API).

admin("cooperation.directaccount", view=STAFF, change=MANAGERS, imports=MANAGERS)
admin("cooperation.dealregistration", view=STAFF, change=NOBODY, actions={"approve": MANAGERS, "reject": MANAGERS})
admin("cooperation.conflictcase", view=STAFF, change=MANAGERS, add=NOBODY, delete=NOBODY)
api("cooperation-api:deal-registration", read=STAFF | PARTNER, write=PARTNER, ops="list create retrieve",
    actions={"approve POST": MANAGERS, "reject POST": MANAGERS, "extend POST": MANAGERS, "withdraw POST": PARTNER,
             "close POST": MANAGERS | PARTNER, "matches GET": STAFF})
api("cooperation-api:conflict-case", read=STAFF | PARTNER, write=MANAGERS, ops="list create retrieve",
    actions={"decide POST": MANAGERS, "close POST": MANAGERS, "evidence GET": STAFF | PARTNER,
             "evidence POST": MANAGERS | PARTNER})
api("cooperation-api:direct-account", read=STAFF, write=MANAGERS)
add({f"cooperation-portal:{name} GET": PARTNER for name in ("deals", "deal-new", "deal", "conflicts", "conflict")})


def _deal_services():
    import datetime
    import itertools
    from unittest import mock

    from channelhub import eligibility
    from cooperation import services
    from tests.roles.cases import ServiceCase

    serial = itertools.count(1)

    def registration(world, *, approved=False):
        with mock.patch.object(eligibility, "partner_is_qualified", lambda *args, **kwargs: eligibility.QUALIFIED):
            deal = services.deal_register(tenant=world.a.tenant, actor=None, partner=world.a.partner,
                                          customer_name=f"矩阵客户{next(serial)}号", products="p", amount="100",
                                          expected_close=datetime.date(2031, 1, 1))
        return services.deal_approve(registration=deal, actor=None) if approved else deal

    def case(world):
        account = services.direct_account_create(tenant=world.a.tenant, actor=None, name=f"矩阵直销{next(serial)}号")
        return services.conflict_open(tenant=world.a.tenant, actor=None, kind="pricing", summary="matrix",
                                      partners=[world.a.partner], direct_account=account)

    return [
        ServiceCase("deal_register", ("cooperation-api:deal-registration-list POST",), lambda world, actor:
                    services.deal_register(tenant=world.a.tenant, actor=actor, partner=world.a.partner,
                                           customer_name=f"矩阵报备{next(serial)}号", products="p", amount="100",
                                           expected_close=datetime.date(2031, 1, 1))),
        ServiceCase("deal_approve", ("cooperation-api:deal-registration-approve POST",
                                     "admin:cooperation.dealregistration#approve"), lambda world, actor:
                    services.deal_approve(registration=registration(world), actor=actor)),
        ServiceCase("deal_reject", ("cooperation-api:deal-registration-reject POST",
                                    "admin:cooperation.dealregistration#reject"), lambda world, actor:
                    services.deal_reject(registration=registration(world), actor=actor, note="matrix")),
        ServiceCase("deal_withdraw", ("cooperation-api:deal-registration-withdraw POST",), lambda world, actor:
                    services.deal_withdraw(registration=registration(world), actor=actor)),
        ServiceCase("deal_close", ("cooperation-api:deal-registration-close POST",), lambda world, actor:
                    services.deal_close(registration=registration(world, approved=True), actor=actor, won=False)),
        ServiceCase("conflict_decide", ("cooperation-api:conflict-case-decide POST",), lambda world, actor:
                    services.conflict_decide(case=case(world), actor=actor, resolution="dismissed", note="m")),
        ServiceCase("conflict_add_evidence", ("cooperation-api:conflict-case-evidence POST",), lambda world, actor:
                    services.conflict_add_evidence(case=case(world), actor=actor, text="m")),
        ServiceCase("direct_account_create", ("cooperation-api:direct-account-list POST",), lambda world, actor:
                    services.direct_account_create(tenant=world.a.tenant, actor=actor,
                                                   name=f"矩阵账户{next(serial)}号")),
    ]


SERVICES += _deal_services()


def _submitted_deal(world):
    import datetime
    from unittest import mock

    from channelhub import eligibility
    from cooperation import services

    qualified = mock.patch.object(eligibility, "partner_is_qualified", lambda *a, **k: eligibility.QUALIFIED)
    with world.a.scope(), qualified:
        n = len(_deal_setups)
        _deal_setups.append(n)
        return services.deal_register(tenant=world.a.tenant, actor=None, partner=world.a.partner,
                                      customer_name=f"动作客户{n}号", products="p", amount="100",
                                      expected_close=datetime.date(2031, 1, 1))


_deal_setups: list[int] = []
ACTION_SETUP["admin:cooperation.dealregistration#approve"] = _submitted_deal
ACTION_SETUP["admin:cooperation.dealregistration#reject"] = _submitted_deal
