"""What apps add to the partner portal and to the manager's partner page, without the core naming them.

Four registries, filled from each app's ``ready()``:

- ``portal_nav``: an entry in the portal's navigation (label, URL name, roles, order, an
  optional badge count: "3 courses to start", and the menu it belongs to: one of
  ``NAV_GROUPS``, so the top bar shows a handful of menus however many chapters plug in);
- ``portal_home_panel``: a panel on the portal's home page ("what needs your attention"),
  rendered from the app's template with the context its function returns (``None`` hides it);
- ``partner_panel``: a panel on the manager's partner page in the admin (the partner's
  agreements, courses, sales, scores…), for the staff roles it names;
- ``portal_gate``: a check run before every portal page (``PortalMixin``) that may send the
  partner elsewhere first ("sign your cooperation agreement before anything else"): the
  function returns the URL to go to, or ``None`` to let the page open.

Every entry names its roles (deny by default) and an order; functions receive the request
and the partner, run the app's own selectors and must cost a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from channelhub.tenancy.roles import PARTNER_ROLES

ContextFunction = Callable[[Any, Any], dict[str, Any] | None]  # (request, partner) -> context or None
BadgeFunction = Callable[[Any, Any], int | None]
GateFunction = Callable[[Any, Any, Any], str | None]  # (request, partner, view) -> redirect URL or None


# The portal's menus, in the top bar's order (an entry without a group stands on its own, placed
# by its own order: the overview at 0 comes first, notifications at 90 last).
NAV_GROUPS: dict[str, str | Promise] = {
    "company": pgettext_lazy("portal menu", "My company"),
    "business": pgettext_lazy("portal menu", "Business"),
    "learning": pgettext_lazy("portal menu", "Training and performance"),
    "communication": pgettext_lazy("portal menu", "Communication"),
}
NAV_GROUP_ORDER = {key: 10 * (n + 1) for n, key in enumerate(NAV_GROUPS)}


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: str | Promise
    url_name: str
    roles: frozenset[str] = PARTNER_ROLES
    order: int = 100
    badge: BadgeFunction | None = None
    group: str | None = None


@dataclass(frozen=True)
class Panel:
    key: str
    title: str | Promise
    template: str
    context: ContextFunction
    roles: frozenset[str] = PARTNER_ROLES
    order: int = 100


@dataclass
class _Registry:
    nav: dict[str, NavEntry] = field(default_factory=dict)
    home: dict[str, Panel] = field(default_factory=dict)
    partner_page: dict[str, Panel] = field(default_factory=dict)
    gates: dict[str, GateFunction] = field(default_factory=dict)


_registry = _Registry()


def portal_nav(key: str, *, label, url_name: str, roles: Iterable[str] = PARTNER_ROLES, order: int = 100,
               badge: BadgeFunction | None = None, group: str | None = None) -> NavEntry:
    if group is not None and group not in NAV_GROUPS:
        raise ImproperlyConfigured(f"portal_nav({key!r}): unknown group {group!r}; use one of {sorted(NAV_GROUPS)}")
    entry = NavEntry(key, label, url_name, frozenset(roles), order, badge, group)
    _registry.nav[key] = entry
    return entry


def portal_home_panel(key: str, *, title, template: str, roles: Iterable[str] = PARTNER_ROLES, order: int = 100):
    """Decorator: ``@portal_home_panel("recruitment.checklist", …) def context(request, partner): …``."""

    def register(function: ContextFunction) -> ContextFunction:
        _registry.home[key] = Panel(key, title, template, function, frozenset(roles), order)
        return function

    return register


def partner_panel(key: str, *, title, template: str, roles: Iterable[str], order: int = 100):
    """Decorator for a panel on the admin's partner page (staff roles)."""

    def register(function: ContextFunction) -> ContextFunction:
        _registry.partner_page[key] = Panel(key, title, template, function, frozenset(roles), order)
        return function

    return register


@dataclass(frozen=True)
class ShownNav:
    label: str | Promise
    url: str
    badge: int | None
    current: bool = False
    group: str | None = None
    order: int = 100


@dataclass(frozen=True)
class ShownMenu:
    """A menu of the top bar: its entries, the sum of their badges, current when one of them is."""

    key: str
    label: str | Promise
    entries: list[ShownNav]

    @property
    def badge(self) -> int | None:
        return sum(entry.badge or 0 for entry in self.entries) or None

    @property
    def current(self) -> bool:
        return any(entry.current for entry in self.entries)


@dataclass(frozen=True)
class ShownPanel:
    key: str
    title: str | Promise
    template: str
    context: dict[str, Any]


def _allowed(roles: frozenset[str], access) -> bool:
    return access is not None and (access.is_superuser or bool(access.roles & roles))


def nav_for(request, partner) -> list[ShownNav]:
    """The entries the request's roles may use, in order; the one whose URL is the longest prefix
    of the current path is marked current (``/portal/contacts/3/`` is under "Contacts")."""
    access = getattr(request, "access", None)
    entries = sorted((e for e in _registry.nav.values() if _allowed(e.roles, access)), key=lambda e: (e.order, e.key))
    urls = [reverse(e.url_name) for e in entries]
    path = getattr(request, "path", "")
    current = max((url for url in urls if path == url or (path.startswith(url) and url.count("/") > 2)),
                  key=len, default=None)
    return [ShownNav(e.label, url, e.badge(request, partner) if e.badge else None, url == current, e.group, e.order)
            for e, url in zip(entries, urls, strict=True)]


def nav_menus_for(request, partner) -> list[ShownNav | ShownMenu]:
    """The top bar: entries without a group (at their own order) and one menu per group (at the
    group's); a menu with a single entry is shown as that entry."""
    shown: list[tuple[int, ShownNav | ShownMenu]] = []
    menus: dict[str, ShownMenu] = {}
    for entry in nav_for(request, partner):
        if entry.group is None:
            shown.append((entry.order, entry))
        elif entry.group in menus:
            menus[entry.group].entries.append(entry)
        else:
            menus[entry.group] = ShownMenu(entry.group, NAV_GROUPS[entry.group], [entry])
            shown.append((NAV_GROUP_ORDER[entry.group], menus[entry.group]))
    shown.sort(key=lambda pair: pair[0])
    return [item.entries[0] if isinstance(item, ShownMenu) and len(item.entries) == 1 else item
            for _order, item in shown]


def _panels(panels: Iterable[Panel], request, partner) -> list[ShownPanel]:
    access = getattr(request, "access", None)
    shown = []
    for panel in sorted(panels, key=lambda p: (p.order, p.key)):
        if not _allowed(panel.roles, access):
            continue
        context = panel.context(request, partner)
        if context is not None:
            shown.append(ShownPanel(panel.key, panel.title, panel.template, context))
    return shown


def home_panels_for(request, partner) -> list[ShownPanel]:
    return _panels(_registry.home.values(), request, partner)


def partner_panels_for(request, partner) -> list[ShownPanel]:
    return _panels(_registry.partner_page.values(), request, partner)


def portal_gate(key: str):
    """Decorator: ``@portal_gate("cooperation.first_agreement") def gate(request, partner, view): …``.

    The function must let its own target page through (or the partner is sent round in circles)
    and cost a fixed number of queries.
    """

    def register(function: GateFunction) -> GateFunction:
        _registry.gates[key] = function
        return function

    return register


def gate_for(request, partner, view) -> str | None:
    """The first registered gate that sends this page elsewhere (its URL), or ``None``."""
    for key in sorted(_registry.gates):
        target = _registry.gates[key](request, partner, view)
        if target:
            return target
    return None
