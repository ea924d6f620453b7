"""The service matrix: every state-changing service refuses exactly the roles the table refuses.

Authorization twice (STYLE.md): a surface that forgets its gate still hits the service's. Each
service is mapped to the table items it backs (``SERVICES``); a role may call it if any of those
items admits the role (e.g. ``membership_deactivate`` backs the owner's admin action and the
partner admin's portal button). Each case builds its target as the system, then calls the
service as each role of tenant A: ``PermissionDenied`` exactly for the roles the table refuses;
an admitted role's call must succeed (the target is in a state where it can).
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from channelhub.partners import services as partner_services
from channelhub.partners.models import Partner, PartnerContact, PartnerStatus, PartnerType, Product, Region
from channelhub.partners.validators import make_credit_code
from channelhub.tenancy import services as tenancy_services
from channelhub.tenancy.lockout import lockout_clear
from channelhub.tenancy.models import ApiKey, Invitation, Membership
from channelhub.tenancy.roles import Role
from recruitment import services as recruitment_services
from recruitment.models import Campaign, CampaignSource, OnboardingTask, RecruitmentPlan

from . import setups
from .cases import ServiceCase
from .chapters import chapter_services
from .table import ANONYMOUS, ROLES, TABLE, expected

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("roles")]

ACTORS = [role for role in ROLES if role != ANONYMOUS]
_serial = itertools.count(1)


def code() -> str:
    return make_credit_code(f"91330100MA{next(_serial):07d}")


def _scores(world, application) -> dict[int, int]:
    from recruitment import selectors

    with world.a.scope():
        return {item.criterion.pk: 1 for item in selectors.scoring_criteria(application=application)}


def _partner_user_membership(world) -> Membership:
    return world.a.new(Membership)  # a partner user of the partner admin's own partner


def _invitation(world) -> Invitation:
    return world.a.new(Invitation)  # to a partner-user role at the partner admin's own partner


S = ServiceCase
SERVICES: list[ServiceCase] = [
    # -- partners
    S("partner_create", ("partners-api:partner-list POST",), lambda w, actor: partner_services.partner_create(
        tenant=w.a.tenant, actor=actor, legal_name=f"{w.a.marker()} Co.", short_name="x", credit_code=code(),
        partner_type=PartnerType.RESELLER, region=w.a.get(Region))),
    S("partner_update", ("partners-api:partner-detail PATCH",), lambda w, actor: partner_services.partner_update(
        partner=w.a.new(Partner), actor=actor, notes="matrix")),
    S("partner_delete", ("partners-api:partner-detail DELETE",), lambda w, actor: partner_services.partner_delete(
        partner=w.a.new(Partner), actor=actor)),
    S("partner_transition", ("partners-api:partner-transition POST", "admin:partners.partner#start_onboarding"),
      lambda w, actor: partner_services.partner_transition(
          partner=w.a.new(Partner), to_status=PartnerStatus.ONBOARDING, actor=actor, reason="matrix")),
    S("contact_create", ("partners-api:contact-list POST",), lambda w, actor: partner_services.contact_create(
        tenant=w.a.tenant, actor=actor, partner=w.a.partner, name=w.a.marker(), email="c@example.com")),
    S("contact_update", ("partners-api:contact-detail PATCH",), lambda w, actor: partner_services.contact_update(
        contact=w.a.new(PartnerContact), actor=actor, title="matrix")),
    S("contact_delete", ("partners-api:contact-detail DELETE",), lambda w, actor: partner_services.contact_delete(
        contact=w.a.new(PartnerContact), actor=actor)),
    S("region_create", ("partners-api:region-list POST",), lambda w, actor: partner_services.region_create(
        tenant=w.a.tenant, actor=actor, code=w.a.marker(), name="r", level=Region.Level.PROVINCE,
        parent=w.a.get(Region))),
    S("region_update", ("partners-api:region-detail PATCH",), lambda w, actor: partner_services.region_update(
        region=w.a.new(Region), actor=actor, name_en="matrix")),
    S("region_delete", ("partners-api:region-detail DELETE",), lambda w, actor: partner_services.region_delete(
        region=w.a.new(Region), actor=actor)),
    S("product_create", ("partners-api:product-list POST",), lambda w, actor: partner_services.product_create(
        tenant=w.a.tenant, actor=actor, sku=w.a.marker(), name="p", category="Phones", list_price=Decimal("1"))),
    S("product_update", ("partners-api:product-detail PATCH",), lambda w, actor: partner_services.product_update(
        product=w.a.new(Product), actor=actor, name_en="matrix")),
    S("product_delete", ("partners-api:product-detail DELETE",), lambda w, actor: partner_services.product_delete(
        product=w.a.new(Product), actor=actor)),
    # -- tenancy
    S("membership_deactivate", ("admin:tenancy.membership#deactivate", "portal:staff_toggle POST"),
      lambda w, actor: tenancy_services.membership_deactivate(membership=_partner_user_membership(w), actor=actor)),
    S("membership_reactivate", ("admin:tenancy.membership#reactivate", "portal:staff_toggle POST"),
      lambda w, actor: tenancy_services.membership_reactivate(membership=setups.inactive_membership(w), actor=actor)),
    S("invitation_create", ("admin:tenancy_invitation_add GET", "portal:staff_invite GET"),
      lambda w, actor: tenancy_services.invitation_create(
          tenant=w.a.tenant, actor=actor, email=f"{w.a.marker().lower()}@example.com", role=Role.PARTNER_USER,
          partner=w.a.partner)),
    S("invitation_revoke", ("admin:tenancy.invitation#revoke", "portal:staff_invitation_revoke POST"),
      lambda w, actor: tenancy_services.invitation_revoke(invitation=_invitation(w), actor=actor)),
    S("invitation_resend", ("admin:tenancy.invitation#resend", "portal:staff_invitation_resend POST"),
      lambda w, actor: tenancy_services.invitation_resend(invitation=_invitation(w), actor=actor)),
    S("lockout_clear", ("admin:tenancy.membership#unlock_sign_in",),
      lambda w, actor: lockout_clear(actor=actor, user=setups.locked_membership(w).user)),
    S("api_key_create", ("api-key-list POST",), lambda w, actor: tenancy_services.api_key_create(
        tenant=w.a.tenant, actor=actor, name=w.a.marker(), role=Role.FINANCE)),
    S("api_key_revoke", ("api-key-revoke POST",), lambda w, actor: tenancy_services.api_key_revoke(
        api_key=w.a.new(ApiKey), actor=actor)),
    # -- recruitment
    S("plan_create", ("recruitment-api:plan-list POST",), lambda w, actor: recruitment_services.plan_create(
        tenant=w.a.tenant, actor=actor, name=w.a.marker(), start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31), budget=Decimal("10"))),
    S("plan_transition", ("recruitment-api:plan-transition POST", "admin:recruitment.recruitmentplan#activate"),
      lambda w, actor: recruitment_services.plan_transition(
          plan=w.a.new(RecruitmentPlan), to_status="active", actor=actor, reason="matrix")),
    S("campaign_create", ("recruitment-api:campaign-list POST",),
      lambda w, actor: recruitment_services.campaign_create(
        tenant=w.a.tenant, actor=actor, plan=w.a.get(RecruitmentPlan), name=w.a.marker(), code=w.a.marker(),
        source=CampaignSource.MEDIA, start_date=date(2026, 4, 1), cost=Decimal("1"))),
    S("campaign_transition", ("recruitment-api:campaign-transition POST", "admin:recruitment.campaign#start"),
      lambda w, actor: recruitment_services.campaign_transition(
          campaign=w.a.new(Campaign), to_status="running", actor=actor, reason="matrix")),
    S("application_update", ("recruitment-api:application-detail PATCH",),
      lambda w, actor: recruitment_services.application_update(
          application=setups.application_in(w), actor=actor, data={"experience": "matrix"})),
    S("application_transition", ("recruitment-api:application-transition POST",
                                 "admin:recruitment.application#move_state"),
      lambda w, actor: recruitment_services.application_transition(
          application=setups.application_in(w), to_state="screening", actor=actor)),
    S("application_assign_reviewers", ("recruitment-api:application-assign-reviewers POST",),
      lambda w, actor: recruitment_services.application_assign_reviewers(
          application=setups.application_in(w), reviewers=[w.a.user(Role.TRAINER)], actor=actor)),
    S("application_remove_reviewers", ("recruitment-api:application-remove-reviewers POST",),
      lambda w, actor: recruitment_services.application_remove_reviewers(
          application=setups.scoring_with_reviewer(w), reviewers=[w.a.user(Role.TRAINER)], actor=actor)),
    S("application_withdraw", ("admin:recruitment.application#move_state",),
      lambda w, actor: recruitment_services.application_withdraw(
          application=setups.application_in(w), actor=actor, reason="matrix")),
    S("application_ask_question", ("recruitment-api:application-messages POST",),
      lambda w, actor: recruitment_services.application_ask_question(
          application=setups.application_in(w), actor=actor, body="matrix?")),
    S("target_create", ("recruitment-api:target-list POST",), lambda w, actor: recruitment_services.target_create(
        tenant=w.a.tenant, actor=actor, plan=w.a.get(RecruitmentPlan), region=w.a.new(Region),
        partner_type=PartnerType.RETAILER, target_count=2)),
    S("criterion_create", ("recruitment-api:criterion-list POST",),
      lambda w, actor: recruitment_services.criterion_create(
          tenant=w.a.tenant, actor=actor, category="experience", name=w.a.marker(), weight=Decimal("1"),
          scale_max=5)),
    S("approval_step_create", ("recruitment-api:approval-step-list POST",),
      lambda w, actor: recruitment_services.approval_step_create(
          tenant=w.a.tenant, actor=actor, order=200 + next(_serial), name="matrix", role=Role.FINANCE)),
    # The API decision: an application at step 1 of the chain, decided by step 1's role only.
    S("application_decide", ("recruitment-api:application-decide POST",),
      lambda w, actor: recruitment_services.application_decide(
          application=setups.in_review(w), actor=actor, decision="reject", comment="matrix")),
    S("scorecard_submit", ("recruitment-api:application-scorecards POST",),
      lambda w, actor: (lambda application: recruitment_services.scorecard_submit(
          application=application, reviewer=actor, scores=_scores(w, application)))(setups.scoring_with_reviewer(w))),
    S("onboarding_task_complete", ("recruitment-api:onboarding-task-complete POST",),
      lambda w, actor: (lambda task: recruitment_services.onboarding_task_complete(
          partner=task.partner, key=task.key, actor=actor))(w.a.new(OnboardingTask))),
    S("onboarding_task_reopen", ("recruitment-api:onboarding-task-reopen POST",),
      lambda w, actor: recruitment_services.onboarding_task_reopen(task=w.a.new(OnboardingTask), actor=actor)),
    S("partner_activate_early", ("recruitment-api:onboarding-task-activate-partner POST",),
      lambda w, actor: recruitment_services.partner_activate_early(
          partner=setups.task_of_onboarding_partner(w).partner, actor=actor, reason="matrix")),
]
SERVICES += chapter_services()  # the chapters' cases, from tests/<app_label>/roles.py


def call_as(world, case: ServiceCase, actor: str) -> str | None:
    """What the call did: None (it ran), "denied", or the error it raised instead."""
    savepoint = transaction.savepoint()
    try:
        user = world.a.user(actor)
        with world.a.scope():
            case.call(world, user)
        return None
    except PermissionDenied:
        return "denied"
    except Exception as error:  # reported by name: an admitted role's call must run
        return f"{type(error).__name__}: {str(error)[:200]}"
    finally:
        transaction.savepoint_rollback(savepoint)


@pytest.mark.parametrize("case", SERVICES, ids=[case.name for case in SERVICES])
def test_service_refuses_exactly_the_roles_the_table_refuses(world, case):
    problems = []
    for actor in ACTORS:
        allowed = any(expected(item, actor) for item in case.items)
        result = call_as(world, case, actor)
        if allowed and result is not None:
            problems.append(f"{case.name} as {actor}: the table admits the role ({', '.join(case.items)}) "
                            f"but the call {'was denied' if result == 'denied' else 'failed: ' + result}")
        if not allowed and result != "denied":
            problems.append(f"{case.name} as {actor}: the table refuses the role ({', '.join(case.items)}) "
                            f"but the call {'ran' if result is None else 'failed otherwise: ' + result}")
    assert not problems, "\n".join(problems)


def test_services_map_to_existing_table_items():
    stale = [(case.name, item) for case in SERVICES for item in case.items if item not in TABLE]
    assert not stale, f"service cases naming items the table does not have: {stale}"
