"""Cooperation I's "done means", in a real browser: an agreement from template to both signatures and the PDF.

A channel manager drafts an agreement from the published template (admin) and sends it to legal
review → legal returns it with a comment → the manager sends it again → legal approves → the
partner's administrator reads the full text and its SHA-256 in the portal and signs with name and
title → the manager countersigns → the PDF downloads. Screenshots: /tmp/channelhub-shots/coop-*.png.
"""

from __future__ import annotations

import pytest

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from channelhub.tenancy.services import tenant_create
from cooperation import services
from cooperation.models import Agreement, AgreementState, LegalReview, Signature
from tests.conftest import make_member
from tests.cooperation.factories import complete_template
from tests.factories import PartnerFactory, RegionFactory

from .test_admin import _admin_login
from .test_portal import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.django_db(transaction=True)]


@pytest.fixture
def vendor(transactional_db, settings, base_url):
    settings.SITE_URL = base_url
    tenant = tenant_create(name="Huaxin Electronics", slug="huaxin", default_language="en")
    people = {
        "manager": make_member(tenant, Role.CHANNEL_MANAGER, username="li.manager", first_name="Xiaofeng",
                               last_name="Li", language="en"),
        "legal": make_member(tenant, Role.LEGAL, username="zhao.legal", first_name="Min", last_name="Zhao",
                             language="en"),
    }
    with tenant_scope(tenant):
        east = RegionFactory(code="EAST", name="华东", name_en="East China")
        partner = PartnerFactory(region=east, legal_name="上海鼎盛电子科技有限公司", owner=people["manager"])
        services.template_publish(template=complete_template(name="Distribution agreement"), actor=None)
    people["partner"] = make_member(tenant, Role.PARTNER_ADMIN, partner=partner, username="ds.admin",
                                    first_name="Qiang", last_name="Zhou", language="en")
    return tenant, partner, people


def test_agreement_from_template_to_both_signatures_and_pdf(browse, vendor):
    tenant, partner, _people = vendor
    manager = browse(locale="en-US")
    _admin_login(manager, "li.manager")
    page = manager.page
    # The manager drafts from the template that fits the partner.
    manager.goto(f"/admin/cooperation/agreement/add/?partner={partner.pk}")
    page.locator("#id_discount").fill("12.50")
    page.locator("button[name=_continue]").click()
    page.wait_for_load_state()
    with tenant_scope(tenant):
        agreement = Agreement.objects.get()
    assert "list price less 12.50%" in page.locator("pre.agreement-text").inner_text()
    page.locator("a.submit-tool").click()
    page.locator("#content form input[type=submit]").click()
    page.wait_for_load_state()
    manager.shot("coop-1-sent-to-legal")
    # Legal returns it with a comment.
    legal = browse(locale="en-US")
    _admin_login(legal, "zhao.legal")
    legal.goto(f"/admin/cooperation/agreement/{agreement.pk}/change/")
    legal.page.locator("a.review-tool").click()
    legal.page.locator("input[name=decision][value=return]").check()
    legal.page.locator("#id_comment").fill("Name the arbitration commission in full.")
    legal.page.locator("#content form input[type=submit]").click()
    legal.page.wait_for_load_state()
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.DRAFT
    # The manager sends it again; legal approves; the comment stays on its version.
    manager.goto(f"/admin/cooperation/agreement/{agreement.pk}/submit/")
    page.locator("#content form input[type=submit]").click()
    page.wait_for_load_state()
    legal.goto(f"/admin/cooperation/agreement/{agreement.pk}/review/")
    assert "Name the arbitration commission in full." in legal.page.locator("tr.review-row").first.inner_text()
    legal.page.locator("input[name=decision][value=approve]").check()
    legal.page.locator("#content form input[type=submit]").click()
    legal.page.wait_for_load_state()
    legal.shot("coop-2-approved")
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.SENT
    # The partner's administrator reads the full text and its hash, and signs.
    partner_side = browse(locale="en-US")
    _log_in(partner_side, "ds.admin")
    partner_side.goto("/portal/cooperation/agreements/")
    partner_side.page.get_by_role("link", name=agreement.number).click()
    partner_side.page.wait_for_load_state()
    assert agreement.content_hash in partner_side.page.locator("code.content-hash").inner_text()
    partner_side.page.locator("#id_signer_name").fill("Zhou Qiang")
    partner_side.page.locator("#id_signer_title").fill("General Manager")
    partner_side.page.locator("#id_confirm").check()
    partner_side.shot("coop-3-partner-signs")
    partner_side.page.locator("form.sign-form button[type=submit]").click()
    partner_side.page.wait_for_load_state()
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.PARTNER_SIGNED
    # The manager countersigns.
    manager.goto(f"/admin/cooperation/agreement/{agreement.pk}/change/")
    page.locator("a.countersign-tool").click()
    page.locator("#id_signer_title").fill("Channel Director")
    page.locator("#content form input[type=submit]").click()
    page.wait_for_load_state()
    manager.shot("coop-4-countersigned")
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.ACTIVE
    with tenant_scope(tenant):
        signatures = list(Signature.objects.filter(voided_at__isnull=True).order_by("signed_at"))
        assert LegalReview.objects.filter(decision="return").count() == 1
    assert [(s.party, s.signer_name) for s in signatures] == [("partner", "Zhou Qiang"),
                                                              ("tenant", "Xiaofeng Li")]
    assert {s.content_hash for s in signatures} == {agreement.content_hash}
    # The PDF downloads, from the admin and from the portal.
    response = page.request.get(f"{manager.base_url}/admin/cooperation/agreement/{agreement.pk}/pdf/")
    assert response.status == 200 and response.body().startswith(b"%PDF")
    response = partner_side.page.request.get(f"{partner_side.base_url}/portal/cooperation/agreements/"
                                             f"{agreement.pk}/pdf/")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
