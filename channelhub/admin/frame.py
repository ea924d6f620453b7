"""The admin frame's per-request pieces (django-unfold reads them from ``settings.UNFOLD``).

Titles in the reader's language with the current tenant, the sidebar built from the person's
own app list (so role gates decide what appears) with the work queues' counts as badges, the
home page's context, and the command palette's search over the current tenant's records.
"""

from __future__ import annotations

from django.contrib import admin
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from .search import search_records

# Material Symbols names (vendored by unfold) for the lists people open most; others get a default.
ICONS = {
    "partners.partner": "handshake",
    "partners.partnercontact": "contacts",
    "partners.region": "map",
    "partners.product": "inventory_2",
    "partners.partnerfigure": "monitoring",
    "recruitment.recruitmentplan": "flag",
    "recruitment.campaign": "campaign",
    "recruitment.application": "assignment",
    "recruitment.onboardingtask": "checklist",
    "tenancy.membership": "badge",
    "tenancy.invitation": "forward_to_inbox",
    "tenancy.apikey": "key",
    "tenancy.tenant": "domain",
    "tenancy.user": "person",
    "tenancy.statetransition": "timeline",
}
DEFAULT_ICON = "table_rows"


def site_title(request) -> str:
    return _("ChannelHub")


def site_header(request) -> str:
    return _("ChannelHub")


def site_subheader(request) -> str:
    tenant = getattr(request, "tenant", None)
    return tenant.name if tenant is not None else _("Channel management")


def favicon(request) -> str:
    return static("img/favicon.svg")


def styles(request) -> str:
    return static("css/admin-frame.css")


def widths(request) -> str:
    return static("css/widths.css")


def scripts(request) -> str:
    return static("js/admin-csp.js")


def sidebar(request) -> list[dict]:
    """Home, then one group per app of the person's app list, each list with its queue badge."""
    groups: list[dict] = [{
        "items": [{"title": _("Home"), "icon": "space_dashboard", "link": reverse("admin:index")}],
    }]
    for app in admin.site.get_app_list(request):
        items = []
        for model in app["models"]:
            if not model.get("admin_url"):
                continue
            label = f"{app['app_label']}.{model['object_name'].lower()}"
            item = {"title": model["name"], "link": model["admin_url"],
                    "icon": ICONS.get(label, DEFAULT_ICON)}
            if model.get("queue_badge"):
                item["badge"] = model["queue_badge"]
            items.append(item)
        if items:
            groups.append({"title": app["name"], "collapsible": True, "items": items})
    return groups


def dashboard(request, context: dict) -> dict:
    """The home page: the work queues first, then the figures for the chosen period."""
    from .dashboard import period_choice, widgets_for
    from .queues import queues_for

    period = period_choice(request)
    context.update({
        "work_queues": queues_for(request),
        "dashboard_widgets": widgets_for(request, period=period),
        "period": period,
    })
    return context


def command_search(request, term: str) -> list:
    return search_records(request, term)
