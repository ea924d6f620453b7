"""The generic isolation checks: one per kind of route (see ``channelhub.testing.classify``).

Each check builds rows in tenant B, acts as tenant A's user with the highest role the route
admits, and asserts that B's rows are neither shown nor changed. Every response A gets is
scanned for B's token (every text B's rows carry includes it), so a leak through a choice
list, a filter, a related name or an export is caught wherever it appears.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import tablib
from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.forms.widgets import MultiWidget
from django.test import RequestFactory
from django.urls import reverse
from rest_framework import permissions
from rest_framework.relations import ManyRelatedField, PrimaryKeyRelatedField, RelatedField, SlugRelatedField

from channelhub.tenancy.models import Tenant, User
from channelhub.tenancy.roles import Role
from channelhub.tenancy.selectors import access_for
from channelhub.testing import (
    OBJECT_KWARGS,
    Classified,
    HarnessGap,
    Route,
    World,
    _route_checks,
    _route_models,
    action_payload,
    find_token,
    highest_role,
    history_model,
    is_tenant_owned,
    payload_for,
    temporary_attribute,
)

CHECKS: dict[str, Callable[[World, Classified], None]] = {}


def check(*kinds: str):
    def register(function):
        for kind in kinds:
            CHECKS[kind] = function
        return function

    return register


def run_check(world: World, classified: Classified) -> None:
    if classified.kind == "unknown":
        raise AssertionError(
            f"route {classified.id} is not covered by the isolation walker: cover it or list it as "
            "public with a reason (channelhub.testing.register_public_route / register_route_check)"
        )
    if classified.kind == "custom":
        route = classified.route
        (_route_checks.get(route.id) or _route_checks[route.pattern])(world, route)
        return
    CHECKS[classified.kind](world, classified)


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


def body_of(response) -> str:
    raw = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    return raw.decode("utf-8", errors="replace")


def assert_no_leak(world: World, response, where: str) -> None:
    snippet = find_token(body_of(response), world.b.token)
    assert snippet is None, f"{where}: tenant B's data appears in tenant A's response:\n…{snippet}…"


def other_value(world: World, target: type[models.Model], *, to_field: str | None = None):
    """The value that points a foreign key at tenant B's row (or one of B's users)."""
    obj = world.b.user(Role.OWNER) if issubclass(target, User) else world.b.get(target)
    return getattr(obj, to_field) if to_field else obj.pk


def fake_request(world: World, user: User, method: str = "get"):
    request = getattr(RequestFactory(), method)("/")
    request.user = user
    request.tenant = world.a.tenant
    request.access = access_for(user, world.a.tenant)
    return request


# --------------------------------------------------------------------------------------
# Admin
# --------------------------------------------------------------------------------------


def admin_view_roles(model_admin) -> frozenset[str]:
    return frozenset(getattr(model_admin, "view_roles", ())) | frozenset(getattr(model_admin, "change_roles", ()))


def admin_change_roles(model_admin) -> frozenset[str]:
    return frozenset(getattr(model_admin, "change_roles", ()))


def admin_user(world: World, model_admin, *, write: bool) -> User:
    roles = admin_change_roles(model_admin) if write else admin_view_roles(model_admin)
    role = highest_role(roles) or highest_role(admin_view_roles(model_admin)) or Role.OWNER
    return world.a.user(role)


def admin_url(model: type[models.Model], view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args or None)


def change_path(model, pk) -> str:
    return admin_url(model, "change", quote(pk))


def assert_admin_not_found(response, model, where: str) -> None:
    """Django admin answers a missing object with a 404 or a redirect to the index/changelist."""
    status = response.status_code
    if status in (403, 404, 405):
        return
    if status == 302:
        allowed = {reverse("admin:index"), admin_url(model, "changelist")}
        assert response["Location"].split("?")[0] in allowed, (
            f"{where}: redirected to {response['Location']} instead of answering 'not found'"
        )
        return
    raise AssertionError(f"{where}: tenant B's object answered {status} to tenant A (expected 404)")


def relation_form_fields(form) -> list[tuple[str, type[models.Model], forms.ModelChoiceField]]:
    """The form's choice fields over tenant-owned rows or users: where a write can point at B."""
    found = []
    for name, form_field in form.fields.items():
        if isinstance(form_field, forms.ModelChoiceField) and not form_field.disabled:
            target = form_field.queryset.model
            if is_tenant_owned(target) or issubclass(target, User):
                found.append((name, target, form_field))
    return found


def _format(value) -> str:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def bound_values(form) -> dict[str, Any]:
    """What the browser would post for ``form`` as rendered (initial or bound values)."""
    data: dict[str, Any] = {}
    for bound in form:
        form_field = bound.field
        if form_field.disabled or isinstance(form_field.widget, forms.FileInput):
            continue
        value = bound.value()
        widget = form_field.widget
        if isinstance(widget, MultiWidget):
            parts = value if isinstance(value, list | tuple) else widget.decompress(value)
            for index, part in enumerate(parts):
                data[f"{bound.html_name}_{index}"] = "" if part is None else _format(part)
        elif isinstance(widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [_format(item) for item in value]
        else:
            data[bound.html_name] = "" if value is None else _format(value)
    return data


def to_post(values: dict[str, Any]) -> dict[str, Any]:
    """An API-style payload as form data (booleans as checkboxes, None as empty)."""
    data: dict[str, Any] = {}
    for name, value in values.items():
        if value is True:
            data[name] = "on"
        elif value is False:
            continue
        elif value is None:
            data[name] = ""
        elif isinstance(value, list | tuple):
            data[name] = [_format(item) for item in value]
        else:
            data[name] = _format(value)
    return data


def inline_management(context) -> dict[str, Any]:
    data = {}
    for inline in context.get("inline_admin_formsets", []):
        data.update(bound_values(inline.formset.management_form))
        data[f"{inline.formset.prefix}-TOTAL_FORMS"] = "0"
        data[f"{inline.formset.prefix}-INITIAL_FORMS"] = "0"
    return data


def change_form_data(context) -> dict[str, Any]:
    """The change form as rendered, inlines included: posting it back changes nothing."""
    data = bound_values(context["adminform"].form)
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        data.update(bound_values(formset.management_form))
        for inline_form in formset.forms:
            data.update(bound_values(inline_form))
    data["_save"] = "Save"
    return data


def form_errors(response) -> dict:
    context = response.context
    if context is None:
        return {}
    adminform = context.get("adminform")
    return dict(adminform.form.errors) if adminform is not None else {}


@check("admin_changelist")
def check_admin_changelist(world: World, classified: Classified) -> None:
    model_admin = classified.route.model_admin
    model = model_admin.model
    mine, theirs = world.a.get(model), world.b.get(model)
    world.b.build_all()
    client = world.a.client(admin_user(world, model_admin, write=False))
    url = classified.route.url()

    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code} for tenant A's viewer"
    assert_no_leak(world, response, url)
    body = body_of(response)
    assert change_path(model, mine.pk) in body or world.a.marker_of(mine) in body, (
        f"{url}: tenant A's own row is missing, so the check proves nothing"
    )
    assert change_path(model, theirs.pk) not in body, f"{url}: links to tenant B's row"

    if model_admin.get_search_fields(fake_request(world, world.a.user(Role.OWNER))):
        # The search term is echoed in the search box: look for B's row link, not the token.
        found = client.get(url, {"q": world.b.marker_of(theirs)})
        assert found.status_code == 200
        assert change_path(model, theirs.pk) not in body_of(found), f"{url}?q=: finds tenant B's row"

    check_changelist_writes(world, model_admin, url, theirs)


def check_changelist_writes(world: World, model_admin, url: str, theirs) -> None:
    """Bulk actions and list-editable rows posted with B's id leave B's row alone."""
    user = admin_user(world, model_admin, write=True)
    client = world.a.client(user)
    with world.a.scope():
        actions = list(model_admin.get_actions(fake_request(world, user)))
    for action in actions:
        before, counts = world.snapshot(theirs), world.counts()
        response = client.post(url, {
            "action": action, helpers.ACTION_CHECKBOX_NAME: [str(theirs.pk)], "index": "0",
            "post": "yes",  # confirms actions that ask first (delete_selected)
        })
        assert response.status_code in (200, 302, 403), f"action {action} on {url}: {response.status_code}"
        assert_no_leak(world, response, f"action {action} on {url}")
        assert world.snapshot(theirs) == before, f"admin action {action} changed tenant B's row"
        assert world.counts() == counts, f"admin action {action} on tenant B's row created or deleted rows"
    if model_admin.list_editable:
        check_list_editable(world, model_admin, client, user, url, theirs)


def edited_value(form_field, current) -> str:
    """A valid value for ``form_field`` that differs from ``current``."""
    if isinstance(form_field, forms.BooleanField):
        return "" if current else "on"
    if isinstance(form_field, forms.ChoiceField):
        return next(str(v) for v, _label in form_field.choices if v not in ("", current))
    if isinstance(form_field, forms.IntegerField):
        return str((current or 0) + 1)
    return f"{current or ''}x"


def check_list_editable(world: World, model_admin, client, user, url: str, theirs) -> None:
    """The changelist's editable rows: B's id in the formset changes nothing (A's id does)."""
    model = model_admin.model
    with world.a.scope():
        form_class = model_admin.get_changelist_formset(fake_request(world, user)).form
    mine = world.a.get(model)

    def post(obj):
        row = {f"form-0-{name}": edited_value(form_class.base_fields[name], getattr(obj, name))
               for name in model_admin.list_editable}
        return client.post(url, {
            "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000", "_save": "Save", f"form-0-{model._meta.pk.name}": str(obj.pk), **row,
        })

    before = world.snapshot(theirs)
    post(theirs)
    assert world.snapshot(theirs) == before, f"list_editable on {url} changed tenant B's row"
    before = world.snapshot(mine)
    post(mine)
    assert world.snapshot(mine) != before, f"list_editable on {url}: the post changed nothing, the check is vacuous"


@check("admin_add")
def check_admin_add(world: World, classified: Classified) -> None:
    model_admin = classified.route.model_admin
    model = model_admin.model
    world.b.build_all()
    client = world.a.client(admin_user(world, model_admin, write=True))
    url = classified.route.url()

    response = client.get(url)
    assert_no_leak(world, response, url)
    if response.status_code == 403:
        return  # nobody adds these by hand
    assert response.status_code == 200, f"{url}: {response.status_code}"
    relations = relation_form_fields(response.context["adminform"].form)
    management = {**inline_management(response.context), "_save": "Save"}
    if not relations:
        return

    for name, target, form_field in relations:
        data = to_post(payload_for(model, world.a, admin_form=True))
        value = other_value(world, target, to_field=form_field.to_field_name)
        data[name] = [str(value)] if isinstance(form_field, forms.ModelMultipleChoiceField) else str(value)
        before = world.counts()
        refused = client.post(url, {**data, **management})
        assert refused.status_code == 200, (
            f"POST {url} with {name}=<tenant B's {target._meta.label}> answered {refused.status_code}"
        )
        assert name in form_errors(refused), f"POST {url}: no error on {name}: {form_errors(refused)}"
        assert world.counts() == before, f"POST {url} with {name} at tenant B created rows"
        assert_no_leak(world, refused, f"POST {url}")

    # The same body with tenant A's own rows is accepted: the refusals above were about B.
    before = world.counts()
    accepted = client.post(url, {**to_post(payload_for(model, world.a, admin_form=True)), **management})
    assert accepted.status_code == 302, (
        f"POST {url} with tenant A's own rows was refused ({accepted.status_code}): "
        f"{form_errors(accepted)}; fix the payload builder of {model._meta.label}"
    )
    after = world.counts()
    label = model._meta.label
    assert after.get((label, world.a.tenant.pk), 0) == before.get((label, world.a.tenant.pk), 0) + 1
    assert {k: v for k, v in after.items() if k[1] == world.b.tenant.pk} == {
        k: v for k, v in before.items() if k[1] == world.b.tenant.pk
    }


@check("admin_change")
def check_admin_change(world: World, classified: Classified) -> None:
    model_admin = classified.route.model_admin
    model = model_admin.model
    mine, theirs = world.a.get(model), world.b.get(model)
    world.b.build_all()
    viewer_user, editor_user = admin_user(world, model_admin, write=False), admin_user(world, model_admin, write=True)
    viewer = world.a.client(viewer_user)
    where = classified.id

    own = viewer.get(change_path(model, mine.pk))
    assert own.status_code == 200, f"{where}: tenant A's own object answered {own.status_code}"
    assert_no_leak(world, own, f"{where} (tenant A's object)")
    foreign = viewer.get(change_path(model, theirs.pk))
    assert_admin_not_found(foreign, model, f"GET {where}")
    assert_no_leak(world, foreign, f"GET {where}")

    editor = world.a.client(editor_user)
    if editor_user != viewer_user:  # else the same person's page, read above (before the foreign GET)
        own = editor.get(change_path(model, mine.pk))
    if not own.context or not own.context.get("has_change_permission"):
        denied = editor.post(change_path(model, theirs.pk), {})
        assert denied.status_code in (302, 403, 404), f"POST {where}: {denied.status_code}"
        return
    data = change_form_data(own.context)

    before = world.snapshot(theirs)
    refused = editor.post(change_path(model, theirs.pk), data)
    assert_admin_not_found(refused, model, f"POST {where}")
    assert world.snapshot(theirs) == before, f"POST {where} changed tenant B's row"

    for name, target, form_field in relation_form_fields(own.context["adminform"].form):
        value = other_value(world, target, to_field=form_field.to_field_name)
        many = isinstance(form_field, forms.ModelMultipleChoiceField)
        swapped = {**data, name: [str(value)] if many else str(value)}
        before_mine, before_counts = world.snapshot(mine), world.counts()
        response = editor.post(change_path(model, mine.pk), swapped)
        assert response.status_code == 200 and name in form_errors(response), (
            f"POST {where} setting {name} to tenant B's {target._meta.label}: {response.status_code} "
            f"{form_errors(response)}"
        )
        assert world.snapshot(mine) == before_mine and world.counts() == before_counts

    check_inline_injection(world, editor, model, mine, own.context, data)

    saved = editor.post(change_path(model, mine.pk), data)
    assert saved.status_code == 302, (
        f"POST {where} of tenant A's own form, unchanged, was refused: {form_errors(saved)}"
    )


def check_inline_injection(world, client, model, mine, context, data) -> None:
    """An inline row posted with the id of tenant B's row never edits that row."""
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        if not is_tenant_owned(formset.model):
            continue
        theirs = world.b.get(formset.model)
        prefix = formset.prefix
        count = int(data[f"{prefix}-TOTAL_FORMS"])
        row = {
            name.replace("__prefix__", str(count)): value
            for name, value in bound_values(formset.empty_form).items()
        }
        for name, form_field in formset.empty_form.fields.items():
            key = f"{prefix}-{count}-{name}"
            if isinstance(form_field, forms.CharField) and not isinstance(form_field, forms.ModelChoiceField):
                row[key] = "hijacked"
            if isinstance(form_field, forms.EmailField):
                row[key] = "hijacked@example.com"
        row[f"{prefix}-{count}-{formset.model._meta.pk.name}"] = str(theirs.pk)
        before = world.snapshot(theirs)
        for initial in (count, count + 1):  # as a new row, and as an existing one
            injected = {**data, **row, f"{prefix}-TOTAL_FORMS": str(count + 1),
                        f"{prefix}-INITIAL_FORMS": str(initial)}
            client.post(change_path(model, mine.pk), injected)
            assert world.snapshot(theirs) == before, (
                f"the {prefix} inline of {model._meta.label} edited tenant B's {formset.model._meta.label}"
            )


@check("admin_delete")
def check_admin_delete(world: World, classified: Classified) -> None:
    model_admin = classified.route.model_admin
    model = model_admin.model
    mine, theirs = world.a.get(model), world.b.get(model)
    world.b.build_all()
    client = world.a.client(admin_user(world, model_admin, write=True))
    where = classified.id

    own = client.get(admin_url(model, "delete", quote(mine.pk)))
    assert own.status_code in (200, 403), f"{where}: tenant A's own object answered {own.status_code}"
    foreign = client.get(admin_url(model, "delete", quote(theirs.pk)))
    assert_admin_not_found(foreign, model, f"GET {where}")
    assert_no_leak(world, foreign, f"GET {where}")
    before = world.snapshot(theirs)
    refused = client.post(admin_url(model, "delete", quote(theirs.pk)), {"post": "yes"})
    assert_admin_not_found(refused, model, f"POST {where}")
    assert world.snapshot(theirs) == before, f"POST {where} deleted or changed tenant B's row"


@check("admin_history")
def check_admin_history(world: World, classified: Classified) -> None:
    model_admin = classified.route.model_admin
    model = model_admin.model
    mine, theirs = world.a.get(model), world.b.get(model)
    world.b.build_all()
    client = world.a.client(admin_user(world, model_admin, write=False))
    own = client.get(admin_url(model, "history", quote(mine.pk)))
    assert own.status_code == 200, f"{classified.id}: tenant A's own history answered {own.status_code}"
    assert_no_leak(world, own, classified.id)
    foreign = client.get(admin_url(model, "history", quote(theirs.pk)))
    assert_admin_not_found(foreign, model, classified.id)
    assert_no_leak(world, foreign, classified.id)


def latest_history_id(instance) -> int:
    history = history_model(type(instance))
    return (
        history.all_tenants.filter(**{type(instance)._meta.pk.attname: instance.pk})
        .order_by("-history_id").values_list("history_id", flat=True).first()
    )


@check("admin_simple_history")
def check_admin_history_entry(world: World, classified: Classified) -> None:
    model_admin = classified.route.model_admin
    model = model_admin.model
    mine, theirs = world.a.get(model), world.b.get(model)
    world.b.build_all()
    client = world.a.client(admin_user(world, model_admin, write=True))
    route = classified.route
    own = client.get(route.url(mine.pk, latest_history_id(mine)))
    assert own.status_code in (200, 403), f"{route.id}: tenant A's own entry answered {own.status_code}"
    for object_id, history_id in ((theirs.pk, latest_history_id(theirs)), (mine.pk, latest_history_id(theirs))):
        foreign = client.get(route.url(object_id, history_id))
        assert foreign.status_code in (403, 404), f"{route.id}: B's audit entry answered {foreign.status_code}"
        assert_no_leak(world, foreign, route.id)
    before = world.snapshot(theirs)
    posted = client.post(route.url(theirs.pk, latest_history_id(theirs)), {})
    assert posted.status_code in (403, 404), f"POST {route.id}: {posted.status_code}"
    assert world.snapshot(theirs) == before


@check("admin_object_redirect")
def check_admin_object_redirect(world: World, classified: Classified) -> None:
    model_admin = classified.route.model_admin
    model = model_admin.model
    theirs = world.b.get(model)
    client = world.a.client(admin_user(world, model_admin, write=False))
    url = admin_url(model, "changelist") + f"{quote(theirs.pk)}/"
    response = client.get(url)
    assert_no_leak(world, response, url)
    if response.status_code == 302 and response["Location"].split("?")[0] == change_path(model, theirs.pk):
        response = client.get(response["Location"])  # a plain redirect: what it leads to matters
    assert_admin_not_found(response, model, url)


@check("admin_custom_object")
def check_admin_custom_object(world: World, classified: Classified) -> None:
    """A ModelAdmin's own ``<pk>/…/`` view (e.g. the partner status form)."""
    route = classified.route
    model_admin = route.model_admin
    model = model_admin.model
    mine, theirs = world.a.get(model), world.b.get(model)
    world.b.build_all()
    client = world.a.client(admin_user(world, model_admin, write=True))
    (kwarg,) = route.kwarg_names
    own = client.get(route.url(**{kwarg: mine.pk}))
    assert own.status_code in (200, 405), f"{route.id}: tenant A's own object answered {own.status_code}"
    before = world.snapshot(theirs)
    for method in ("get", "post"):
        response = getattr(client, method)(route.url(**{kwarg: theirs.pk}))
        assert_admin_not_found(response, model, f"{method.upper()} {route.id}")
        assert_no_leak(world, response, route.id)
    assert world.snapshot(theirs) == before, f"POST {route.id} changed tenant B's row"


def export_form_data(form) -> dict[str, Any]:
    data = {"resource": "0"}
    for name, form_field in form.fields.items():
        if getattr(form_field, "is_selectable_field", False):
            data[name] = "on"
    labels = [str(label).lower() for _value, label in form.fields["format"].choices]
    data["format"] = str(form.fields["format"].choices[labels.index("csv")][0])
    return data


def exported_ids(text: str, pk_name: str) -> set[str]:
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    return {row[pk_name] for row in rows if row.get(pk_name)}


@check("admin_export")
def check_admin_export(world: World, classified: Classified) -> None:
    model_admin = classified.route.model_admin
    model = model_admin.model
    mine, theirs = world.a.get(model), world.b.get(model)
    world.b.build_all()
    client = world.a.client(admin_user(world, model_admin, write=False))
    url = classified.route.url()
    form_page = client.get(url)
    assert_no_leak(world, form_page, url)
    if form_page.status_code == 403:
        return
    assert form_page.status_code == 200, f"{url}: {form_page.status_code}"
    data = export_form_data(form_page.context["form"])
    pk_name = model._meta.pk.name

    exported = client.post(url, data)
    assert exported.status_code == 200 and exported.get("Content-Disposition"), f"{url}: no file"
    assert_no_leak(world, exported, f"export of {model._meta.label}")
    text = body_of(exported)
    assert world.a.marker_of(mine) in text or str(mine.pk) in exported_ids(text, pk_name), (
        f"{url}: tenant A's own row is not in the export, so the check proves nothing"
    )
    assert str(theirs.pk) not in exported_ids(text, pk_name)
    # Asking for B's row by id (as the changelist's "export selected" does) exports nothing of B.
    with warnings.catch_warnings():  # import-export deprecates the hook it uses for this, not the feature
        warnings.simplefilter("ignore", DeprecationWarning)
        selected = client.post(url, {**data, "export_items": [str(theirs.pk)]})
    assert_no_leak(world, selected, f"export of selected {model._meta.label}")
    searched = client.post(f"{url}?q={world.b.marker_of(theirs)}", data)
    assert_no_leak(world, searched, f"export of {model._meta.label} searched for B")


def import_datasets(world: World, model_admin, user) -> list[tuple[str, tablib.Dataset]]:
    """Rows an attacker in tenant A would try: B's row as B exports it; A's row with B's id."""
    model = model_admin.model
    resource_class = model_admin.get_import_resource_classes(fake_request(world, user))[0]
    mine, theirs = world.a.get(model), world.b.get(model)
    with world.b.scope():
        replay = resource_class().export(queryset=model.objects.filter(pk=theirs.pk))
    with world.a.scope():
        own = resource_class().export(queryset=model.objects.filter(pk=mine.pk))
    datasets = [("tenant B's row, replayed", replay)]
    pk_column = next(
        (f.column_name for f in resource_class().get_import_fields() if f.attribute == model._meta.pk.name),
        None,
    )
    if pk_column and pk_column in own.headers:
        own_row = list(own[0])
        own_row[own.headers.index(pk_column)] = theirs.pk
        datasets.append(("tenant A's row carrying tenant B's id", tablib.Dataset(own_row, headers=own.headers)))
    return datasets


def _import(client, model, dataset, *, confirm: bool):
    upload = SimpleUploadedFile("rows.csv", dataset.export("csv").encode())
    response = client.post(admin_url(model, "import"), {"resource": "0", "format": "0", "import_file": upload})
    confirm_form = response.context.get("confirm_form") if response.context else None
    if confirm and confirm_form is not None:
        response = client.post(admin_url(model, "process_import"), confirm_form.initial)
    return response


@check("admin_import", "admin_process_import")
def check_admin_import(world: World, classified: Classified) -> None:
    """Importing B's rows (or A's rows with B's ids) as A never changes B's rows."""
    model_admin = classified.route.model_admin
    model = model_admin.model
    theirs = world.b.get(model)
    world.b.build_all()
    user = admin_user(world, model_admin, write=True)
    client = world.a.client(user)
    form_page = client.get(admin_url(model, "import"))
    assert_no_leak(world, form_page, classified.id)
    if form_page.status_code == 403:
        assert client.post(admin_url(model, "process_import"), {}).status_code == 403
        return
    for label, dataset in import_datasets(world, model_admin, user):
        before, before_counts = world.snapshot(theirs), world.counts()
        response = _import(client, model, dataset, confirm=classified.kind == "admin_process_import")
        assert world.snapshot(theirs) == before, f"import of {label} changed tenant B's row"
        assert {k: v for k, v in world.counts().items() if k[1] == world.b.tenant.pk} == {
            k: v for k, v in before_counts.items() if k[1] == world.b.tenant.pk
        }, f"import of {label} created rows in tenant B"
        assert response.status_code in (200, 302)


@check("admin_platform")
def check_admin_platform(world: World, classified: Classified) -> None:
    """Global tables (users, tenants) are the platform superuser's: tenant staff are refused."""
    route = classified.route
    model = route.model_admin.model
    client = world.a.client(world.a.user(Role.OWNER))
    if issubclass(model, Tenant):
        sample = world.b.tenant.pk
    elif issubclass(model, User):
        sample = world.b.user(Role.OWNER).pk
    else:
        sample = model._base_manager.order_by("pk").values_list("pk", flat=True).first() or 1
    if route.name is None:
        url = admin_url(model, "changelist") + f"{sample}/"
    else:
        args = [sample] * route.positional
        kwargs = dict.fromkeys(route.kwarg_names, sample)
        if route.name.endswith("_simple_history") and route.positional == 2:
            # <object id>/history/<audit row id>/: a real audit row of the sample, so the
            # permission gate answers, not a missing row.
            args[1] = model.history.filter(id=sample).values_list("history_id", flat=True).first()
        url = reverse(route.name, args=args or None, kwargs=kwargs or None)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if response.status_code == 302 and method == "get":
            response = client.get(response["Location"])
        assert response.status_code in (302, 403, 405) and response.status_code != 200, (
            f"{method.upper()} {url}: tenant staff reached a platform page ({response.status_code})"
        )
        assert_no_leak(world, response, url)


def autocomplete_fields():
    """(source admin, source model, field) for every autocomplete field, inlines included."""
    for model, model_admin in admin.site._registry.items():
        owners = [(model_admin, model)] + [
            (inline(model, admin.site), inline.model) for inline in model_admin.inlines
        ]
        for owner, source in owners:
            for name in owner.autocomplete_fields:
                yield model_admin, source, source._meta.get_field(name)


@check("admin_autocomplete")
def check_admin_autocomplete(world: World, classified: Classified) -> None:
    url = classified.route.url()
    fields = list(autocomplete_fields())
    assert fields, "no autocomplete fields found: the check would prove nothing"
    world.b.build_all()
    for _source_admin, source, source_field in fields:
        target = source_field.remote_field.model
        target_admin = admin.site._registry[target]
        client = world.a.client(admin_user(world, target_admin, write=False))
        params = {
            "app_label": source._meta.app_label, "model_name": source._meta.model_name,
            "field_name": source_field.name,
        }
        mine, theirs = world.a.get(target), world.b.get(target)
        listed = client.get(url, {**params, "term": ""})
        where = f"autocomplete {source._meta.label}.{source_field.name}"
        assert listed.status_code == 200, f"{where}: {listed.status_code}"
        ids = {row["id"] for row in listed.json()["results"]}
        assert str(mine.pk) in ids, f"{where}: tenant A's own {target._meta.label} is missing"
        assert str(theirs.pk) not in ids, f"{where}: offers tenant B's {target._meta.label}"
        assert_no_leak(world, listed, where)
        searched = client.get(url, {**params, "term": world.b.marker_of(theirs)})
        assert searched.status_code == 200 and searched.json()["results"] == [], f"{where}: finds B's row"


@check("admin_view_on_site")
def check_admin_view_on_site(world: World, classified: Classified) -> None:
    """``admin/r/<content type>/<id>/`` never resolves tenant B's row (it uses the base manager)."""
    client = world.a.client(world.a.user(Role.OWNER))
    models_checked = [model for model in admin.site._registry if is_tenant_owned(model)]
    assert models_checked
    for model in models_checked:
        content_type = ContentType.objects.get_for_model(model)
        mine, theirs = world.a.get(model), world.b.get(model)
        absolute = getattr(model, "get_absolute_url", None) or (lambda self: f"/probe/{self.pk}/")
        with temporary_attribute(model, "get_absolute_url", absolute):
            own = client.get(classified.route.url(content_type.pk, mine.pk))
            assert own.status_code == 302, f"view on site of tenant A's {model._meta.label}: {own.status_code}"
            foreign = client.get(classified.route.url(content_type.pk, theirs.pk))
            assert foreign.status_code == 404, (
                f"view on site of tenant B's {model._meta.label} answered {foreign.status_code} "
                f"({foreign.get('Location')})"
            )


@check("admin_site_page")
def check_admin_site_page(world: World, classified: Classified) -> None:
    world.b.build_all()
    client = world.a.client(world.a.user(Role.OWNER))
    route = classified.route
    if route.kwarg_names == ("app_label",):
        urls = [route.url(app_label=label) for label in {m._meta.app_label for m in admin.site._registry}]
    else:
        urls = [route.url()]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), f"{url}: {response.status_code}"
        assert_no_leak(world, response, url)


# --------------------------------------------------------------------------------------
# API
# --------------------------------------------------------------------------------------

ACTION_OF_METHOD = {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}


def api_roles(viewset, action: str, method: str) -> frozenset[str]:
    roles = getattr(viewset, "action_roles", {}).get(action)
    if roles is not None:
        return frozenset(roles)
    if method.upper() in permissions.SAFE_METHODS:
        return frozenset(viewset.read_roles) | frozenset(viewset.write_roles)
    return frozenset(viewset.write_roles)


def api_methods(actions: dict[str, str]) -> list[tuple[str, str]]:
    """The route's methods and actions (DRF adds ``head`` to the mapping on first use)."""
    return [(method, action) for method, action in list(actions.items()) if method not in ("head", "options")]


def api_view(route: Route, world: World, user: User, action: str, method: str = "get"):
    """An instance of the route's viewset as DRF would set it up for ``user`` in tenant A."""
    from rest_framework.request import Request

    callback = route.callback
    view = callback.cls(**callback.initkwargs)
    view.action_map = callback.actions
    view.action = action
    view.args, view.kwargs, view.format_kwarg, view.headers = (), {}, None, {}
    view.request = Request(fake_request(world, user, method))
    view.request.user = user
    return view


def api_model(route: Route, world: World) -> type[models.Model]:
    viewset = route.callback.cls
    user = world.a.user(highest_role(viewset.read_roles | viewset.write_roles) or Role.OWNER)
    view = api_view(route, world, user, "list")
    with world.a.scope():
        try:
            return view.get_base_queryset().model
        except NotImplementedError:
            return view.get_serializer_class().Meta.model


def serializer_relations(serializer) -> list[tuple[str, type[models.Model], RelatedField, bool]]:
    found = []
    for name, serializer_field in serializer.fields.items():
        if serializer_field.read_only:
            continue
        many = isinstance(serializer_field, ManyRelatedField)
        relation = serializer_field.child_relation if many else serializer_field
        if not isinstance(relation, RelatedField):
            continue
        target = relation.get_queryset().model
        if not (is_tenant_owned(target) or issubclass(target, User)):
            continue
        if not isinstance(relation, PrimaryKeyRelatedField | SlugRelatedField):
            raise HarnessGap(f"{name}: {type(relation).__name__} is not supported by the isolation harness")
        found.append((name, target, relation, many))
    return found


def relation_value(world: World, target, relation: RelatedField, many: bool):
    value = other_value(world, target, to_field=getattr(relation, "slug_field", None))
    return [value] if many else value


def api_ids(response) -> set:
    payload = response.json()
    rows = payload["results"] if isinstance(payload, dict) and "results" in payload else payload
    return {row.get("id") for row in rows if isinstance(row, dict)}


def detail_url(route: Route, obj) -> str:
    viewset = route.callback.cls
    kwarg = viewset.lookup_url_kwarg or viewset.lookup_field
    return route.url(**{kwarg: getattr(obj, viewset.lookup_field)})


def role_user(world: World, roles) -> User | None:
    role = highest_role(roles)
    return world.a.user(role) if role else None


@check("api_list")
def check_api_list(world: World, classified: Classified) -> None:
    route = classified.route
    viewset, actions = route.callback.cls, route.callback.actions
    model = api_model(route, world)
    mine, theirs = world.a.get(model), world.b.get(model)
    world.b.build_all()
    url = route.url()

    if "get" in actions:
        user = role_user(world, api_roles(viewset, "list", "get"))
        assert user is not None, f"{route.id}: no role may list; declare read_roles"
        api = world.a.api(user)
        listed = api.get(url)
        assert listed.status_code == 200, f"GET {url}: {listed.status_code}"
        ids = api_ids(listed)
        assert mine.pk in ids, f"GET {url}: tenant A's own row is missing, so the check proves nothing"
        assert theirs.pk not in ids, f"GET {url}: lists tenant B's row"
        assert_no_leak(world, listed, f"GET {url}")
        # The browsable API renders filter forms and create forms: their choices too.
        browsable = api.get(url, HTTP_ACCEPT="text/html")
        assert browsable.status_code == 200
        assert_no_leak(world, browsable, f"GET {url} (browsable API)")
        if getattr(viewset, "search_fields", None):
            searched = api.get(url, {"search": world.b.marker_of(theirs)})
            assert theirs.pk not in api_ids(searched), f"GET {url}?search= finds tenant B's row"

    if "post" in actions:
        user = role_user(world, api_roles(viewset, "create", "post"))
        if user is None:
            assert_some_role_acted(route, [m for m in actions if m == "get"])
            return
        api = world.a.api(user)
        view = api_view(route, world, user, "create", "post")
        with world.a.scope():
            relations = serializer_relations(view.get_serializer())
        for name, target, relation, many in relations:
            body = payload_for(model, world.a)
            body[name] = relation_value(world, target, relation, many)
            before = world.counts()
            refused = api.post(url, body, format="json")
            assert refused.status_code == 400, (
                f"POST {url} with {name}=<tenant B's {target._meta.label}> answered {refused.status_code}"
            )
            assert name in refused.json(), f"POST {url}: the 400 does not name {name}: {refused.json()}"
            assert world.counts() == before, f"POST {url} with {name} at tenant B created rows"
            assert_no_leak(world, refused, f"POST {url}")
        before = world.counts()
        accepted = api.post(url, payload_for(model, world.a), format="json")
        assert accepted.status_code == 201, (
            f"POST {url} with tenant A's own rows answered {accepted.status_code}: {accepted.content[:300]!r}; "
            f"fix the payload builder of {model._meta.label}"
        )
        after = world.counts()
        label, a_id, b_id = model._meta.label, world.a.tenant.pk, world.b.tenant.pk
        assert after.get((label, a_id), 0) == before.get((label, a_id), 0) + 1, f"POST {url}: not created in A"
        assert {k: v for k, v in after.items() if k[1] == b_id} == {k: v for k, v in before.items() if k[1] == b_id}


@check("api_detail")
def check_api_detail(world: World, classified: Classified) -> None:
    route = classified.route
    viewset, actions = route.callback.cls, route.callback.actions
    model = api_model(route, world)
    mine, theirs = world.a.get(model), world.b.get(model)
    world.b.build_all()

    acted = []
    for method, action in api_methods(actions):
        user = role_user(world, api_roles(viewset, action, method))
        if user is None:
            continue
        acted.append(method)
        api = world.a.api(user)
        if method == "get":
            # The browsable API renders the update form for the row: its choices too.
            browsable = api.get(detail_url(route, mine), HTTP_ACCEPT="text/html")
            assert_no_leak(world, browsable, f"GET {route.id} (browsable API)")
        body = {}
        if method == "put":
            try:
                body = payload_for(model, world.a)
            except AssertionError:
                body = {}
        _own_readable_theirs_not_found(world, route, api, method, mine, theirs, body)

        if method == "patch":
            view = api_view(route, world, user, action, method)
            with world.a.scope():
                relations = serializer_relations(view.get_serializer(instance=mine, partial=True))
            for name, target, relation, many in relations:
                before_mine = world.snapshot(mine)
                refused = api.patch(detail_url(route, mine), {name: relation_value(world, target, relation, many)},
                                    format="json")
                assert refused.status_code == 400 and name in refused.json(), (
                    f"PATCH {route.id} setting {name} to tenant B's {target._meta.label}: "
                    f"{refused.status_code} {refused.content[:300]!r}"
                )
                assert world.snapshot(mine) == before_mine
    assert_some_role_acted(route, acted)


def assert_some_role_acted(route: Route, acted: list) -> None:
    """A route no role may call would pass every check vacuously: that is a gap, not a pass."""
    assert acted, (
        f"{route.id}: no role is admitted to any of its methods, so nothing was checked; "
        "declare the roles that use it (read_roles / write_roles / action_roles) or remove the route"
    )


def _json(body) -> str:
    import json

    return json.dumps(body, default=str)


def _own_readable_theirs_not_found(world, route, api, method, mine, theirs, body, hint: str = "") -> None:
    """A reads its own row (no B marker in it); any method on B's row is a 404 and changes nothing."""
    if method == "get":
        own = api.get(detail_url(route, mine))
        assert own.status_code == 200, f"GET {route.id}: tenant A's own row answered {own.status_code}"
        assert_no_leak(world, own, f"GET {route.id}")
    before = world.snapshot(theirs)
    response = api.generic(method.upper(), detail_url(route, theirs), _json(body), content_type="application/json")
    assert response.status_code == 404, (
        f"{method.upper()} {route.id} on tenant B's row answered {response.status_code} (expected 404){hint}"
    )
    assert_no_leak(world, response, f"{method.upper()} {route.id}")
    assert world.snapshot(theirs) == before, f"{method.upper()} {route.id} changed tenant B's row"


@check("api_action_detail")
def check_api_action_detail(world: World, classified: Classified) -> None:
    route = classified.route
    viewset, actions = route.callback.cls, route.callback.actions
    model = api_model(route, world)
    mine, theirs = world.a.get(model), world.b.get(model)
    world.b.build_all()
    acted = []
    for method, action in api_methods(actions):
        user = role_user(world, api_roles(viewset, action, method))
        if user is None:
            continue
        acted.append(method)
        api = world.a.api(user)
        body = action_payload(route, world.a, theirs)
        _own_readable_theirs_not_found(
            world, route, api, method, mine, theirs, body,
            hint="; if the action validates its body first, register_action_payload() a valid one",
        )
    assert_some_role_acted(route, acted)


@check("api_action_list")
def check_api_action_list(world: World, classified: Classified) -> None:
    route = classified.route
    viewset, actions = route.callback.cls, route.callback.actions
    world.b.build_all()
    acted = []
    for method, action in api_methods(actions):
        if method != "get":
            raise HarnessGap(
                f"{method.upper()} {route.id}: a collection-level write action needs its own check "
                "(channelhub.testing.register_route_check)"
            )
        user = role_user(world, api_roles(viewset, action, method))
        if user is None:
            continue
        acted.append(method)
        response = world.a.api(user).get(route.url())
        assert response.status_code == 200, f"GET {route.id}: {response.status_code}"
        assert_no_leak(world, response, f"GET {route.id}")
    assert_some_role_acted(route, acted)


# --------------------------------------------------------------------------------------
# Portal
# --------------------------------------------------------------------------------------


def portal_user(world: World, route: Route) -> User:
    roles = route.callback.view_class.portal_roles
    return world.a.user(highest_role(roles) or Role.PARTNER_USER)


def portal_model(route: Route, world: World, user: User) -> type[models.Model]:
    if route.id in _route_models:
        return _route_models[route.id]
    view_class = route.callback.view_class
    if getattr(view_class, "model", None) is not None:
        return view_class.model
    if hasattr(view_class, "get_queryset"):
        view = view_class(**getattr(route.callback, "view_initkwargs", {}))
        view.setup(fake_request(world, user))
        view.access, view.partner = access_for(user, world.a.tenant), world.a.partner
        with world.a.scope():
            return view.get_queryset().model
    raise HarnessGap(
        f"route {route.id}: name its model with channelhub.testing.register_route_model("
        f"{route.id!r}, Model) or give the view a ``model``"
    )


def portal_kwargs(route: Route, obj) -> dict[str, Any]:
    view_class = route.callback.view_class
    kwargs = {}
    for name in route.kwarg_names:
        if name in OBJECT_KWARGS:
            kwargs[name] = obj.pk
        elif name == getattr(view_class, "slug_url_kwarg", None):
            kwargs[name] = getattr(obj, view_class.slug_field)
        else:
            raise HarnessGap(f"route {route.id}: cannot fill <{name}>; register a route check")
    return kwargs


@check("portal_list")
def check_portal_list(world: World, classified: Classified) -> None:
    route = classified.route
    user = portal_user(world, route)
    model = portal_model(route, world, user)
    mine = world.a.get(model)
    world.b.build_all()
    response = world.a.client(user).get(route.url())
    assert response.status_code == 200, f"{route.id}: {response.status_code}"
    assert world.a.marker_of(mine) in body_of(response), (
        f"{route.id}: tenant A's own {model._meta.label} is missing, so the check proves nothing "
        "(does its builder hang it on side.partner?)"
    )
    assert_no_leak(world, response, route.id)


@check("portal_object")
def check_portal_object(world: World, classified: Classified) -> None:
    route = classified.route
    user = portal_user(world, route)
    model = portal_model(route, world, user)
    mine, theirs = world.a.get(model), world.b.get(model)
    world.b.build_all()
    client = world.a.client(user)
    foreign = client.get(route.url(**portal_kwargs(route, theirs)))
    assert foreign.status_code in (404, 405), f"GET {route.id} on tenant B's row: {foreign.status_code}"
    assert_no_leak(world, foreign, route.id)
    if foreign.status_code != 405:
        own = client.get(route.url(**portal_kwargs(route, mine)))
        assert own.status_code == 200, f"GET {route.id}: tenant A's own row answered {own.status_code}"
    before = world.snapshot(theirs)
    posted = client.post(route.url(**portal_kwargs(route, theirs)), {})
    assert posted.status_code in (404, 405), f"POST {route.id} on tenant B's row: {posted.status_code}"
    assert world.snapshot(theirs) == before, f"POST {route.id} changed tenant B's row"
    if foreign.status_code == 405:
        # A POST-only view (a toggle, a revoke): a view that answers 404 to every row would pass
        # the lines above, so its own row must be carried out.
        own = client.post(route.url(**portal_kwargs(route, mine)), {})
        assert own.status_code in (200, 302, 303), (
            f"POST {route.id} on tenant A's own row answered {own.status_code}, so the 404 proves nothing"
        )
        assert_no_leak(world, own, route.id)


@check("portal_page")
def check_portal_page(world: World, classified: Classified) -> None:
    route = classified.route
    user = portal_user(world, route)
    world.b.build_all()
    response = world.a.client(user).get(route.url())
    assert response.status_code in (200, 405), f"{route.id}: {response.status_code}"
    assert_no_leak(world, response, route.id)
    form = response.context.get("form") if response.context else None
    if form is not None and relation_form_fields(form):
        raise HarnessGap(
            f"{route.id}: its form chooses tenant-owned rows ({[n for n, *_ in relation_form_fields(form)]}); "
            "register a route check that posts tenant B's rows and expects a form error"
        )
