"""``manage.py seed_demo``: both tenants, every role able to sign in, valid and isolated data, idempotent."""

from __future__ import annotations

from collections import Counter

import pytest
from django.apps import apps
from django.contrib.auth import authenticate

from channelhub.demo.builder import PLACE_BY_CODE, STATUS_PATTERN, plan_partners
from channelhub.demo.data import ADMIN_USERNAME, ANHE, DEMO_CREDENTIALS, DEMO_PASSWORD, HUAXIN, TENANTS
from channelhub.partners.models import Partner, PartnerContact, PartnerStatus, PartnerType, Product, Region
from channelhub.partners.validators import is_valid_credit_code
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import Membership, StateTransition, Tenant, User
from channelhub.tenancy.roles import ALL_ROLES, PARTNER_ROLES, Role

from .seeding import PARTNERS, built_partners, seed

# The package's modules share one seed (tests/demo/conftest.py), so one worker runs them all.
pytestmark = pytest.mark.xdist_group("demo")

ALLOWED_TYPES = {
    HUAXIN.slug: {PartnerType.DISTRIBUTOR, PartnerType.RESELLER, PartnerType.RETAILER, PartnerType.SERVICE_PROVIDER},
    ANHE.slug: {PartnerType.AGENT, PartnerType.BROKER, PartnerType.SERVICE_PROVIDER},
}


def row_counts() -> dict[str, int]:
    """Rows of every table, across tenants (history and transition logs included)."""
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


@pytest.fixture
def seeded(demo_seed, db) -> str:
    """The package's seed; each test's own writes (a second run, more partners) are rolled back
    by its ``db`` savepoint."""
    return demo_seed.output


# --- The plan (no database) --------------------------------------------------------------


@pytest.mark.parametrize("spec", TENANTS, ids=lambda spec: spec.slug)
def test_plan_is_deterministic_and_a_longer_plan_extends_a_shorter_one(spec):
    assert plan_partners(spec, PARTNERS) == plan_partners(spec, PARTNERS)
    assert plan_partners(spec, 40)[:PARTNERS] == plan_partners(spec, PARTNERS)


@pytest.mark.parametrize("spec", TENANTS, ids=lambda spec: spec.slug)
def test_full_plan_has_valid_unique_codes_and_realistic_values(spec):
    plans = plan_partners(spec, 200)
    assert len(plans) == 200
    codes = [plan.credit_code for plan in plans]
    assert all(is_valid_credit_code(code) for code in codes)
    assert len(set(codes)) == len(codes)
    # Registered by a company (91) in the partner's own city or district.
    assert all(plan.credit_code[:2] == "91" and plan.credit_code[2:8] in PLACE_BY_CODE for plan in plans)
    assert all(plan.credit_code[2:8] == plan.place.city.code for plan in plans)
    assert len({plan.legal_name for plan in plans}) == len(plans)
    assert {plan.partner_type for plan in plans} == ALLOWED_TYPES[spec.slug]
    assert all(1 <= len(plan.contacts) <= 3 for plan in plans)
    assert all(plan.english_name.endswith("Ltd.") for plan in plans)
    final = Counter(plan.moves[-1][0] if plan.moves else PartnerStatus.PROSPECT for plan in plans)
    assert set(final) == set(PartnerStatus.values)
    assert final[PartnerStatus.ACTIVE] > len(plans) / 2


def test_the_first_nine_generated_partners_hold_every_status():
    finals = {path[-1] if path else PartnerStatus.PROSPECT for path in STATUS_PATTERN[:9]}
    assert finals == set(PartnerStatus.values)


# --- The command ---------------------------------------------------------------------------


def test_builds_both_tenants_with_their_languages(seeded):
    tenants = {tenant.slug: tenant for tenant in Tenant.objects.all()}
    assert tenants[HUAXIN.slug].default_language == "zh-hans"
    assert tenants[ANHE.slug].default_language == "en"
    assert tenants[HUAXIN.slug].name == HUAXIN.name


def test_every_credential_signs_in_with_its_role(seeded):
    for credential in DEMO_CREDENTIALS:
        user = authenticate(username=credential.username, password=DEMO_PASSWORD)
        assert user is not None, credential.username
        if credential.username == ADMIN_USERNAME:
            assert user.is_superuser and user.is_staff
            continue
        tenant = Tenant.objects.get(slug=credential.tenant)
        with tenant_scope(tenant):
            membership = Membership.objects.get(user=user)
            assert membership.role == credential.role
            if credential.role in PARTNER_ROLES:
                assert membership.partner.legal_name == credential.partner
                assert membership.partner.status == PartnerStatus.ACTIVE


def test_every_role_has_a_user_in_each_tenant(seeded):
    for tenant in Tenant.objects.all():
        with tenant_scope(tenant):
            roles = Counter(Membership.objects.values_list("role", flat=True))
        assert set(roles) == set(ALL_ROLES), tenant.slug
        assert 2 <= roles[Role.CHANNEL_MANAGER] <= 3


def test_each_tenant_sees_exactly_its_own_partners(seeded):
    all_codes = []
    for spec in TENANTS:
        tenant = Tenant.objects.get(slug=spec.slug)
        with tenant_scope(tenant):
            partners = list(built_partners().select_related("region", "owner"))
            managers = set(
                Membership.objects.filter(role=Role.CHANNEL_MANAGER).values_list("user_id", flat=True)
            )
            assert len(partners) == PARTNERS
            assert {p.partner_type for p in partners} <= ALLOWED_TYPES[spec.slug]
            assert all(p.tenant_id == tenant.pk and p.region.tenant_id == tenant.pk for p in partners)
            assert all(p.owner_id in managers for p in partners)
            assert all(p.registered_capital and p.founding_year and p.staff_count for p in partners)
            assert Product.objects.count() == len(spec.products)
            assert Region.objects.filter(level=Region.Level.AREA).count() == 7
        all_codes += [p.credit_code for p in partners]
    assert all(is_valid_credit_code(code) for code in all_codes)
    assert len(set(all_codes)) == len(all_codes)


def test_statuses_are_spread_and_every_move_is_audited(seeded):
    for tenant in Tenant.objects.all():
        with tenant_scope(tenant):
            statuses = Counter(built_partners().values_list("status", flat=True))
            assert set(statuses) == set(PartnerStatus.values), tenant.slug
            assert statuses[PartnerStatus.ACTIVE] > PARTNERS / 2
            for partner in built_partners():
                moves = StateTransition.objects.filter(object_id=partner.pk, workflow="partner.status")
                if partner.status == PartnerStatus.PROSPECT:
                    assert not moves.exists()
                else:
                    last = moves.first()  # newest first
                    assert last.to_state == partner.status and last.reason and last.actor_id == partner.owner_id
                # Created, then one history row per move.
                assert partner.history.count() == 1 + moves.count()


def test_partners_have_contacts_with_one_primary(seeded):
    for tenant in Tenant.objects.all():
        with tenant_scope(tenant):
            for partner in Partner.objects.prefetch_related("contacts"):
                contacts = list(partner.contacts.all())
                assert 1 <= len(contacts) <= 3
                assert sum(contact.is_primary for contact in contacts) == 1
                assert all(contact.name and contact.title and contact.phone and "@" in contact.email
                           for contact in contacts)
            assert PartnerContact.history.count() == PartnerContact.objects.count()


def test_second_run_creates_nothing(seeded):
    before = row_counts()
    output = seed()
    assert row_counts() == before
    assert "huaxin: nothing new" in output and "anhe: nothing new" in output


def test_more_partners_later_adds_only_the_missing_ones(seeded):
    seed(partners=PARTNERS + 5)
    for tenant in Tenant.objects.all():
        with tenant_scope(tenant):
            assert built_partners().count() == PARTNERS + 5
    assert User.objects.filter(username__endswith="-owner").count() == 2


def test_if_empty_is_a_no_op_once_seeded(seeded):
    before = row_counts()
    output = seed("--if-empty", partners=50)
    assert row_counts() == before
    assert output.count("\n") == 1 and "skipped" in output


def test_prints_progress_and_every_credential(seeded, capsys):
    output = seed()
    assert "huaxin: 100%" in capsys.readouterr().err
    for credential in DEMO_CREDENTIALS:
        assert credential.username in output
    assert DEMO_PASSWORD in output
