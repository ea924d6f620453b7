"""Partner services check the actor themselves: no surface can allow more than the permission table."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from channelhub.partners import services
from channelhub.partners.models import Partner, PartnerStatus, Region
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import StateTransition
from channelhub.tenancy.roles import Role
from tests.conftest import make_member
from tests.factories import PartnerContactFactory, PartnerFactory, RegionFactory

pytestmark = pytest.mark.django_db

NOT_MANAGERS = [Role.TRAINER, Role.LEGAL, Role.FINANCE, Role.PARTNER_ADMIN, Role.PARTNER_USER]


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_only_managers_change_a_partners_status(tenant, role):
    actor = make_member(tenant, role)
    with tenant_scope(tenant):
        partner = PartnerFactory()
        with pytest.raises(PermissionDenied):
            services.partner_transition(partner=partner, to_status=PartnerStatus.ONBOARDING, actor=actor)
        partner.refresh_from_db()
        assert partner.status == PartnerStatus.PROSPECT
        assert not StateTransition.objects.exists()


@pytest.mark.parametrize("role", [Role.OWNER, Role.CHANNEL_MANAGER])
def test_managers_change_a_partners_status(tenant, role):
    actor = make_member(tenant, role)
    with tenant_scope(tenant):
        partner = PartnerFactory()
        services.partner_transition(partner=partner, to_status=PartnerStatus.ONBOARDING, actor=actor)
        assert StateTransition.objects.get().actor == actor


def test_a_role_in_another_tenant_counts_for_nothing(tenant, other_tenant):
    outsider = make_member(other_tenant, Role.OWNER)
    with tenant_scope(tenant):
        partner = PartnerFactory()
        with pytest.raises(PermissionDenied):
            services.partner_update(partner=partner, actor=outsider, notes="mine now")


def test_partner_admin_keeps_only_their_own_companys_contacts(tenant):
    with tenant_scope(tenant):
        own, other = PartnerFactory(), PartnerFactory()
        theirs = PartnerContactFactory(partner=other)
    admin = make_member(tenant, Role.PARTNER_ADMIN, partner=own)
    with tenant_scope(tenant):
        contact = services.contact_create(tenant=tenant, actor=admin, partner=own, name="陈静")
        assert contact.partner == own
        with pytest.raises(PermissionDenied):
            services.contact_create(tenant=tenant, actor=admin, partner=other, name="赵磊")
        with pytest.raises(PermissionDenied):
            services.contact_update(contact=theirs, actor=admin, name="changed")
        with pytest.raises(PermissionDenied):
            services.contact_update(contact=contact, actor=admin, partner=other)
        with pytest.raises(PermissionDenied):
            services.contact_delete(contact=theirs, actor=admin)


def test_trainer_cannot_touch_the_catalogue(tenant):
    trainer = make_member(tenant, Role.TRAINER)
    with tenant_scope(tenant):
        region = RegionFactory()
        with pytest.raises(PermissionDenied):
            services.region_update(region=region, actor=trainer, name="改名")
        with pytest.raises(PermissionDenied):
            services.partner_delete(partner=PartnerFactory(), actor=trainer)


def test_system_jobs_act_without_a_person(tenant):
    with tenant_scope(tenant):
        partner = services.partner_create(
            tenant=tenant, actor=None, legal_name="系统导入有限公司", credit_code=PartnerFactory.build().credit_code,
            partner_type="distributor", region=RegionFactory(),
        )
        assert Partner.objects.filter(pk=partner.pk).exists()


# The reproduction from the security review, as a trainer would try it in the admin.
def test_trainer_cannot_suspend_a_partner_from_the_changelist(client, tenant):
    trainer = make_member(tenant, Role.TRAINER)
    with tenant_scope(tenant):
        partner = PartnerFactory(status=PartnerStatus.ACTIVE)
    client.force_login(trainer)
    page = client.get("/admin/partners/partner/").content.decode()
    assert 'value="suspend"' not in page
    client.post("/admin/partners/partner/", {"action": "suspend", "_selected_action": [partner.pk]})
    with tenant_scope(tenant):
        partner.refresh_from_db()
        assert partner.status == PartnerStatus.ACTIVE
        assert not StateTransition.objects.exists()
    assert client.get(f"/admin/partners/partner/{partner.pk}/status/").status_code == 403


def test_moving_a_region_in_the_admin_moves_its_subtree(client, tenant, manager):
    with tenant_scope(tenant):
        east = RegionFactory(code="EAST", name="华东", level=Region.Level.AREA)
        south = RegionFactory(code="SOUTH", name="华南", level=Region.Level.AREA)
        province = RegionFactory(code="ZJ", name="浙江", level=Region.Level.PROVINCE, parent=east)
        city = RegionFactory(code="HZ", name="杭州", level=Region.Level.CITY, parent=province)
    client.force_login(manager)
    response = client.post(f"/admin/partners/region/{province.pk}/change/", {
        "code": "ZJ", "name": "浙江", "name_en": "", "level": Region.Level.PROVINCE, "parent": south.pk,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    with tenant_scope(tenant):
        city.refresh_from_db()
        province.refresh_from_db()
        assert province.path.startswith(south.path)
        assert city.path.startswith(province.path)
