"""Apps add portal navigation, home panels and partner-page panels through the registry, by role."""

from __future__ import annotations

import copy

import pytest

from channelhub.portal import registry
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from tests.conftest import make_member
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scratch_entries():
    registry.portal_nav("scratch.courses", label="Scratch courses", url_name="portal:dashboard",
                        roles={Role.PARTNER_ADMIN}, badge=lambda request, partner: 3)

    @registry.portal_home_panel("scratch.todo", title="Scratch", template="tests/scratch_panel.html")
    def home(request, partner):
        return {"line": f"To do for {partner.legal_name}"}

    @registry.partner_panel("scratch.sales", title="Scratch sales", template="tests/scratch_panel.html",
                            roles={Role.OWNER, Role.CHANNEL_MANAGER})
    def sales(request, partner):
        return {"line": f"Sales of {partner.legal_name}"}

    yield
    registry._registry.nav.pop("scratch.courses")
    registry._registry.home.pop("scratch.todo")
    registry._registry.partner_page.pop("scratch.sales")


@pytest.fixture
def scratch_template(settings, tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "scratch_panel.html").write_text('<p class="scratch">{{ panel.title }}: {{ line }}</p>')
    # Assign a copy (not an in-place edit) so Django rebuilds its template engines and restores them after.
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], tmp_path]
    settings.TEMPLATES = templates


def test_portal_shows_registered_navigation_and_panels_to_the_roles_named(
    client, tenant, scratch_entries, scratch_template
):
    with tenant_scope(tenant):
        partner = PartnerFactory(legal_name="鼎盛电子")
    admin = make_member(tenant, Role.PARTNER_ADMIN, partner=partner)
    user = make_member(tenant, Role.PARTNER_USER, partner=partner)
    client.force_login(admin)
    page = client.get("/portal/").content.decode()
    assert "Scratch courses" in page and '<span class="badge count">3</span>' in page
    assert "Scratch: To do for 鼎盛电子" in page
    client.force_login(user)
    page = client.get("/portal/").content.decode()
    assert "Scratch courses" not in page  # the entry names partner admins only
    assert "Scratch: To do for 鼎盛电子" in page


def test_partner_page_shows_registered_panels_to_the_roles_named(client, tenant, scratch_entries, scratch_template):
    with tenant_scope(tenant):
        partner = PartnerFactory(legal_name="恒通数码")
    url = f"/admin/partners/partner/{partner.pk}/change/"
    client.force_login(make_member(tenant, Role.CHANNEL_MANAGER))
    assert "Scratch sales: Sales of 恒通数码" in client.get(url).content.decode()
    client.force_login(make_member(tenant, Role.TRAINER))
    assert "Scratch sales" not in client.get(url).content.decode()


def test_entries_of_a_group_share_one_menu_whose_badge_sums_theirs(client, tenant):
    """However many chapters plug in, the top bar holds a handful of menus: entries of a group
    drop down from one summary (its badge the sum of theirs), a lone entry stays a plain link."""
    registry.portal_nav("scratch.a", label="Scratch A", url_name="portal:contacts", group="business", order=500,
                        badge=lambda request, partner: 2)
    registry.portal_nav("scratch.b", label="Scratch B", url_name="portal:profile", group="business", order=501,
                        badge=lambda request, partner: 3)
    try:
        with tenant_scope(tenant):
            partner = PartnerFactory()
        client.force_login(make_member(tenant, Role.PARTNER_ADMIN, partner=partner))
        menus = client.get("/portal/contacts/").context["portal_nav"]
        business = next(item for item in menus if isinstance(item, registry.ShownMenu) and item.key == "business")
        labels = [entry.label for entry in business.entries]
        assert labels[-2:] == ["Scratch A", "Scratch B"]
        assert business.badge == sum(entry.badge or 0 for entry in business.entries) >= 5
        assert business.current  # /portal/contacts/ is Scratch A's page (and Contacts')
        assert all(not isinstance(item, registry.ShownMenu) or len(item.entries) > 1 for item in menus)
        with pytest.raises(Exception, match="unknown group"):
            registry.portal_nav("scratch.c", label="C", url_name="portal:dashboard", group="misc")
    finally:
        registry._registry.nav.pop("scratch.a")
        registry._registry.nav.pop("scratch.b")
