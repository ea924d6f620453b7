"""Rows in the state an item needs to take effect, and the bodies that make an action act.

A refused write proves something only if the same write by an admitted role would have changed
the row: a "suspend" posted on a prospect changes nothing for anyone. So each action acts on a
row it can move (an active partner for ``suspend``, an application in review for ``approve``…),
and the matrix checks that an admitted role's POST does change it.

Preparation runs as the system (``actor=None``), the way jobs and the demo seed act.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import models

from channelhub.partners.models import Partner, PartnerStatus
from channelhub.tenancy.roles import Role
from recruitment.models import Application, Campaign, OnboardingTask


def model_of(label: str) -> type[models.Model]:
    return apps.get_model(label)


def fresh(world, label: str) -> models.Model:
    return world.a.new(model_of(label))


# --------------------------------------------------------------------------------------
# Rows in a state
# --------------------------------------------------------------------------------------


def partner_in(world, *path: str) -> Partner:
    from channelhub.partners import services

    partner = world.a.new(Partner)
    with world.a.scope():
        for status in path:
            services.partner_transition(partner=partner, to_status=status, actor=None, reason="matrix")
    return partner


def application_in(world, *path: str, reviewer: bool = False) -> Application:
    from recruitment import services

    application = world.a.new(Application)
    with world.a.scope():
        for state in path:
            services.application_transition(application=application, to_state=state, actor=None)
        if reviewer:
            services.application_assign_reviewers(
                application=application, reviewers=[world.a.user(Role.TRAINER)], actor=None)
        application.refresh_from_db()
    return application


def scoring_with_reviewer(world) -> Application:
    """An application in scoring with the trainer assigned (``table.REVIEWER``)."""
    return application_in(world, "screening", "scoring", reviewer=True)


def in_review(world) -> Application:
    """An application in review at step 1 of ``table.APPROVAL_CHAIN``."""
    return application_in(world, "screening", "scoring", "in_review")


def draft_application(world) -> Application:
    from recruitment import services
    from tests.recruitment.harness import _application_data

    with world.a.scope():
        return services.application_create(
            tenant=world.a.tenant, actor=None, data=_application_data(world.a, world.a.marker()))


def running_campaign(world) -> Campaign:
    from recruitment import services

    campaign = world.a.new(Campaign)
    with world.a.scope():
        services.campaign_transition(campaign=campaign, to_status="running", actor=None, reason="matrix")
    return campaign


def inactive_membership(world):
    from channelhub.tenancy import services

    membership = fresh(world, "tenancy.membership")
    with world.a.scope():
        services.membership_deactivate(membership=membership, actor=None)
    return membership


def locked_membership(world):
    """A membership whose person is locked out after failed sign-ins (django-axes' records)."""
    from axes.models import AccessAttempt

    membership = fresh(world, "tenancy.membership")
    AccessAttempt.objects.create(
        username=membership.user.get_username(), user_agent="matrix", ip_address="198.51.100.7",
        http_accept="*/*", path_info="/admin/login/", get_data="", post_data="", failures_since_start=10)
    return membership


def sign_in_failures(world, membership) -> int:
    from axes.models import AccessAttempt

    return AccessAttempt.objects.filter(username=membership.user.get_username()).count()


def task_of_onboarding_partner(world) -> OnboardingTask:
    partner = partner_in(world, PartnerStatus.ONBOARDING)
    with world.a.scope():
        return OnboardingTask.objects.create(partner=partner, key=world.a.marker().lower(), name="matrix")


Setup = Callable[[Any], models.Model]

# Admin actions, by table item: the row the action can move (default: a fresh row).
ACTION_SETUP: dict[str, Setup] = {
    "admin:partners.partner#activate": lambda world: partner_in(world, PartnerStatus.ONBOARDING),
    "admin:partners.partner#suspend": lambda world: partner_in(world, PartnerStatus.ONBOARDING,
                                                               PartnerStatus.ACTIVE),
    "admin:tenancy.membership#reactivate": inactive_membership,
    "admin:tenancy.membership#unlock_sign_in": locked_membership,
    "admin:recruitment.campaign#finish": running_campaign,
    "admin:recruitment.application#remove_reviewers": scoring_with_reviewer,
    "admin:recruitment.application#approve": in_review,
    "admin:recruitment.application#reject": in_review,
    "admin:recruitment.application#return_": in_review,
    "admin:recruitment.onboardingtask#activate_partners": task_of_onboarding_partner,
}


# What an action changes outside tenant-owned tables (the row, row counts, the audit trail
# and queued work are always compared).
EXTRA_EFFECTS: dict[str, Callable[[Any, models.Model], Any]] = {
    "admin:tenancy.membership#unlock_sign_in": sign_in_failures,
}


# The chapters' action forms (tests/<app_label>/roles.py): a dict, or a callable of the world.
ACTION_BODIES: dict[str, Any] = {}

# Chapters' signed-in pages that take a row (``<pk>``) and need a fresh one (a file written in this
# test's media root…): route name → ``build(world) -> row``, filled from tests/<app_label>/roles.py.
PAGE_ROWS: dict[str, Setup] = {}


def action_row(world, item_id: str, model: type[models.Model]) -> models.Model:
    setup = ACTION_SETUP.get(item_id)
    return setup(world) if setup else world.a.new(model)


def action_body(world, name: str) -> dict[str, Any]:
    """The intermediate form of actions that ask first, filled in (``apply`` submits it)."""
    body = ACTION_BODIES.get(name)
    if body is not None:
        return body(world) if callable(body) else body
    reviewers = {"apply": "1", "reviewers": [str(world.a.user(Role.TRAINER).pk)]}
    comment = {"apply": "1", "comment": "matrix"}
    return {
        "assign_reviewers": reviewers,
        "remove_reviewers": reviewers,
        "approve": comment,
        "reject": comment,
        "return_": {**comment, "return_to": "scoring"},
        "move_state": {"apply": "1", "to_state": "screening", "reason": "matrix"},
        "activate_partners": {"apply": "1", "reason": "matrix"},
    }.get(name, {})


# API operations whose answer depends on the row's state or on who is assigned to it: every
# actor acts on such a row, so that a refusal is about the role, not about the state.
API_SETUP: dict[str, Setup] = {
    "recruitment-api:application-decide POST": in_review,
    "recruitment-api:application-scorecards POST": scoring_with_reviewer,
    "recruitment-api:application-remove-reviewers POST": scoring_with_reviewer,
    "recruitment-api:application-submit POST": draft_application,
}


def api_row(world, item_id: str, model: type[models.Model], *, fresh: bool, shared: dict) -> models.Model:
    """A fresh row for a role the table admits; else the row refused roles share."""
    setup = API_SETUP.get(item_id)
    if fresh:
        return setup(world) if setup else world.a.new(model)
    if setup is None:
        return world.a.get(model)
    if "row" not in shared:
        shared["row"] = setup(world)
    return shared["row"]
