"""Partner, region and product services: the rules they enforce."""

import pytest
from django.core.exceptions import ValidationError

from channelhub.partners import selectors, services
from channelhub.partners.models import Region
from channelhub.tenancy.roles import Role
from tests.factories import PartnerFactory, RegionFactory

pytestmark = pytest.mark.django_db


def test_moving_a_region_moves_its_subtree(in_tenant):
    east = RegionFactory(code="EAST")
    north = RegionFactory(code="NORTH")
    jiangsu = RegionFactory(code="JS", parent=east, level=Region.Level.PROVINCE)
    nanjing = RegionFactory(code="NJ", parent=jiangsu, level=Region.Level.CITY)
    partner = PartnerFactory(region=nanjing)

    services.region_update(region=jiangsu, actor=None, parent=north)
    nanjing.refresh_from_db()
    assert nanjing.path == "/NORTH/JS/NJ/"
    assert list(selectors.region_with_descendants(north).order_by("path")) == [north, jiangsu, nanjing]
    assert selectors.partner_list().filter(region__path__startswith=north.path).get() == partner


def test_a_region_cannot_be_its_own_ancestor(in_tenant):
    east = RegionFactory(code="EAST")
    child = RegionFactory(code="SH", parent=east)
    with pytest.raises(ValidationError):
        services.region_update(region=east, actor=None, parent=child)


def test_deleting_a_region_in_use_is_refused_with_a_reason(in_tenant):
    partner = PartnerFactory()
    with pytest.raises(ValidationError) as error:
        services.delete_guarded(partner.region, actor=None)
    assert "cannot be deleted" in error.value.messages[0]
    assert Region.objects.filter(pk=partner.region_id).exists()


def test_status_is_not_set_by_create_or_update(in_tenant):
    partner = services.partner_create(
        tenant=in_tenant, actor=None, legal_name="X", partner_type="reseller",
        region=RegionFactory(), status="active",
    )
    assert partner.status == "prospect"
    services.partner_update(partner=partner, actor=None, status="terminated", notes="n")
    partner.refresh_from_db()
    assert (partner.status, partner.notes) == ("prospect", "n")


def test_owner_must_be_staff_of_this_tenant(in_tenant, other_tenant, member):
    from tests.conftest import make_member

    outsider = make_member(other_tenant, Role.CHANNEL_MANAGER)
    partner_user = member(Role.PARTNER_USER)
    for bad_owner in (outsider, partner_user):
        with pytest.raises(ValidationError) as error:
            services.partner_create(
                tenant=in_tenant, actor=None, legal_name="X", partner_type="reseller",
                region=RegionFactory(), owner=bad_owner,
            )
        assert "owner" in error.value.message_dict


def test_status_counts_cover_every_status(in_tenant):
    PartnerFactory.create_batch(2)
    counts = selectors.partner_status_counts()
    assert counts["prospect"] == 2 and counts["active"] == 0 and len(counts) == 5
