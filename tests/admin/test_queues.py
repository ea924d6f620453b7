"""The core work-queue registry: role filtering, one computation per request, app-list badges."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from channelhub.admin import queues as registry
from channelhub.admin.queues import Queue, QueueCard, queues_for, with_badges, work_queue
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role


@pytest.fixture
def clean_registry(monkeypatch):
    monkeypatch.setattr(registry, "_queues", {})


def request_with(*roles: str):
    access = SimpleNamespace(is_staff=True, roles=frozenset(roles),
                             has_any=lambda wanted: bool(set(roles) & set(wanted)))
    return SimpleNamespace(tenant=SimpleNamespace(pk=1), access=access, user=SimpleNamespace(pk=7))


def test_queues_are_shown_to_their_roles_in_order_and_computed_once(clean_registry):
    calls = []

    @work_queue("b", label="Second", roles={Role.LEGAL}, order=20)
    def second(request):
        calls.append("b")
        return Queue(count=0, url="/admin/x/")

    @work_queue("a", label="First", roles={Role.OWNER, Role.LEGAL}, order=10)
    def first(request):
        calls.append("a")
        return Queue(count=3, url="/admin/partners/partner/?status__exact=onboarding")

    @work_queue("none", label="Nothing", roles={Role.LEGAL}, order=30)
    def nothing(request):
        return None

    legal = request_with(Role.LEGAL)
    assert [(c.key, c.count) for c in queues_for(legal)] == [("a", 3), ("b", 0)]
    queues_for(legal)
    assert sorted(calls) == ["a", "b"]  # the home page and the sidebar share one computation
    assert [c.key for c in queues_for(request_with(Role.OWNER))] == ["a"]
    assert queues_for(request_with(Role.FINANCE)) == []
    assert queues_for(SimpleNamespace(tenant=None)) == []


def test_badges_go_to_the_model_whose_list_the_queue_links_to():
    cards = [
        QueueCard("a", "A", 2, "/admin/recruitment/application/?my_step=yes"),
        QueueCard("b", "B", 3, "/admin/recruitment/application/?state__exact=submitted"),
        QueueCard("c", "C", 0, "/admin/recruitment/onboardingtask/?done=no"),
    ]
    app_list = [{"models": [{"admin_url": "/admin/recruitment/application/"},
                            {"admin_url": "/admin/recruitment/onboardingtask/"}, {"admin_url": None}]}]
    models = with_badges(app_list, cards)[0]["models"]
    assert [m.get("queue_badge") for m in models] == [5, None, None]


def test_a_page_builds_the_app_list_once(client_as, manager, monkeypatch):
    """The sidebar and the page's own context share one app list (each build checks every admin)."""
    from django.contrib.admin import AdminSite

    builds = []
    original = AdminSite._build_app_dict

    def counting(self, request, label=None):
        builds.append(label)
        return original(self, request, label)

    monkeypatch.setattr(AdminSite, "_build_app_dict", counting)
    response = client_as(manager).get("/admin/partners/partner/")
    assert response.status_code == 200
    assert builds.count(None) == 1


def test_a_list_computes_its_header_row_once(client_as, manager, tenant, monkeypatch):
    """unfold asked for the header row once per row: the list's labels and sort links are built once."""
    from channelhub.admin import listing
    from tests.factories import PartnerFactory

    with tenant_scope(tenant):
        PartnerFactory.create_batch(3)
    calls = []

    def counting(cl):
        calls.append(cl)
        return original(cl)

    original = listing._unfold_result_headers
    monkeypatch.setattr(listing, "_unfold_result_headers", counting)
    response = client_as(manager).get("/admin/partners/partner/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "legal name" in response.content.decode().lower()
    assert len(calls) == 1


def test_counts_are_kept_between_pages_until_a_row_of_the_tenant_is_saved(clean_registry, tenant, settings):
    from channelhub.partners.models import Partner
    from tests.factories import PartnerFactory

    settings.WORK_QUEUE_CACHE_SECONDS = 60  # as outside the tests
    calls = []

    @work_queue("partners", label="Partners", roles={Role.OWNER}, order=10)
    def partners(request):
        calls.append(1)
        return Queue(count=Partner.objects.count(), url="/admin/partners/partner/")

    def page(*roles):
        request = request_with(*roles)
        request.tenant = tenant
        with tenant_scope(tenant):
            return [(c.key, c.count) for c in queues_for(request)]

    with tenant_scope(tenant):
        first = PartnerFactory()
    assert page(Role.OWNER) == [("partners", 1)]
    assert page(Role.OWNER) == [("partners", 1)] and len(calls) == 1  # the next page reads the cache

    with tenant_scope(tenant):
        PartnerFactory()  # any saved row of the tenant starts a new generation of its counts
    assert page(Role.OWNER) == [("partners", 2)] and len(calls) == 2
    with tenant_scope(tenant):
        first.delete()  # deletions show once the counts expire (no delete signal: see queues.install)
        registry.tenant_changed(tenant.pk)
    assert page(Role.OWNER) == [("partners", 1)] and len(calls) == 3

    assert page(Role.LEGAL) == []  # another role set is counted (and gated) on its own
    other = request_with(Role.OWNER)
    other.tenant, other.user = tenant, SimpleNamespace(pk=8)
    with tenant_scope(tenant):
        queues_for(other)
    assert len(calls) == 4  # and so is another person


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_rows_action_box_is_the_widgets_own_html(language):
    from django.contrib.admin import helpers
    from django.utils import translation
    from unfold.admin import checkbox

    from channelhub.admin.listing import action_box

    with translation.override(language):
        for pk in (1, 12345, "a<b>&\"'", "10/2"):
            assert action_box(pk) == checkbox.render(helpers.ACTION_CHECKBOX_NAME, str(pk))


def test_the_partner_list_offers_a_box_per_row(client_as, manager, tenant):
    from tests.factories import PartnerFactory

    with tenant_scope(tenant):
        partners = PartnerFactory.create_batch(3)
    page = client_as(manager).get("/admin/partners/partner/").content.decode()
    for partner in partners:
        assert f'name="_selected_action" value="{partner.pk}"' in page
    assert 'id="action-toggle"' in page  # and the header's box that selects them all


def test_deletes_keep_djangos_fast_path():
    """No receiver of every model's deletes: QuerySet.delete() must not fetch rows to signal them."""
    from django.db.models.signals import post_delete, pre_delete

    from channelhub.partners.models import PartnerFigure
    from evaluation.models import KpiResult

    for model in (KpiResult, PartnerFigure):
        assert not post_delete.has_listeners(model) and not pre_delete.has_listeners(model), model
