"""The admin offers access by invitation: owners invite any role, revoke and resend; nobody's account changes."""

from __future__ import annotations

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import Invitation, InvitationState, Membership
from channelhub.tenancy.roles import Role
from tests.conftest import make_member

pytestmark = pytest.mark.django_db

ADD = "/admin/tenancy/invitation/add/"


def test_adding_a_membership_opens_the_invitation_form(client_as, owner):
    response = client_as(owner).get("/admin/tenancy/membership/add/")
    assert (response.status_code, response["Location"]) == (302, ADD)


def test_an_owner_invites_staff_without_touching_an_existing_account(
    client_as, owner, tenant, other_tenant, mailoutbox, django_capture_on_commit_callbacks
):
    elsewhere = make_member(other_tenant, Role.FINANCE, email="fin@beta.example", username="beta-fin")
    client = client_as(owner)
    answers = []
    for email in ("fin@beta.example", "nobody@new.example"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(ADD, {"email": email, "role": Role.TRAINER, "language": "en", "_save": "Save"})
        assert response.status_code == 302, response.context and response.context["adminform"].form.errors
        message = str(list(get_messages(response.wsgi_request))[-1])
        answers.append(re.sub(r"/\d+/", "/<id>/", message.replace(email, "<email>")))
    assert answers[0] == answers[1]
    assert set(Membership.all_tenants.filter(user=elsewhere).values_list("tenant_id", "role")) == {
        (other_tenant.pk, Role.FINANCE)}
    assert len(mailoutbox) == 2
    page = client.get("/admin/tenancy/invitation/").content.decode()
    assert "fin@beta.example" in page and "beta-fin" not in page


def test_owners_revoke_invitations_and_other_staff_cannot_see_them(client_as, owner, manager, tenant):
    client = client_as(owner)
    client.post(ADD, {"email": "x@example.com", "role": Role.TRAINER, "language": "en", "_save": "Save"})
    with tenant_scope(tenant):
        invitation = Invitation.objects.get()
    client.post("/admin/tenancy/invitation/", {
        "action": "revoke", ACTION_CHECKBOX_NAME: [str(invitation.pk)], "index": "0"})
    with tenant_scope(tenant):
        assert Invitation.objects.get().state == InvitationState.REVOKED
    assert client_as(manager).get("/admin/tenancy/invitation/").status_code == 403
