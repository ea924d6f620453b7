"""Announcements reach their audience only; threads go both ways with attachments; RSVPs respect capacity."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from channelhub.partners.models import PartnerType
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from cooperation import selectors, services
from cooperation.models import Message
from evaluation.models import PartnerTier, Tier
from tests.conftest import api_client_for, make_member
from tests.factories import PartnerFactory, RegionFactory

from .factories import PDF_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tenant, region, partner):
    with tenant_scope(tenant):
        shanghai = RegionFactory(code="SH", parent=region)
        north = RegionFactory(code="NORTH")
        found = {
            "east_distributor": partner,
            "sh_reseller": PartnerFactory(region=shanghai, partner_type=PartnerType.RESELLER),
            "north_reseller": PartnerFactory(region=north, partner_type=PartnerType.RESELLER),
            "east": region, "north": north,
        }
        # Tiers come from performance evaluation through the platform's tier contract.
        gold = Tier.objects.create(code="gold", name="Gold", rank=3, min_score=80)
        silver = Tier.objects.create(code="silver", name="Silver", rank=2, min_score=60)
        PartnerTier.objects.create(partner=found["sh_reseller"], tier=gold)
        PartnerTier.objects.create(partner=found["north_reseller"], tier=silver)
        return found


@pytest.mark.parametrize("audience,expected", [
    ({}, {"east_distributor", "sh_reseller", "north_reseller"}),
    ({"partner_types": ["reseller"]}, {"sh_reseller", "north_reseller"}),
    ({"regions": "east"}, {"east_distributor", "sh_reseller"}),
    ({"partner_types": ["reseller"], "regions": "east"}, {"sh_reseller"}),
    ({"partners": ["north_reseller"]}, {"north_reseller"}),
    ({"tiers": ["gold"]}, {"sh_reseller"}),
    ({"tiers": ["gold", "silver"], "regions": "east"}, {"sh_reseller"}),
    ({"tiers": ["silver"], "partners": ["east_distributor"]}, {"north_reseller", "east_distributor"}),
])
def test_audience_resolution(tenant, world, people, audience, expected):
    fields = dict(audience)
    if "regions" in fields:
        fields["regions"] = [world[fields["regions"]]]
    if "partners" in fields:
        fields["partners"] = [world[name] for name in fields["partners"]]
    with tenant_scope(tenant):
        announcement = services.announcement_create(tenant=tenant, actor=people["manager"], title="T", body="B",
                                                    publish=True, **fields)
        reached = {name for name in ("east_distributor", "sh_reseller", "north_reseller")
                   if selectors.announcements_for(world[name]).filter(pk=announcement.pk).exists()}
        assert reached == expected
        assert set(selectors.partners_in(announcement.audience)) == {world[name] for name in expected}


def test_an_unknown_tier_is_refused_and_the_form_offers_the_tenants_tiers(tenant, world, people):
    from cooperation.admin._common import AudienceForm

    with tenant_scope(tenant):
        with pytest.raises(ValidationError) as error:
            services.announcement_create(tenant=tenant, actor=people["manager"], title="T", body="B", tiers=["iron"])
        assert "tiers" in error.value.message_dict
        assert dict(AudienceForm.base_fields["audience_tiers"].choices) == {}
        assert [code for code, _label in _form_tiers(AudienceForm)] == ["gold", "silver"]
    response = api_client_for(people["manager"]).post("/api/v1/cooperation/announcements/", {
        "title": "T", "body": "B", "tiers": ["iron"]}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "tiers" in response.json(), response.content


def _form_tiers(form_class):
    from django import forms as django_forms

    from cooperation.models import Announcement

    class Form(form_class):
        class Meta:
            model = Announcement
            fields = ("title",)

    assert isinstance(Form().fields["audience_tiers"], django_forms.MultipleChoiceField)
    return Form().fields["audience_tiers"].choices


def test_read_receipts_and_acknowledgement(tenant, world, people, partner_admin, partner_user):
    with tenant_scope(tenant):
        notice = services.announcement_create(tenant=tenant, actor=people["manager"], title="Price change",
                                              body="New prices from March.", must_acknowledge=True, publish=True)
        partner = world["east_distributor"]
        assert list(selectors.unacknowledged_for(partner, user=partner_user)) == [notice]
        services.announcement_read(announcement=notice, actor=partner_user)
        services.announcement_read(announcement=notice, actor=partner_user)  # idempotent
        services.announcement_read(announcement=notice, actor=partner_admin, acknowledge=True)
        assert list(selectors.unacknowledged_for(partner, user=partner_user)) == []
        row = selectors.announcement_list().get(pk=notice.pk)
        assert (row.read_count, row.acknowledged_count) == (2, 1)
        outsider = services.announcement_create(tenant=tenant, actor=people["manager"], title="North", body="x",
                                                partners=[world["north_reseller"]], publish=True)
        with pytest.raises(ValidationError):
            services.announcement_read(announcement=outsider, actor=partner_user)


def test_thread_both_ways_with_attachment_unread_counts_and_email_in_the_recipients_language(
        tenant, partner, people, partner_admin, django_capture_on_commit_callbacks, monkeypatch):
    from django.utils import translation

    from cooperation import notifications

    languages = []
    real = notifications.render_to_string
    monkeypatch.setattr(notifications, "render_to_string", lambda template, context: (
        languages.append((context["recipient"].email, translation.get_language())) or real(template, context)))
    manager = people["manager"]
    manager.email, manager.language = "manager@example.com", "en"
    manager.save()
    partner_admin.email, partner_admin.language = "padmin@example.com", "zh-hans"
    partner_admin.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), tenant_scope(tenant):
        thread = services.thread_start(
            tenant=tenant, actor=partner_admin, partner=partner, subject="Stock for Q2", body="We need 200 units.",
            attachment=SimpleUploadedFile("order.pdf", PDF_BYTES, content_type="application/pdf"))
    assert [m.to for m in mail.outbox] == [["manager@example.com"]]
    assert "new message" in mail.outbox[0].subject
    with tenant_scope(tenant):
        assert selectors.unread_threads_for_manager(manager).count() == 1
        assert selectors.unread_threads_for_partner(partner.pk) == 0
        services.thread_mark_read(thread=thread, actor=manager)
        assert selectors.unread_threads_for_manager(manager).count() == 0
    with django_capture_on_commit_callbacks(execute=True), tenant_scope(tenant):
        services.message_send(thread=thread, actor=manager, body="Confirmed.")
    assert mail.outbox[-1].to == ["padmin@example.com"]
    assert languages == [("manager@example.com", "en"), ("padmin@example.com", "zh-hans")]
    with tenant_scope(tenant):
        assert selectors.unread_threads_for_partner(partner.pk) == 1
        messages = list(selectors.thread_messages(thread))
        assert [m.from_partner for m in messages] == [True, False]
        assert messages[0].attachment_type == "application/pdf"
        # A redelivered task sends nothing again.
        from cooperation.notifications import send_message_email

        assert send_message_email(Message.objects.get(pk=messages[1].pk)) is False


def test_a_renamed_executable_is_refused_as_attachment(tenant, partner, partner_admin):
    with tenant_scope(tenant), pytest.raises(ValidationError) as refused:
        services.thread_start(tenant=tenant, actor=partner_admin, partner=partner, subject="x", body="y",
                              attachment=SimpleUploadedFile("x.pdf", b"MZ\x90\x00", content_type="application/pdf"))
    assert "attachment" in refused.value.message_dict


def test_partner_staff_cannot_write_in_another_partners_thread(tenant, partner, people):
    other_admin = make_member(tenant, Role.PARTNER_ADMIN)
    with tenant_scope(tenant):
        thread = services.thread_start(tenant=tenant, actor=people["manager"], partner=partner, subject="s", body="b")
        with pytest.raises(PermissionDenied):
            services.message_send(thread=thread, actor=other_admin, body="intrusion")


def test_rsvp_capacity_and_check_in(tenant, partner, people, partner_admin, partner_user):
    with tenant_scope(tenant):
        event = services.event_create(
            tenant=tenant, actor=people["manager"], title="2027 Partner conference", agenda="09:00 Welcome",
            starts_at=datetime.datetime(2030, 4, 1, 9, tzinfo=datetime.UTC),
            ends_at=datetime.datetime(2030, 4, 1, 17, tzinfo=datetime.UTC), capacity=1)
        services.event_publish(event=event, actor=people["manager"])
        services.event_publish(event=event, actor=people["manager"])  # invites once
        assert event.invitations.count() == 1
        rsvp = services.event_rsvp(event=event, actor=partner_admin, response="yes")
        with pytest.raises(ValidationError):
            services.event_rsvp(event=event, actor=partner_user, response="yes")
        services.event_rsvp(event=event, actor=partner_user, response="maybe")
        services.event_check_in(rsvp=rsvp, actor=people["manager"])
        row = selectors.event_list().get(pk=event.pk)
        assert (row.invited, row.attending, row.checked_in) == (1, 1, 1)
        with pytest.raises(PermissionDenied):
            services.event_check_in(rsvp=rsvp, actor=partner_admin)


def test_named_partners_are_searched_not_listed_on_the_announcement_form(client_as, tenant, people):
    """A tenant with 100,000 partners: the form renders only the chosen ones; the rest come by search."""
    with tenant_scope(tenant):
        chosen = PartnerFactory(legal_name="华信电子有限公司")
        other = PartnerFactory(legal_name="鼎盛科技有限公司")
    client = client_as(people["manager"])
    client.cookies["django_language"] = "en"
    page = client.get("/admin/cooperation/announcement/add/").content.decode()
    assert "audience_partners" in page and f">{other}<" not in page and f">{chosen}<" not in page
    response = client.post("/admin/cooperation/announcement/add/", {
        "title": "Price list", "body": "New prices.", "audience_partners": [chosen.pk]})
    assert response.status_code == 302, response.content.decode()[:2000]
    with tenant_scope(tenant):
        from cooperation.models import Announcement

        announcement = Announcement.objects.get(title="Price list")
        assert set(selectors.partners_in(announcement.audience)) == {chosen}
    change = client.get(f"/admin/cooperation/announcement/{announcement.pk}/change/").content.decode()
    assert f">{chosen}<" in change and f">{other}<" not in change
    found = client.get("/admin/autocomplete/", {"app_label": "cooperation", "model_name": "audiencepartner",
                                                "field_name": "partner", "term": "鼎盛"}).json()
    assert [row["id"] for row in found["results"]] == [str(other.pk)]
