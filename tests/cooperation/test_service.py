"""After-sales service tickets: due times from the service level, the workflow (reopen, satisfaction at
resolution), comments with internal notes the partner never sees, the SLA breach job (once, through the real
dispatcher too), the work queue, the KPI inputs, and the API, portal and admin surfaces."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from channelhub import kpi_inputs
from channelhub.notifications.models import Notification
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.jobs import Period
from channelhub.tenancy.models import JobSchedule, StateTransition
from channelhub.tenancy.roles import Role
from channelhub.tenancy.workflow import IllegalTransition
from cooperation import selectors, services
from cooperation.models import ServiceLevel, ServiceTicket, TicketComment, TicketState
from cooperation.service_jobs import service_sla
from tests.conftest import api_client_for, make_member
from tests.factories import PartnerFactory, ProductFactory

pytestmark = pytest.mark.django_db
S = TicketState
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def product(tenant):
    with tenant_scope(tenant):
        return ProductFactory(sku="SVC-1", name="Router X1", category="Network")


@pytest.fixture
def raise_ticket(tenant, partner, product, people):
    """``raise_ticket(actor=manager, **fields)`` → a new ticket of ``partner``."""

    def build(actor=None, **fields):
        values = {"customer_name": "上海某贸易公司", "subject": "Router drops the line", "priority": "normal"} | fields
        with tenant_scope(tenant):
            return services.ticket_raise(tenant=tenant, actor=actor or people["manager"],
                                         partner=values.pop("partner", partner), product=product, **values)

    return build


def _past_due(tenant, ticket, hours: int = 1) -> None:
    """Move the ticket's due times into the past (as if it was raised long ago)."""
    with tenant_scope(tenant):
        ServiceTicket.objects.filter(pk=ticket.pk).update(
            opened_at=timezone.now() - datetime.timedelta(hours=100),
            response_due_at=timezone.now() - datetime.timedelta(hours=hours + 10),
            resolution_due_at=timezone.now() - datetime.timedelta(hours=hours))


def _run_job(tenant, at=None):
    with tenant_scope(tenant):
        return service_sla(tenant=tenant, run_at=at or timezone.now())


def _notes(tenant, kind: str) -> list[tuple[str, int]]:
    with tenant_scope(tenant):
        return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", "pk"))


# --------------------------------------------------------------------------- the rules


def test_due_times_follow_the_service_level_of_the_priority(tenant, raise_ticket, partner_admin, people):
    ticket = raise_ticket(priority="high")
    assert ticket.raised_by_vendor and ticket.state == S.OPEN
    assert ticket.response_due_at - ticket.opened_at == 4 * HOUR
    assert ticket.resolution_due_at - ticket.opened_at == 48 * HOUR
    # The partner's administrator hears of a ticket the vendor raised for it.
    assert [name for name, _pk in _notes(tenant, "cooperation.ticket_raised")] == ["padmin"]
    with tenant_scope(tenant):
        services.service_level_save(tenant=tenant, actor=people["manager"], priority="urgent", response_hours=1,
                                    resolution_hours=10)
        with pytest.raises(PermissionDenied):
            services.service_level_save(tenant=tenant, actor=partner_admin, priority="low", response_hours=1,
                                        resolution_hours=10)
        with pytest.raises(ValidationError):
            services.service_level_save(tenant=tenant, actor=people["manager"], priority="low", response_hours=9,
                                        resolution_hours=5)
        with pytest.raises(ValidationError):
            services.service_level_save(tenant=tenant, actor=people["manager"], priority="asap", response_hours=1,
                                        resolution_hours=5)
        assert {row["priority"]: row["resolution_hours"] for row in selectors.service_levels()}["urgent"] == 10
    urgent = raise_ticket(priority="urgent")
    assert urgent.resolution_due_at - urgent.opened_at == 10 * HOUR
    # Only the vendor changes the priority; the due times move from the opening.
    with tenant_scope(tenant):
        with pytest.raises(ValidationError):
            services.ticket_update(ticket=urgent, actor=partner_admin, priority="low")
        changed = services.ticket_update(ticket=urgent, actor=people["manager"], priority="low",
                                         customer_contact="王经理 138")
        assert changed.resolution_due_at - changed.opened_at == 168 * HOUR
        assert services.ticket_update(ticket=changed, actor=partner_admin, subject="Line drops at night").subject


def test_who_may_raise(tenant, raise_ticket, partner, partner_user, people):
    mine = raise_ticket(actor=partner_user)
    assert not mine.raised_by_vendor and mine.raised_by == partner_user
    # The channel manager (the partner's owner) hears of it.
    assert [name for name, _pk in _notes(tenant, "cooperation.ticket_raised")] == ["manager"]
    with tenant_scope(tenant):
        other = PartnerFactory(region=partner.region)
    with pytest.raises(PermissionDenied):
        raise_ticket(actor=partner_user, partner=other)
    with pytest.raises(PermissionDenied):
        raise_ticket(actor=people["trainer"])
    with pytest.raises(ValidationError):
        raise_ticket(customer_name="  ")


def test_workflow_resolution_reopen_and_satisfaction(tenant, raise_ticket, partner_admin, people):
    ticket = raise_ticket()
    with tenant_scope(tenant):
        with pytest.raises(ValidationError):
            services.ticket_transition(ticket=ticket, actor=partner_admin, to_state=S.IN_PROGRESS, satisfaction=4)
        started = services.ticket_transition(ticket=ticket, actor=partner_admin, to_state=S.IN_PROGRESS)
        assert started.first_response_at is not None
        services.ticket_transition(ticket=ticket, actor=partner_admin, to_state=S.WAITING, reason="spare part")
        with pytest.raises(ValidationError):
            services.ticket_transition(ticket=ticket, actor=partner_admin, to_state=S.RESOLVED)  # no resolution
        with pytest.raises(ValidationError):
            services.ticket_transition(ticket=ticket, actor=partner_admin, to_state=S.RESOLVED, resolution="x",
                                       satisfaction=6)
        resolved = services.ticket_transition(ticket=ticket, actor=partner_admin, to_state=S.RESOLVED,
                                              resolution="Replaced the power supply", satisfaction=2)
        assert resolved.resolved_in_time is True and resolved.resolution_hours == Decimal("0.00")
        reopened = services.ticket_transition(ticket=ticket, actor=people["manager"], to_state=S.IN_PROGRESS,
                                              reason="The customer called again")
        assert reopened.resolved_at is None and reopened.satisfaction is None and reopened.resolved_in_time is None
        services.ticket_transition(ticket=ticket, actor=partner_admin, to_state=S.RESOLVED, resolution="Swapped")
        closed = services.ticket_transition(ticket=ticket, actor=people["manager"], to_state=S.CLOSED,
                                            satisfaction=5)
        assert closed.satisfaction == 5 and closed.closed_at and closed.resolved_at
        for state in (S.OPEN, S.IN_PROGRESS, S.RESOLVED):
            with pytest.raises(IllegalTransition):
                services.ticket_transition(ticket=ticket, actor=people["manager"], to_state=state, resolution="x")
        with pytest.raises(ValidationError):
            services.ticket_comment(ticket=ticket, actor=partner_admin, body="one more thing")
        with pytest.raises(ValidationError):
            services.ticket_update(ticket=ticket, actor=people["manager"], subject="changed")
        moves = list(StateTransition.objects.filter(workflow="cooperation.service_ticket", object_id=ticket.pk)
                     .order_by("pk").values_list("from_state", "to_state"))
        assert moves == [(S.OPEN, S.IN_PROGRESS), (S.IN_PROGRESS, S.WAITING), (S.WAITING, S.RESOLVED),
                         (S.RESOLVED, S.IN_PROGRESS), (S.IN_PROGRESS, S.RESOLVED), (S.RESOLVED, S.CLOSED)]
        assert ServiceTicket.objects.get(pk=ticket.pk).history.count() >= 7


def test_internal_notes_never_reach_the_partner(client, tenant, raise_ticket, partner_admin, partner_user, people):
    ticket = raise_ticket(actor=partner_user)
    with tenant_scope(tenant):
        services.ticket_comment(ticket=ticket, actor=people["manager"], body="VENDOR-ONLY: watch this partner",
                                internal=True)
        services.ticket_comment(ticket=ticket, actor=people["manager"], body="Please call the customer back.")
        with pytest.raises(ValidationError):
            services.ticket_comment(ticket=ticket, actor=partner_admin, body="x", internal=True)
        with pytest.raises(ValidationError):
            services.ticket_comment(ticket=ticket, actor=partner_admin, body="   ")
        answer = services.ticket_comment(ticket=ticket, actor=partner_admin, body="Called, visiting tomorrow.")
        assert not answer.from_vendor
        assert ServiceTicket.objects.get(pk=ticket.pk).first_response_at == answer.created_at
        assert len(selectors.ticket_comments(ticket, include_internal=True)) == 3
    # The public comment reached the partner side (its administrator and the user who raised it), the note nobody.
    assert sorted(name for name, _pk in _notes(tenant, "cooperation.ticket_commented")) == [
        "manager", "padmin", "puser"]
    partner_api = api_client_for(partner_user).get(f"/api/v1/cooperation/service-tickets/{ticket.pk}/comments/")
    assert partner_api.status_code == 200 and len(partner_api.json()) == 2
    assert "VENDOR-ONLY" not in partner_api.content.decode()
    staff_api = api_client_for(people["trainer"]).get(f"/api/v1/cooperation/service-tickets/{ticket.pk}/comments/")
    assert len(staff_api.json()) == 3
    client.force_login(partner_user)
    page = client.get(reverse("cooperation-portal:ticket", args=[ticket.pk]))
    assert page.status_code == 200 and "VENDOR-ONLY" not in page.content.decode()
    assert "Please call the customer back." in page.content.decode()
    client.force_login(people["manager"])
    admin_page = client.get(reverse("admin:cooperation_serviceticket_change", args=[ticket.pk]))
    assert admin_page.status_code == 200 and "VENDOR-ONLY" in admin_page.content.decode()


# --------------------------------------------------------------------------- the SLA job


def test_the_sla_job_flags_each_breach_once(client, tenant, raise_ticket, partner_admin, people):
    late = raise_ticket(subject="Late one")
    not_due = raise_ticket(subject="Not due")
    resolved_late = raise_ticket(subject="Resolved")
    _past_due(tenant, late)
    with tenant_scope(tenant):
        services.ticket_transition(ticket=resolved_late, actor=partner_admin, to_state=S.RESOLVED, resolution="ok")
    _past_due(tenant, resolved_late)
    assert _run_job(tenant).values == {"flagged": 1}
    with tenant_scope(tenant):
        flagged_at = ServiceTicket.objects.get(pk=late.pk).breached_at
        assert flagged_at is not None
        assert ServiceTicket.objects.get(pk=not_due.pk).breached_at is None
        assert ServiceTicket.objects.get(pk=resolved_late.pk).breached_at is None
    first = _notes(tenant, "cooperation.ticket_breached")
    assert sorted(name for name, _pk in first) == ["manager", "padmin"]
    # Again (a re-run, a redelivered task, an overlapping run): nothing more flagged, nobody told twice.
    assert _run_job(tenant).values == {"flagged": 0}
    assert _run_job(tenant, timezone.now() + HOUR).values == {"flagged": 0}
    assert _notes(tenant, "cooperation.ticket_breached") == first
    with tenant_scope(tenant):
        assert ServiceTicket.objects.get(pk=late.pk).breached_at == flagged_at
        assert list(selectors.breached_open_tickets().values_list("pk", flat=True)) == [late.pk]
    # The manager's work queue counts it and links to the list of exactly those tickets.
    client.force_login(people["manager"])
    home = client.get(reverse("admin:index"))
    assert "Service tickets past their SLA" in home.content.decode()
    listed = client.get(reverse("admin:cooperation_serviceticket_changelist") + "?sla=breached")
    assert listed.status_code == 200 and [t.pk for t in listed.context["cl"].result_list] == [late.pk]
    client.force_login(partner_admin)
    assert "cooperation.tickets_breached" in _home_panels(client)  # the partner's home panel
    # Resolving takes it off the queue; the breach stays recorded on the ticket.
    with tenant_scope(tenant):
        done = services.ticket_transition(ticket=late, actor=partner_admin, to_state=S.RESOLVED, resolution="x")
        assert done.resolved_in_time is False and done.breached_at == flagged_at
        assert not selectors.breached_open_tickets().exists()
    assert "cooperation.tickets_breached" not in _home_panels(client)


def _home_panels(client) -> list[str]:
    return [panel.key for panel in client.get(reverse("portal:dashboard")).context["home_panels"]]


def test_a_breach_is_flagged_by_the_real_scheduled_job(tenant, raise_ticket, django_capture_on_commit_callbacks):
    from channelhub.tenancy.tasks import dispatch_due_jobs

    ticket = raise_ticket()
    _past_due(tenant, ticket)
    with tenant_scope(tenant):
        schedule = JobSchedule.objects.filter(job="cooperation.service_sla").first()
    if schedule is None:
        from channelhub.tenancy.jobs import ensure_all_job_schedules

        ensure_all_job_schedules()
        with tenant_scope(tenant):
            schedule = JobSchedule.objects.get(job="cooperation.service_sla")
    assert schedule.cadence == "hourly"
    with tenant_scope(tenant):
        JobSchedule.objects.filter(pk=schedule.pk).update(next_run_at=timezone.now() - datetime.timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch_due_jobs() >= 1
    with tenant_scope(tenant):
        assert ServiceTicket.objects.get(pk=ticket.pk).breached_at is not None
        schedule.refresh_from_db()
        assert schedule.last_outcome["values"] == {"flagged": 1}
        assert schedule.next_run_at > timezone.now()
    # The next due run finds nothing new.
    with tenant_scope(tenant):
        JobSchedule.objects.filter(pk=schedule.pk).update(next_run_at=timezone.now() - datetime.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_due_jobs()
    with tenant_scope(tenant):
        schedule.refresh_from_db()
        assert schedule.last_outcome["values"] == {"flagged": 0}


def test_the_job_stays_in_its_tenant(tenant, other_tenant, raise_ticket):
    ticket = raise_ticket()
    _past_due(tenant, ticket)
    assert _run_job(other_tenant).values == {"flagged": 0}
    with tenant_scope(tenant):
        assert ServiceTicket.objects.get(pk=ticket.pk).breached_at is None


# --------------------------------------------------------------------------- evaluation


def test_kpi_inputs_are_set_based(tenant, raise_ticket, partner, partner_admin):
    tickets = [raise_ticket(subject=f"t{n}") for n in range(4)]
    with tenant_scope(tenant):
        for ticket, satisfaction in zip(tickets[:3], (5, 3, None), strict=True):
            services.ticket_transition(ticket=ticket, actor=partner_admin, to_state=S.RESOLVED, resolution="ok",
                                       satisfaction=satisfaction)
        # One was resolved after its due time, ten hours after it opened.
        ServiceTicket.objects.filter(pk=tickets[2].pk).update(resolved_in_time=False, resolution_hours=Decimal(10))
    now = timezone.now()
    period = Period("monthly", now - datetime.timedelta(days=1), now + datetime.timedelta(days=1), "x")
    met = kpi_inputs.read("cooperation.service_sla_met", tenant, period)
    assert met == {partner.pk: pytest.approx(2 / 3)}
    hours = kpi_inputs.read("cooperation.service_resolution_hours", tenant, period)
    assert hours == {partner.pk: pytest.approx(10 / 3, abs=0.01)}
    assert kpi_inputs.read("cooperation.service_satisfaction", tenant, period) == {partner.pk: 4.0}
    earlier = Period("monthly", now - datetime.timedelta(days=60), now - datetime.timedelta(days=30), "y")
    assert kpi_inputs.read("cooperation.service_sla_met", tenant, earlier) == {}
    with tenant_scope(tenant):
        sql = str(selectors.service_sla_met_query(tenant, period).query).upper()
        quality = selectors.service_quality(partner.pk)
    assert "GROUP BY" in sql
    assert quality["raised"] == 4 and quality["resolved"] == 3 and quality["met_percent"] == 67
    assert quality["satisfaction"] == 4.0


# --------------------------------------------------------------------------- surfaces


def test_api(tenant, partner, product, partner_admin, partner_user, people):
    manager = api_client_for(people["manager"])
    url = "/api/v1/cooperation/service-tickets/"
    body = {"product": product.pk, "customer_name": "客户甲", "subject": "Screen flickers", "priority": "urgent"}
    assert manager.post(url, body, format="json").status_code == 400  # the partner is needed from staff
    created = manager.post(url, {**body, "partner": partner.pk}, format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["raised_by_vendor"] and data["state"] == "open" and not data["is_overdue"]
    pk = data["id"]
    for bad in ({"priority": "asap"}, {"product": 999999}, {"customer_name": ""}, {"partner": "x"}):
        assert manager.post(url, {**body, "partner": partner.pk, **bad}, format="json").status_code == 400, bad
    own = api_client_for(partner_user).post(url, body, format="json")
    assert own.status_code == 201 and own.json()["partner"] == partner.pk and not own.json()["raised_by_vendor"]
    assert api_client_for(people["trainer"]).post(url, {**body, "partner": partner.pk},
                                                  format="json").status_code == 403
    # Only the vendor changes the priority.
    assert api_client_for(partner_admin).patch(f"{url}{pk}/", {"priority": "low"}, format="json").status_code == 400
    assert manager.patch(f"{url}{pk}/", {"priority": "low"}, format="json").json()["priority"] == "low"
    move = f"{url}{pk}/transition/"
    assert manager.post(move, {"to_status": "closed"}, format="json").status_code == 409
    assert manager.post(move, {"to_status": "nowhere"}, format="json").status_code == 400
    assert manager.post(move, {"to_status": "resolved"}, format="json").status_code == 400  # no resolution
    assert manager.post(move, {"to_status": "resolved", "resolution": "x", "satisfaction": 9},
                        format="json").status_code == 400
    resolved = api_client_for(partner_admin).post(move, {"to_status": "resolved", "resolution": "Firmware",
                                                         "satisfaction": 4}, format="json")
    assert resolved.status_code == 200 and resolved.json()["satisfaction"] == 4
    comments = f"{url}{pk}/comments/"
    assert manager.post(comments, {"body": ""}, format="json").status_code == 400
    assert api_client_for(partner_user).post(comments, {"body": "x", "is_internal": True},
                                             format="json").status_code == 400
    assert manager.post(comments, {"body": "note", "is_internal": True}, format="json").status_code == 201
    assert api_client_for(people["trainer"]).post(comments, {"body": "x"}, format="json").status_code == 403
    listed = manager.get(f"{url}?state=resolved")
    assert [row["id"] for row in listed.json()["results"]] == [pk]


def test_portal(client, tenant, partner, product, partner_admin, partner_user, raise_ticket):
    with tenant_scope(tenant):
        other = PartnerFactory(region=partner.region)
    theirs = raise_ticket(partner=other, subject="Someone else's")
    client.force_login(partner_user)
    assert client.get(reverse("cooperation-portal:ticket", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("cooperation-portal:ticket-new")).status_code == 200
    invalid = client.post(reverse("cooperation-portal:ticket-new"), {"product": "", "customer_name": "",
                                                                     "subject": "x", "priority": "normal"})
    assert invalid.status_code == 200 and {"product", "customer_name"} <= set(invalid.context["form"].errors)
    raised = client.post(reverse("cooperation-portal:ticket-new"), {
        "product": product.pk, "customer_name": "客户乙", "subject": "No signal", "priority": "high"})
    assert raised.status_code == 302
    with tenant_scope(tenant):
        ticket = ServiceTicket.objects.get(subject="No signal")
    page = reverse("cooperation-portal:ticket", args=[ticket.pk])
    listing = client.get(reverse("cooperation-portal:tickets")).content.decode()
    assert "No signal" in listing and "Someone else" not in listing and "waiting_customer" not in listing
    assert client.post(page, {"body": "On my way"}).status_code == 302
    bad = client.post(page, {"to_state": "resolved", "resolution": ""})
    assert bad.status_code == 200 and bad.context["move_form"].errors
    assert client.post(page, {"to_state": "closed"}).status_code == 200  # not from open: refused, shown
    assert client.post(page, {"to_state": "resolved", "resolution": "Antenna", "satisfaction": "5"}).status_code == 302
    with tenant_scope(tenant):
        ticket.refresh_from_db()
        assert ticket.state == S.RESOLVED and ticket.satisfaction == 5
        assert TicketComment.objects.filter(ticket=ticket).count() == 1
    shown = client.get(page).content.decode()
    assert "Reopen" in shown and "Close" in shown
    assert client.get(reverse("cooperation-portal:tickets") + "?show=all").status_code == 200


def test_admin_record_page_comments_and_moves(client, tenant, raise_ticket, partner, people):
    ticket = raise_ticket()
    client.force_login(people["manager"])
    act = reverse("admin:cooperation_serviceticket_act", args=[ticket.pk])
    assert client.get(act).status_code == 405
    assert client.post(act, {"body": "internal remark", "is_internal": "on"}).status_code == 302
    assert client.post(act, {"to_state": "in_progress"}).status_code == 302
    assert client.post(act, {"to_state": "closed"}).status_code == 302  # refused with a message, nothing moved
    with tenant_scope(tenant):
        ticket.refresh_from_db()
        assert ticket.state == S.IN_PROGRESS
        assert TicketComment.objects.get(ticket=ticket).is_internal
    page = client.get(reverse("admin:cooperation_serviceticket_change", args=[ticket.pk]))
    assert page.status_code == 200 and "internal remark" in page.content.decode()
    client.force_login(people["trainer"])
    assert client.post(act, {"body": "x"}).status_code == 403
    client.force_login(people["manager"])
    added = client.post(reverse("admin:cooperation_serviceticket_add"), {
        "partner": partner.pk, "product": ticket.product_id, "customer_name": "客户丙", "subject": "From admin",
        "description": "", "customer_contact": "", "priority": "low"})
    assert added.status_code == 302
    with tenant_scope(tenant):
        assert ServiceTicket.objects.get(subject="From admin").raised_by_vendor
    level = client.post(reverse("admin:cooperation_servicelevel_add"), {
        "priority": "normal", "response_hours": 6, "resolution_hours": 60})
    assert level.status_code == 302
    with tenant_scope(tenant):
        assert ServiceLevel.objects.get(priority="normal").resolution_hours == 60
    panel = client.get(reverse("admin:partners_partner_change", args=[partner.pk]))
    assert "After-sales service quality" in panel.content.decode()


def test_lists_cost_the_same_with_more_tickets(client, tenant, partner, partner_admin, raise_ticket, people):
    def count(url) -> int:
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    raise_ticket(actor=partner_admin)
    pages = {partner_admin: reverse("cooperation-portal:tickets"),
             people["manager"]: reverse("admin:cooperation_serviceticket_changelist")}
    before = {}
    for user, url in pages.items():
        client.force_login(user)
        before[user] = count(url)
    api = api_client_for(people["manager"])
    with CaptureQueriesContext(connection) as queries:
        api.get("/api/v1/cooperation/service-tickets/")
    api_before = len(queries)
    with tenant_scope(tenant):
        extra = make_member(tenant, Role.PARTNER_USER, partner=partner, username="another")
    for n in range(4):
        raise_ticket(actor=extra if n % 2 else people["manager"], subject=f"more {n}")
    for user, url in pages.items():
        client.force_login(user)
        assert count(url) == before[user], url
    with CaptureQueriesContext(connection) as queries:
        api.get("/api/v1/cooperation/service-tickets/")
    assert len(queries) == api_before


def test_demo_has_open_and_breached_tickets_once(tenant, partner, partner_admin, product, people):
    from collections import Counter
    from types import SimpleNamespace

    from channelhub.tenancy.policy import trusted
    from cooperation.demo.service import ensure_service

    ctx = {"tenant": tenant, "spec": SimpleNamespace(default_language="zh-hans"), "counts": Counter(),
           "roles": {Role.CHANNEL_MANAGER: people["manager"]}, "flagships": {"p": partner},
           "admins": {"p": partner_admin}}
    with tenant_scope(tenant), trusted():
        ensure_service(ctx)
        ensure_service(ctx)
        states = Counter(ServiceTicket.objects.values_list("state", flat=True))
        assert states == {S.OPEN: 2, S.IN_PROGRESS: 1, S.CLOSED: 1, S.RESOLVED: 1}
        assert list(selectors.breached_open_tickets().values_list("subject", flat=True)) == ["批量设备无法连接网络"]
        assert TicketComment.objects.filter(is_internal=True).count() == 1
        quality = selectors.service_quality(partner.pk)
    assert quality["met_percent"] == 50 and quality["satisfaction"] == 4.0


def test_service_levels_over_the_api_set_the_due_times_of_new_tickets(tenant, people):
    manager = api_client_for(people["manager"])
    created = manager.post("/api/v1/cooperation/service-levels/", {
        "priority": "urgent", "response_hours": 1, "resolution_hours": 6}, format="json")
    assert created.status_code == 201, created.content
    level = created.json()
    # Resolving before responding, and junk, are 400s with the field named; nothing changes.
    bad = manager.patch(f"/api/v1/cooperation/service-levels/{level['id']}/", {"resolution_hours": 0}, format="json")
    assert bad.status_code == 400 and "resolution_hours" in bad.json()
    unknown = {"priority": "someday", "response_hours": 1, "resolution_hours": 2}
    assert manager.post("/api/v1/cooperation/service-levels/", unknown, format="json").status_code == 400
    changed = manager.patch(f"/api/v1/cooperation/service-levels/{level['id']}/", {"resolution_hours": 8},
                            format="json")
    assert changed.status_code == 200 and changed.json()["resolution_hours"] == 8
    # Posting the same priority again changes that level: still one per priority.
    again = manager.post("/api/v1/cooperation/service-levels/", {
        "priority": "urgent", "response_hours": 2, "resolution_hours": 10}, format="json")
    assert again.status_code == 201 and again.json()["id"] == level["id"]
    listed = manager.get("/api/v1/cooperation/service-levels/").json()
    assert [(row["priority"], row["resolution_hours"]) for row in listed["results"]] == [("urgent", 10)]
    with tenant_scope(tenant):
        assert services.sla_hours("urgent") == (2, 10)


def test_tickets_are_numbered_within_the_tenant(tenant, other_tenant, raise_ticket):
    first, second = raise_ticket(), raise_ticket()
    year = timezone.localtime(first.opened_at).year
    assert (first.number, second.number) == (f"ST-{year}-000001", f"ST-{year}-000002")
    with tenant_scope(other_tenant):
        theirs = services.ticket_raise(tenant=other_tenant, actor=None, partner=PartnerFactory(),
                                       product=ProductFactory(), customer_name="c", subject="s")
    assert theirs.number == f"ST-{year}-000001"  # the other tenant's tickets do not show in this one's numbers
    assert str(second) == f"ST-{year}-000002 {second.subject}"
