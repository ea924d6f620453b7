"""The applicant's tracking token is a credential: stored hashed, never shown or exported to staff."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from recruitment import selectors
from recruitment.admin import ApplicationAdmin
from recruitment.models import Application, ApplicationTrackingToken
from tests.conftest import api_client_for, make_member

STAFF = [Role.OWNER, Role.CHANNEL_MANAGER, Role.TRAINER, Role.LEGAL, Role.FINANCE]


def _all_text(tenant, application) -> str:
    """Every stored value of the application, its audit rows and its tracking-token rows."""
    with tenant_scope(tenant):
        rows = [
            *Application.objects.filter(pk=application.pk).values(),
            *Application.history.filter(id=application.pk).values(),
            *ApplicationTrackingToken.objects.filter(application=application).values(),
        ]
    return repr(rows)


def test_only_the_hash_is_stored(tenant, submit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = submit()
    raw = application.tracking_token
    mailed = re.search(r"/track/([\w-]{40,})/", mail.outbox[0].body).group(1)
    stored = _all_text(tenant, application)
    for token in (raw, mailed):
        assert token not in stored
        assert hashlib.sha256(token.encode()).hexdigest() in stored
        with tenant_scope(tenant):
            assert selectors.application_by_token(token=token) == application
    with tenant_scope(tenant):
        # Presenting the stored hash itself opens nothing.
        stored_hash = ApplicationTrackingToken.objects.filter(application=application).first().token_hash
        assert selectors.application_by_token(token=stored_hash) is None


@pytest.mark.parametrize("role", STAFF)
def test_no_staff_role_reads_the_token_in_admin_export_or_api(tenant, submit, client, role):
    application = submit()
    raw = application.tracking_token
    with tenant_scope(tenant):
        token_hash = ApplicationTrackingToken.objects.get(application=application).token_hash
    user = make_member(tenant, role)
    client.force_login(user)
    pages = [
        client.get(f"/admin/recruitment/application/{application.pk}/change/"),
        client.get(f"/admin/recruitment/application/{application.pk}/history/"),
        api_client_for(user).get(f"/api/v1/recruitment/applications/{application.pk}/"),
        api_client_for(user).get("/api/v1/recruitment/applications/"),
    ]
    for response in pages:
        body = response.content.decode()
        assert raw not in body and token_hash not in body
        assert "tracking_token" not in body
    # The CSV/XLSX export (import-export resource): no token column at all.
    admin_class = ApplicationAdmin(Application, None)
    for resource_class in admin_class.get_export_resource_classes(None):
        fields = [field.column_name for field in resource_class().get_export_fields()]
        assert not [name for name in fields if "token" in name], fields


def test_a_trainer_cannot_withdraw_through_anything_the_admin_shows(tenant, submit, client):
    """The reproduction: the token the admin showed let a trainer withdraw the application."""
    application = submit()
    trainer = make_member(tenant, Role.TRAINER)
    client.force_login(trainer)
    page = client.get(f"/admin/recruitment/application/{application.pk}/change/").content.decode()
    candidates = set(re.findall(r"[\w-]{40,64}", page))
    anonymous = Client()
    for candidate in candidates:
        anonymous.post(f"/apply/{tenant.slug}/track/{candidate}/withdraw/", {"reason": "x"})
    application.refresh_from_db()
    assert application.state == "submitted"


def test_every_link_sent_stays_valid(tenant, submit, people, django_capture_on_commit_callbacks):
    from recruitment import services

    with django_capture_on_commit_callbacks(execute=True):
        application = submit()
    with tenant_scope(tenant), django_capture_on_commit_callbacks(execute=True):
        services.application_ask_question(application=application, actor=people["manager"], body="?")
    links = [re.search(r"/apply/[\w-]+/track/[\w-]+/", m.body).group(0) for m in mail.outbox]
    assert len(set(links)) == 2
    for link in [*links, f"/apply/{tenant.slug}/track/{application.tracking_token}/"]:
        assert Client().get(link).status_code == 200, link


@pytest.mark.django_db(transaction=True)
def test_migration_hashes_tokens_already_sent(tenant):
    """Links e-mailed before the change (raw tokens in the old column) keep working after 0006."""
    executor = MigrationExecutor(connection)
    executor.migrate([("recruitment", "0005_application_region_verbose_names")])
    old_apps = executor.loader.project_state([("recruitment", "0005_application_region_verbose_names")]).apps
    OldApplication = old_apps.get_model("recruitment", "Application")
    raw = "legacy-token-" + "x" * 30
    OldApplication._base_manager.create(
        tenant_id=tenant.pk, legal_name="旧申请有限公司", credit_code="91310000MA1FL0XX0X",
        partner_type="distributor", contact_name="王", contact_email="w@example.com", tracking_token=raw,
        state="submitted",
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    response = Client().get(f"/apply/{tenant.slug}/track/{raw}/")
    assert response.status_code == 200
    assert "旧申请有限公司" in response.content.decode()
    with tenant_scope(tenant):
        assert not ApplicationTrackingToken.objects.filter(token_hash=raw).exists()
