"""Access, keys and jobs: who may change them, checked in the services and offered in the admin alike."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from channelhub.tenancy import services
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import ApiKey, JobSchedule, Membership
from channelhub.tenancy.roles import Role
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


def _membership(tenant, user) -> Membership:
    with tenant_scope(tenant):
        return Membership.objects.get(user=user)


# The reproduction from the security review: the trainer locked the owner out.
def test_trainer_cannot_deactivate_the_owner_from_the_membership_list(client, tenant, owner):
    trainer = make_member(tenant, Role.TRAINER)
    target = _membership(tenant, owner)
    client.force_login(trainer)
    page = client.get("/admin/tenancy/membership/").content.decode()
    assert 'value="deactivate"' not in page
    client.post("/admin/tenancy/membership/", {"action": "deactivate", "_selected_action": [target.pk]})
    assert _membership(tenant, owner).is_active


@pytest.mark.parametrize("role", [Role.CHANNEL_MANAGER, Role.TRAINER, Role.LEGAL, Role.FINANCE])
def test_only_owners_revoke_access(tenant, owner, role):
    actor = make_member(tenant, role)
    target = _membership(tenant, owner)
    with tenant_scope(tenant), pytest.raises(PermissionDenied):
        services.membership_deactivate(membership=target, actor=actor)
    assert _membership(tenant, owner).is_active


def test_an_owner_cannot_lock_themselves_out(tenant, owner):
    with tenant_scope(tenant), pytest.raises(PermissionDenied):
        services.membership_deactivate(membership=_membership(tenant, owner), actor=owner)


def test_partner_admin_manages_only_their_own_companys_users(tenant):
    own = make_member(tenant, Role.PARTNER_USER)
    own_partner = _membership(tenant, own).partner
    admin = make_member(tenant, Role.PARTNER_ADMIN, partner=own_partner)
    stranger = make_member(tenant, Role.PARTNER_USER)
    staff = make_member(tenant, Role.FINANCE)
    with tenant_scope(tenant):
        services.membership_deactivate(membership=_membership(tenant, own), actor=admin)
        for victim in (stranger, staff):
            with pytest.raises(PermissionDenied):
                services.membership_deactivate(membership=_membership(tenant, victim), actor=admin)


def test_only_owners_issue_and_revoke_api_keys(tenant, owner, manager):
    with tenant_scope(tenant):
        with pytest.raises(PermissionDenied):
            services.api_key_create(tenant=tenant, actor=manager, name="ERP", role=Role.OWNER)
        issued = services.api_key_create(tenant=tenant, actor=owner, name="ERP", role=Role.CHANNEL_MANAGER)
        with pytest.raises(PermissionDenied):
            services.api_key_revoke(api_key=issued.api_key, actor=manager)
        assert ApiKey.objects.get().revoked_at is None


def test_finance_cannot_run_jobs_and_the_action_is_not_offered(client, tenant):
    finance = make_member(tenant, Role.FINANCE)
    manager = make_member(tenant, Role.CHANNEL_MANAGER)
    with tenant_scope(tenant):
        schedule = JobSchedule.objects.first()
        with pytest.raises(PermissionDenied):
            services.job_schedule_run_now(schedule=schedule, actor=finance)
        with pytest.raises(PermissionDenied):
            services.job_schedule_update(schedule=schedule, actor=manager, enabled=False)
    client.force_login(manager)  # managers see the schedules but do not change or start them
    page = client.get("/admin/tenancy/jobschedule/").content.decode()
    assert 'value="run_now"' not in page
