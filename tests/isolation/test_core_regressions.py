"""Leaks and bugs the isolation harness found in the core, each pinned by a test."""

from __future__ import annotations

from decimal import Decimal

import pytest
import tablib
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from import_export import resources

from channelhub.partners.filtersets import PartnerFilterSet
from channelhub.partners.models import Partner, PartnerContact, Product
from channelhub.tenancy.models import Invitation, Membership
from channelhub.tenancy.roles import Role
from channelhub.testing import find_token, temporary_attribute

pytestmark = pytest.mark.django_db


def test_saving_a_row_with_another_tenants_pk_never_overwrites_that_row(world):
    """``save()`` tried its UPDATE through the unfiltered base manager: B's row moved into A."""
    theirs = world.b.get(Product)
    before = world.snapshot(theirs)
    with world.a.scope():
        forged = Product(pk=theirs.pk, sku="FORGED", name="forged", category="x", list_price=Decimal(1))
        with pytest.raises(IntegrityError), transaction.atomic():
            forged.save()
    assert world.snapshot(theirs) == before


class ContactByEmail(resources.ModelResource):
    """An import matched on a natural key that also carries the ``id`` column, as exports do."""

    class Meta:
        model = PartnerContact
        fields = ("id", "email", "name", "partner")
        import_id_fields = ("email",)


def test_importing_a_row_with_another_tenants_id_never_overwrites_that_row(world):
    """A's contact, matched by e-mail, took B's id from the file; saving it overwrote B's row."""
    mine, theirs = world.a.get(PartnerContact), world.b.get(PartnerContact)
    before_mine, before_theirs, counts = world.snapshot(mine), world.snapshot(theirs), world.counts()
    dataset = tablib.Dataset(
        [theirs.pk, mine.email, "hijacked", mine.partner_id], headers=["id", "email", "name", "partner"]
    )
    with world.a.scope():
        result = ContactByEmail().import_data(dataset, dry_run=False, raise_errors=False)
    assert result.has_errors()
    assert world.snapshot(theirs) == before_theirs
    assert world.snapshot(mine) == before_mine
    assert world.counts() == counts


def test_partner_owner_filter_offers_only_this_tenants_staff(world):
    """The generated ``owner`` filter listed every user of the platform in the browsable API."""
    theirs = world.b.user(Role.OWNER)
    mine = world.a.user(Role.CHANNEL_MANAGER)
    with world.a.scope():
        choices = set(PartnerFilterSet().form.fields["owner"].queryset)
    assert mine in choices and theirs not in choices
    page = world.a.api(world.a.user(Role.OWNER)).get("/api/v1/partners/", HTTP_ACCEPT="text/html")
    assert find_token(page.content.decode(), world.b.token) is None


def test_view_on_site_never_resolves_another_tenants_row(world):
    """Django's shortcut view looks objects up with the base manager, across tenants."""
    mine, theirs = world.a.get(Partner), world.b.get(Partner)
    content_type = ContentType.objects.get_for_model(Partner)
    client = world.a.client(world.a.user(Role.OWNER))
    with temporary_attribute(Partner, "get_absolute_url", lambda self: f"/partners/{self.pk}/"):
        assert client.get(f"/admin/r/{content_type.pk}/{theirs.pk}/").status_code == 404
        own = client.get(f"/admin/r/{content_type.pk}/{mine.pk}/")
        assert (own.status_code, own["Location"]) == (302, f"/partners/{mine.pk}/")


def test_adding_a_membership_in_the_admin_answers_with_a_redirect(world):
    """The admin logged the new membership through an object without a user: a 500 after saving.

    Adding access is now an invitation: the membership add page leads to the invitation form,
    which answers with a redirect and changes nobody's access until the invitee accepts.
    """
    client = world.a.client(world.a.user(Role.OWNER))
    assert client.get("/admin/tenancy/membership/add/")["Location"] == "/admin/tenancy/invitation/add/"
    response = client.post("/admin/tenancy/invitation/add/", {
        "email": "new.person@example.com", "role": Role.PARTNER_USER, "partner": world.a.partner.pk,
        "language": "en", "_save": "Save",
    })
    assert response.status_code == 302
    assert Invitation.all_tenants.filter(tenant=world.a.tenant, email="new.person@example.com").exists()
    assert not Membership.all_tenants.filter(tenant=world.a.tenant, user__email="new.person@example.com").exists()
