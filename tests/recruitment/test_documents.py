"""Private document serving: who may download an applicant's document (everybody else: 404)."""

from __future__ import annotations

import pytest
from django.test import Client

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from recruitment.models import ApplicationDocument, ApplicationState
from tests.conftest import api_client_for, make_member
from tests.factories import PartnerFactory

from .conftest import move
from .factories import PDF_BYTES, ApplicationDocumentFactory

S = ApplicationState


def url(document) -> str:
    return f"/recruitment/documents/{document.pk}/"


@pytest.fixture
def document(tenant, submit):
    application = submit()
    with tenant_scope(tenant):
        return ApplicationDocument.objects.get(application=application)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", [Role.OWNER, Role.CHANNEL_MANAGER, Role.TRAINER, Role.LEGAL, Role.FINANCE])
def test_tenant_staff_download_with_the_original_name(tenant, document, role):
    response = client_for(make_member(tenant, role)).get(url(document))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert 'filename="licence.pdf"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_non_ascii_file_names_are_kept(tenant, submit, manager):
    from .conftest import pdf

    application = submit(documents=[("business_licence", pdf("营业执照 2026.pdf"))])
    with tenant_scope(tenant):
        document = ApplicationDocument.objects.get(application=application)
    disposition = client_for(manager).get(url(document))["Content-Disposition"]
    assert "filename*=utf-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%202026.pdf" in disposition


def test_other_tenants_staff_anonymous_and_partner_staff_get_404(tenant, other_tenant, document):
    other_staff = make_member(other_tenant, Role.OWNER)
    assert client_for(other_staff).get(url(document)).status_code == 404
    assert Client().get(url(document)).status_code == 404
    with tenant_scope(tenant):
        some_partner = PartnerFactory()
    for role in (Role.PARTNER_ADMIN, Role.PARTNER_USER):
        assert client_for(make_member(tenant, role, partner=some_partner)).get(url(document)).status_code == 404


def test_staff_of_a_get_404_for_bs_document_even_when_also_in_b(tenant, other_tenant, manager):
    with tenant_scope(other_tenant):
        theirs = ApplicationDocumentFactory()
    assert client_for(manager).get(url(theirs)).status_code == 404
    # A person on both tenants' staff reads B's document only while acting in B.
    with tenant_scope(other_tenant):
        from tests.factories import MembershipFactory

        MembershipFactory(user=manager, role=Role.CHANNEL_MANAGER)
    client = client_for(manager)
    assert client.get(url(theirs)).status_code == 404
    client.post("/tenant/switch/", {"tenant": other_tenant.pk})
    assert client.get(url(theirs)).status_code == 200


def test_converted_partners_own_admin_downloads_its_documents(tenant, in_review, people):
    application = in_review()
    with tenant_scope(tenant):
        for who in ("manager", "director", "legal"):
            from recruitment import services

            application.refresh_from_db()
            services.application_decide(application=application, actor=people[who], decision="approve")
        application.refresh_from_db()
        document = ApplicationDocument.objects.get(application=application)
        partner = application.partner
        assert document.partner_id == partner.pk
        other_partner = PartnerFactory()
    from tests.invitations import accept_invitation

    admin = accept_invitation(tenant, application.contact_email)  # the partner's administrator joins
    assert client_for(admin).get(url(document)).status_code == 200
    assert client_for(make_member(tenant, Role.PARTNER_USER, partner=partner)).get(url(document)).status_code == 404
    assert client_for(make_member(tenant, Role.PARTNER_ADMIN, partner=other_partner)).get(
        url(document)).status_code == 404


def test_missing_file_is_404_not_500(tenant, document, manager):
    document.file.storage.delete(document.file.name)
    assert client_for(manager).get(url(document)).status_code == 404


def test_api_and_admin_link_to_the_download(tenant, document, manager):
    application_id = document.application_id
    body = api_client_for(manager).get(f"/api/v1/recruitment/applications/{application_id}/documents/").json()
    assert body[0]["download_url"] == url(document)
    page = client_for(manager).get(f"/admin/recruitment/application/{application_id}/change/").content.decode()
    assert f'href="{url(document)}"' in page


def test_applicant_token_of_another_application_does_not_open_this_document(tenant, submit, document):
    other = submit()
    with tenant_scope(tenant):
        move(other)  # no-op: just the second application's own token
    response = Client().get(f"/apply/alpha/track/{other.tracking_token}/documents/{document.pk}/")
    assert response.status_code == 404
