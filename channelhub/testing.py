"""Generic test machinery: tenant-owned models, a two-tenant world and the route walker.

Tenant isolation (DESIGN.md, invariant 1) is tested generically in ``tests/isolation``:
every URL the project resolves is classified (API router, admin, portal, public), and for
every tenant-owned model a row can be built in either of two tenants. What a later app adds
is picked up automatically; what the harness cannot work out by itself it asks for by name,
and the suite fails until it is given. Partner isolation (invariant 2) is tested the same way:
each side has a second partner (``side.partner2``) with its own staff and partner-owned rows.

**A new tenant-owned model** registers a builder (and, if it can be created through the API
or the admin, a payload) in ``tests/<app_label>/harness.py``, which ``autodiscover()``
imports (test code stays out of the production package)::

    from channelhub.testing import register_model

    register_model(
        Application,
        # One saved row in side.tenant (the scope is already entered). Put ``marker`` in a
        # text field that lists, pages and exports show; build dependencies with side.get(),
        # and hang partner-owned rows on side.partner (the portal user's partner).
        build=lambda side, marker: Application.objects.create(
            campaign=side.get(Campaign), partner=side.partner, company_name=marker),
        # A valid create body for side's tenant: foreign keys at side's own rows. The harness
        # points each tenant-owned key at the other tenant's row and expects a 400.
        payload=lambda side, marker: {"campaign": side.get(Campaign).pk, "company_name": marker},
    )

New routes need nothing when they follow the project's shapes: DRF routes of a
``TenantScopedViewSet`` (model from ``get_base_queryset()``), ``ModelAdmin`` views of a
registered admin (model from the admin), portal views over ``PortalMixin`` (model from
``model`` / ``get_queryset()``). Anything else fails ``tests/isolation`` by name until it is
declared: ``register_public_route(name, reason)`` (no tenant data, e.g. a public form
addressed by tenant slug), ``register_route_check(name, check)`` (a route with its own
isolation check, ``check(world, route)``), ``register_route_model(name, model)`` (a portal
view that does not name its model), ``register_action_payload(name, build)`` (a valid body
for an API action, so that a 404 cannot hide behind a 400), ``allow_global_unique(model,
field, reason)`` (a unique column that does not begin with ``tenant``),
``register_published_route(name, reason)`` (a partner route that shows partner-owned rows to
every partner by design; the partner walk skips it).
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import Tenant, TenantOwnedBase, User
from channelhub.tenancy.roles import PARTNER_ROLES, Role

PASSWORD = "pw-Secret-123"

# "Highest role first": the acting user of a check holds the first of these a route admits.
ROLE_ORDER = (
    Role.OWNER, Role.CHANNEL_MANAGER, Role.LEGAL, Role.FINANCE, Role.TRAINER,
    Role.PARTNER_ADMIN, Role.PARTNER_USER,
)


class HarnessGap(AssertionError):
    """The harness needs something only the app's author can give (a factory, a payload…)."""


# --------------------------------------------------------------------------------------
# Which models are tenant-owned
# --------------------------------------------------------------------------------------


def is_historical(model: type[models.Model]) -> bool:
    """A simple-history audit table (``HistoricalPartner`` …)."""
    return hasattr(model, "instance_type") and hasattr(model, "history_object")


def tenant_foreign_keys(model: type[models.Model]) -> list[models.Field]:
    return [
        f for f in model._meta.concrete_fields
        if f.is_relation and f.many_to_one and f.related_model is Tenant
    ]


def has_tenant_fk(model: type[models.Model]) -> bool:
    return bool(tenant_foreign_keys(model))


def is_tenant_owned(model: type[models.Model]) -> bool:
    return isinstance(model, type) and issubclass(model, TenantOwnedBase)


def tenant_owned_models() -> list[type[models.Model]]:
    """Concrete tenant-owned models (no audit tables, no proxies): the ones a world builds."""
    return [
        model for model in apps.get_models()
        if is_tenant_owned(model) and not model._meta.proxy and not is_historical(model)
    ]


@cache
def _tenant_count_sql(vendor: str) -> tuple[str, tuple[str, ...]]:
    """One statement counting every tenant-owned table's rows per tenant (built once per backend)."""
    from django.db import connection

    owned = tenant_owned_models()
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT {index}, {quote(model._meta.get_field('tenant').column)}, COUNT(*) FROM {quote(model._meta.db_table)}"
        f" WHERE {quote(model._meta.get_field('tenant').column)} IN ({{tenants}})"
        f" GROUP BY {quote(model._meta.get_field('tenant').column)}"
        for index, model in enumerate(owned)
    )
    return sql, tuple(model._meta.label for model in owned)


def tenant_row_counts(tenant_ids: list[int]) -> dict[tuple[str, int], int]:
    """Rows per (model label, tenant) of every tenant-owned model, the tenants' non-empty tables only.

    One query (a union of one grouped count per table), not one per model: the isolation checks
    compare it before and after nearly every write they try.
    """
    from django.db import connection

    sql, labels = _tenant_count_sql(connection.vendor)
    placeholders = ", ".join(["%s"] * len(tenant_ids))
    with connection.cursor() as cursor:
        cursor.execute(sql.format(tenants=placeholders), list(tenant_ids) * len(labels))
        return {(labels[index], tenant_id): count for index, tenant_id, count in cursor.fetchall()}


def history_model(model: type[models.Model]) -> type[models.Model] | None:
    manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, manager_name).model if manager_name else None


# --------------------------------------------------------------------------------------
# Registries
# --------------------------------------------------------------------------------------

Builder = Callable[["Side", str], models.Model]
Payload = Callable[["Side", str], dict[str, Any]]


@dataclass(frozen=True)
class ModelSpec:
    model: type[models.Model]
    build: Builder
    payload: Payload | None = None
    # The admin add form's body when it differs from the API body (e.g. a custom add form).
    admin_payload: Payload | None = None


_models: dict[type[models.Model], ModelSpec] = {}
_public_routes: dict[str, str] = {}
_published_routes: dict[str, str] = {}
_route_checks: dict[str, Callable[[World, Route], None]] = {}
_route_models: dict[str, type[models.Model]] = {}
_action_payloads: dict[str, Callable[[Side, models.Model], dict[str, Any]]] = {}
_global_uniques: dict[tuple[str, str], str] = {}


def register_model(
    model: type[models.Model], *, build: Builder, payload: Payload | None = None,
    admin_payload: Payload | None = None,
) -> None:
    _models[model._meta.concrete_model] = ModelSpec(model, build, payload, admin_payload)


def has_spec(model: type[models.Model]) -> bool:
    return model._meta.concrete_model in _models


def model_spec(model: type[models.Model]) -> ModelSpec:
    spec = _models.get(model._meta.concrete_model)
    if spec is None:
        raise HarnessGap(
            f"register a factory for {model._meta.label}: call channelhub.testing.register_model("
            f"{model.__name__}, build=…, payload=…) in tests/{model._meta.app_label}/harness.py"
        )
    return spec


def payload_for(model: type[models.Model], side: Side, *, admin_form: bool = False) -> dict[str, Any]:
    spec = model_spec(model)
    builder = (spec.admin_payload or spec.payload) if admin_form else spec.payload
    if builder is None:
        raise HarnessGap(
            f"register a payload builder for {model._meta.label}: "
            f"register_model({model.__name__}, …, payload=lambda side, marker: {{…}})"
            + (" (or admin_payload=… for the admin add form)" if admin_form else "")
        )
    with side.scope():
        return builder(side, side.marker())


def register_public_route(route: str, reason: str) -> None:
    """Declare a route (namespaced name, or the full pattern) as holding no tenant data."""
    _public_routes[route] = reason


def public_routes() -> dict[str, str]:
    return dict(_public_routes)


def register_published_route(route: str, reason: str) -> None:
    """Declare a partner route that shows partner-owned rows to every partner by design (say why).

    The partner-isolation walk (``tests/isolation/test_partners.py``) skips it.
    """
    _published_routes[route] = reason


def published_routes() -> dict[str, str]:
    return dict(_published_routes)


def register_route_check(route: str, check: Callable[[World, Route], None]) -> None:
    """Cover a route the walker cannot check generically: ``check(world, route)`` asserts."""
    _route_checks[route] = check


def register_route_model(route: str, model: type[models.Model]) -> None:
    """Name the model of a route whose view does not (no ``model``, no ``get_queryset``)."""
    _route_models[route] = model


def register_action_payload(route: str, build: Callable[[Side, models.Model], dict[str, Any]]) -> None:
    """A valid body for an API action (``build(side, obj)``): a 404 must not hide behind a 400."""
    _action_payloads[route] = build


def action_payload(route: Route, side: Side, obj: models.Model) -> dict[str, Any]:
    build = _action_payloads.get(route.id)
    return build(side, obj) if build else {}


def allow_global_unique(model: type[models.Model], field_name: str, reason: str) -> None:
    """Tolerate a unique column that does not begin with ``tenant`` (say why)."""
    _global_uniques[(model._meta.label, field_name)] = reason


def global_unique_reason(model: type[models.Model], field_name: str) -> str | None:
    return _global_uniques.get((model._meta.label, field_name))


_discovered = False


def autodiscover() -> None:
    """Import ``tests/<app_label>/harness.py`` for every project app whose test package has one.

    The registrations and builders are test code, so they live beside the app's tests, not in
    the production package; a new app joins the harness by adding that file.
    """
    global _discovered
    if _discovered:
        return
    _discovered = True
    base = Path(settings.BASE_DIR).resolve()
    for app_config in apps.get_app_configs():
        path = Path(app_config.path).resolve()
        if base not in path.parents or ".venv" in path.parts:
            continue
        module = f"tests.{app_config.label}.harness"
        try:
            found = find_spec(module) is not None
        except ModuleNotFoundError:  # no tests.<label> package (or no tests package at all)
            found = False
        if found:
            import_module(module)


# --------------------------------------------------------------------------------------
# Two tenants
# --------------------------------------------------------------------------------------


class Side:
    """One tenant of a test: the tenant, its partner, users by role and rows by model.

    Every text it writes carries ``token``, so a page of the other tenant can be scanned
    for it: ``token in body`` means this tenant's data leaked there.
    """

    _serial = itertools.count(1)

    def __init__(self, tenant: Tenant, token: str):
        self.tenant = tenant
        self.token = token
        self._rows: dict[type[models.Model], models.Model] = {}
        self._markers: dict[tuple[type[models.Model], Any], str] = {}
        self._users: dict[str, User] = {}
        self._partner2: PartnerSide | None = None

    def __repr__(self) -> str:
        return f"<Side {self.tenant.slug}>"

    def scope(self):
        return tenant_scope(self.tenant, source="test")

    def marker(self) -> str:
        return f"{self.token}{next(self._serial):04d}"

    def get(self, model: type[models.Model]) -> models.Model:
        """This tenant's row of ``model``, built once."""
        model = model._meta.concrete_model
        if model not in self._rows:
            self._rows[model] = self.new(model)
        return self._rows[model]

    def new(self, model: type[models.Model]) -> models.Model:
        """A fresh row of ``model`` in this tenant."""
        model = model._meta.concrete_model
        spec = model_spec(model)
        marker = self.marker()
        with self.scope():
            instance = spec.build(self, marker)
        assert isinstance(instance, model) and instance.pk is not None, (
            f"the builder of {model._meta.label} must return a saved {model.__name__}"
        )
        assert instance.tenant_id == self.tenant.pk, f"{model._meta.label} built in the wrong tenant"
        self._markers[(model, instance.pk)] = marker
        return instance

    def marker_of(self, instance: models.Model) -> str:
        return self._markers[(type(instance)._meta.concrete_model, instance.pk)]

    def build_all(self) -> None:
        """One row of every registered tenant-owned model, so pages can be scanned for leaks.

        Models without a builder are skipped here; ``test_every_tenant_owned_model_has_a_factory``
        names them.
        """
        for model in tenant_owned_models():
            if has_spec(model):
                self.get(model)

    def prepare(self) -> None:
        """Build every registered model and a user in every role now (for a shared world).

        The second partner gets its own row of every partner-owned model and its own staff.
        """
        self.build_all()
        for role in ROLE_ORDER:
            self.user(role)
        self.partner2.build_all()
        for role in PARTNER_ROLES:
            self.partner2.user(role)

    def fork(self) -> Side:
        """The same tenant and rows; what the fork builds later stays out of this side's caches.

        A world shared by many tests is built once in an outer transaction; each test works on a
        fork inside its own transaction, so rows a test builds vanish with it, and so do the
        references to them.
        """
        twin = copy.copy(self)
        twin._rows, twin._markers, twin._users = dict(self._rows), dict(self._markers), dict(self._users)
        if self._partner2 is not None:
            twin._partner2 = self._partner2.fork_under(twin)
        return twin

    @property
    def partner(self):
        from channelhub.partners.models import Partner

        return self.get(Partner)

    @property
    def partner2(self) -> PartnerSide:
        """A second partner of this tenant, with its own staff and its own partner-owned rows.

        Its markers begin with ``token + "P"``: they still contain this tenant's token (so the
        other tenant's scans catch them), while ``partner2.token`` is absent from everything
        partner 1 owns, so a page of partner 1 can be scanned for partner 2's data.
        """
        if self._partner2 is None:
            self._partner2 = PartnerSide(self, self.token + "P")
        return self._partner2

    def user(self, role: str) -> User:
        """A user holding ``role`` here (partner roles work for ``self.partner``)."""
        from channelhub.tenancy.models import Membership

        if role not in self._users:
            name = f"{self.token.lower()}-{role}-{next(self._serial)}"
            user = User(username=name, email=f"{name}@example.com", first_name=self.token, last_name=role)
            user.set_password(PASSWORD)
            user.save()
            partner = self.partner if role in PARTNER_ROLES else None
            with self.scope():
                Membership(user=user, role=role, partner=partner).save()
            self._users[role] = user
        return self._users[role]

    def client(self, user: User):
        """The Django test client, signed in as ``user`` (a session, as in the browser)."""
        from django.test import Client

        client = Client()
        client.force_login(user)
        return client

    def api(self, user: User):
        """An API client authenticated with ``user``'s token."""
        from rest_framework.authtoken.models import Token
        from rest_framework.test import APIClient

        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client


class PartnerSide(Side):
    """The second partner of a side's tenant (invariant 2: partner 1 never sees its rows).

    Partner-owned models (``is_partner_owned``) get their own rows, hung on this side's own
    partner; tenant-wide rows (regions, campaigns, products…) and tenant staff are the parent
    side's, so what every partner may see by design carries the parent's token, not this one.
    """

    def __init__(self, parent: Side, token: str):
        super().__init__(parent.tenant, token)
        self.parent = parent

    def __repr__(self) -> str:
        return f"<PartnerSide {self.tenant.slug} {self.token}>"

    def get(self, model: type[models.Model]) -> models.Model:
        if is_partner_owned(model):
            return super().get(model)
        return self.parent.get(model)

    def user(self, role: str) -> User:
        return super().user(role) if role in PARTNER_ROLES else self.parent.user(role)

    def build_all(self) -> None:
        for model in tenant_owned_models():
            if has_spec(model) and is_partner_owned(model):
                self.get(model)

    @property
    def partner2(self) -> PartnerSide:
        raise AttributeError("a partner side has no second partner of its own")

    def fork_under(self, parent: Side) -> PartnerSide:
        twin = Side.fork(self)
        twin.parent = parent
        return twin


def is_partner_owned(model: type[models.Model]) -> bool:
    """Partner, or a model whose rows hang on one partner (a key to Partner or to such a model)."""
    from channelhub.partners.models import Partner

    def owned(model, seen) -> bool:
        model = model._meta.concrete_model
        if model is Partner:
            return True
        if model in seen or not is_tenant_owned(model):
            return False
        seen = seen | {model}
        return any(
            f.is_relation and f.many_to_one and f.related_model is not Tenant
            and owned(f.related_model, seen)
            for f in model._meta.concrete_fields
        )

    return owned(model, frozenset())


@dataclass
class World:
    """Tenant ``a`` acts; tenant ``b`` owns the rows ``a`` must never see or change."""

    a: Side
    b: Side

    def prepare(self) -> World:
        self.a.prepare()
        self.b.prepare()
        return self

    def fork(self) -> World:
        return World(self.a.fork(), self.b.fork())

    def snapshot(self, instance: models.Model) -> dict[str, Any]:
        """The row's stored values and its number of audit entries, read across tenants."""
        return row_snapshot(instance)

    def counts(self) -> dict[tuple[str, int], int]:
        """Rows per (model, tenant) of every tenant-owned model, for "nothing was created"."""
        return tenant_row_counts([self.a.tenant.pk, self.b.tenant.pk])


A_TOKEN = "ZQALFAZQ"
B_TOKEN = "ZQBETAZQ"


def make_world() -> World:
    """Two fresh tenants (needs database access)."""
    from channelhub.tenancy.services import tenant_create

    a = tenant_create(name=f"Alfa {A_TOKEN}", slug="iso-alfa", default_language="en")
    b = tenant_create(name=f"Beta {B_TOKEN}", slug="iso-beta", default_language="en")
    return World(Side(a, A_TOKEN), Side(b, B_TOKEN))


def row_snapshot(instance: models.Model) -> dict[str, Any]:
    model = type(instance)._meta.concrete_model
    manager = model.all_tenants if hasattr(model, "all_tenants") else model._base_manager
    values = manager.filter(pk=instance.pk).values().first()
    history = history_model(model)
    audit = None
    if history is not None:
        history_manager = history.all_tenants if hasattr(history, "all_tenants") else history._base_manager
        audit = history_manager.filter(**{model._meta.pk.attname: instance.pk}).count()
    return {"row": values, "audit_entries": audit}


def find_token(body: str, token: str) -> str | None:
    """The text around the first occurrence of ``token`` (case-insensitive), or None."""
    match = re.search(re.escape(token), body, flags=re.IGNORECASE)
    if match is None:
        return None
    return body[max(0, match.start() - 200): match.end() + 80]


def highest_role(roles) -> str | None:
    return next((role for role in ROLE_ORDER if role in roles), None)


# --------------------------------------------------------------------------------------
# The route walker
# --------------------------------------------------------------------------------------

OBJECT_KWARGS = ("pk", "id", "object_id")


@dataclass(frozen=True)
class Route:
    """One URL pattern, with the full pattern text and the namespaced name."""

    pattern: str
    name: str | None
    namespace: str
    callback: Callable = field(compare=False, repr=False)
    kwarg_names: tuple[str, ...] = ()
    positional: int = 0
    # The ModelAdmin whose ``urls`` this pattern came from, when it came from one.
    model_admin: admin.ModelAdmin | None = field(default=None, compare=False, repr=False)

    @property
    def id(self) -> str:
        return self.name or self.pattern

    def url(self, *args, **kwargs) -> str:
        if self.name is None:
            raise HarnessGap(f"route {self.pattern} has no name; the harness cannot build its URL")
        return reverse(self.name, args=args or None, kwargs=kwargs or None)


def _pattern_parts(pattern) -> tuple[list[str], int]:
    regex = pattern.regex
    names = list(regex.groupindex)
    return names, regex.groups - len(names)


def walk_routes() -> list[Route]:
    """Every URL pattern of the project, depth first, with namespaces and the admin it serves."""
    admins_by_prefix = {
        f"{model._meta.app_label}/{model._meta.model_name}/": model_admin
        for model, model_admin in admin.site._registry.items()
    }
    routes: list[Route] = []

    def visit(resolver: URLResolver, prefix: str, namespace: str, names: list[str], positional: int,
              model_admin):
        for entry in resolver.url_patterns:
            part = str(entry.pattern)
            entry_names, entry_positional = _pattern_parts(entry.pattern)
            full = prefix + part
            if isinstance(entry, URLResolver):
                child_namespace = namespace
                if entry.namespace:
                    child_namespace = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                child_admin = model_admin
                if child_namespace == admin.site.name and part in admins_by_prefix:
                    child_admin = admins_by_prefix[part]
                visit(entry, full, child_namespace, names + entry_names,
                      positional + entry_positional, child_admin)
            elif isinstance(entry, URLPattern):
                name = None
                if entry.name:
                    name = f"{namespace}:{entry.name}" if namespace else entry.name
                routes.append(Route(
                    pattern=full, name=name, namespace=namespace, callback=entry.callback,
                    kwarg_names=tuple(names + entry_names),
                    positional=positional + entry_positional,
                    model_admin=_model_admin_of(entry.callback) or model_admin,
                ))

    visit(get_resolver(), "", "", [], 0, None)
    return routes


def _model_admin_of(callback) -> admin.ModelAdmin | None:
    found = getattr(callback, "model_admin", None)
    function = callback
    while found is None and function is not None:
        owner = getattr(function, "__self__", None)
        if isinstance(owner, admin.ModelAdmin):
            found = owner
        function = getattr(function, "__wrapped__", None)
    return found


# Admin views every ModelAdmin gets, by the suffix of their URL name.
ADMIN_VIEWS = {
    "changelist", "add", "change", "delete", "history", "simple_history", "export", "import",
    "process_import",
}


@dataclass(frozen=True)
class Classified:
    route: Route
    kind: str
    detail: str = ""  # the admin view, the API action, …

    @property
    def id(self) -> str:
        return self.route.id


def classify(route: Route) -> Classified:
    """What kind of route this is, i.e. which generic isolation check applies to it."""
    if route.id in _route_checks or route.pattern in _route_checks:
        return Classified(route, "custom")
    kind = _classify_admin(route) or _classify_api(route) or _classify_portal(route)
    if kind is not None:
        return kind
    if route.id in _public_routes or route.pattern in _public_routes:
        return Classified(route, "public")
    return Classified(route, "unknown")


def _classify_admin(route: Route) -> Classified | None:
    if route.namespace != admin.site.name:
        return None
    model_admin = route.model_admin
    if model_admin is None:
        short = route.name.rpartition(":")[2] if route.name else ""
        if short == "autocomplete":
            return Classified(route, "admin_autocomplete")
        if short == "view_on_site":
            return Classified(route, "admin_view_on_site")
        if short in ("index", "app_list"):
            return Classified(route, "admin_site_page", short)
        return None
    from channelhub.admin.base import RoleGate

    model = model_admin.model
    if not is_tenant_owned(model):
        if isinstance(model_admin, RoleGate):
            return None  # tenant staff would see a global table: list it or give it a check
        return Classified(route, "admin_platform")
    if not isinstance(model_admin, RoleGate):
        return Classified(route, "admin_platform")
    opts = model._meta
    prefix = f"{admin.site.name}:{opts.app_label}_{opts.model_name}_"
    if route.name and route.name.startswith(prefix) and route.name[len(prefix):] in ADMIN_VIEWS:
        return Classified(route, "admin_" + route.name[len(prefix):])
    if route.name is None and route.pattern.endswith("<path:object_id>/"):
        return Classified(route, "admin_object_redirect")
    if set(route.kwarg_names) & set(OBJECT_KWARGS) and len(route.kwarg_names) == 1:
        return Classified(route, "admin_custom_object")
    return None


def _classify_api(route: Route) -> Classified | None:
    from channelhub.api.viewsets import TenantScopedViewSet

    viewset = getattr(route.callback, "cls", None)
    actions = getattr(route.callback, "actions", None)
    if not (viewset and actions and issubclass(viewset, TenantScopedViewSet)):
        return None
    names = set(actions.values())
    if names & {"list", "create"}:
        return Classified(route, "api_list")
    if names & {"retrieve", "update", "partial_update", "destroy"}:
        return Classified(route, "api_detail")
    (action_name,) = names
    detail = route.callback.initkwargs.get("detail")
    return Classified(route, "api_action_detail" if detail else "api_action_list", action_name)


def _classify_portal(route: Route) -> Classified | None:
    from django.views.generic.list import MultipleObjectMixin

    from channelhub.portal.mixins import PortalMixin

    view_class = getattr(route.callback, "view_class", None)
    if not (isinstance(view_class, type) and issubclass(view_class, PortalMixin)):
        return None
    if route.kwarg_names or route.positional:
        return Classified(route, "portal_object")
    if issubclass(view_class, MultipleObjectMixin):
        return Classified(route, "portal_list")
    return Classified(route, "portal_page")


def classified_routes() -> list[Classified]:
    autodiscover()
    return [classify(route) for route in walk_routes()]


def admin_actions() -> list[tuple[admin.ModelAdmin, str]]:
    """(model admin, action name) for every changelist action of every registered admin.

    Every action the admin *has*, before any permission filtering: its own ``actions`` and the
    site's (``delete_selected``), so a role matrix can ask who is offered each one.
    """
    autodiscover()
    found = []
    for model_admin in admin.site._registry.values():
        for _function, name, _description in model_admin._get_base_actions():
            found.append((model_admin, name))
    return found


@contextmanager
def temporary_attribute(owner, name: str, value) -> Iterator[None]:
    missing = object()
    previous = owner.__dict__.get(name, missing)
    setattr(owner, name, value)
    try:
        yield
    finally:
        if previous is missing:
            delattr(owner, name)
        else:
            setattr(owner, name, previous)
