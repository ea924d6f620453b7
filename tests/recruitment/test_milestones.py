"""Other chapters' milestones tick the onboarding checklist (recruitment listens; nobody imports it)."""

from __future__ import annotations

import pytest

from channelhub import milestones
from channelhub.tenancy.context import tenant_scope
from recruitment import services
from recruitment.models import Decision, OnboardingTask
from tests.invitations import accept_invitation


@pytest.fixture
def onboarding_partner(tenant, in_review, people):
    application = in_review()
    with tenant_scope(tenant):
        for who in ("manager", "director", "legal"):
            services.application_decide(application=application, actor=people[who], decision=Decision.APPROVE)
        application.refresh_from_db()
        return application.partner


def _done(tenant, partner) -> dict[str, str]:
    with tenant_scope(tenant):
        done = OnboardingTask.objects.filter(partner=partner, done_at__isnull=False)
        return dict(done.values_list("key", "done_source"))


def test_a_signed_agreement_and_the_orientation_course_tick_their_items(
    tenant, onboarding_partner, django_capture_on_commit_callbacks
):
    with tenant_scope(tenant), django_capture_on_commit_callbacks(execute=True):
        milestones.announce(partner=onboarding_partner, milestone="agreement.signed", source="cooperation.agreement")
        milestones.announce(partner=onboarding_partner, milestone="course.completed", source="training.course",
                            course_kind="product")
    done = _done(tenant, onboarding_partner)
    assert done.get("sign_agreement") == "milestone:agreement.signed"  # shown as the milestone's label
    assert "orientation_course" not in done  # a product course is not the orientation
    with tenant_scope(tenant), django_capture_on_commit_callbacks(execute=True):
        milestones.announce(partner=onboarding_partner, milestone="course.completed", source="training.course",
                            course_kind="orientation")
    assert _done(tenant, onboarding_partner).get("orientation_course") == "milestone:course.completed"


def test_the_partner_administrator_accepting_the_invitation_ticks_portal_users(
    tenant, onboarding_partner, django_capture_on_commit_callbacks
):
    with tenant_scope(tenant):
        email = onboarding_partner.applications.get().contact_email
    assert "portal_users" not in _done(tenant, onboarding_partner)
    with django_capture_on_commit_callbacks(execute=True):
        accept_invitation(tenant, email)
    assert _done(tenant, onboarding_partner).get("portal_users") == "milestone:partner.user_joined"
