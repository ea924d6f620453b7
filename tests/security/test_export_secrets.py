"""Stored credentials (hashes of API keys, invitation and tracking tokens) never leave in an admin export."""

from __future__ import annotations

import pytest

from channelhub.tenancy.models import ApiKey, Invitation
from channelhub.testing import make_world
from tests.isolation.checks import admin_url, admin_user, export_form_data
from tests.security.test_exports import _exportable_admins

# Named like secrets but data: an API client's idempotency key (chosen by the caller; how an
# integrator reconciles its submissions with ours) and the fingerprint of a submitted payload
# (a hash of figures the reader may see anyway, not of a credential), a customer name
# normalised for matching (the name itself is on the same row), a period's key ("2026-11"), and
# the hash of a signed agreement's text (printed on the agreement itself).
NOT_SECRET = {"idempotency_key", "payload_hash", "name_key", "period_key", "content_hash"}


@pytest.mark.django_db
def test_no_admin_export_carries_a_stored_secret():
    world = make_world()
    checked = []
    for model_admin in _exportable_admins():
        model = model_admin.model
        secrets_ = [f.attname for f in model._meta.concrete_fields
                    if f.name.endswith(("_hash", "_key")) and f.name not in NOT_SECRET]
        if not secrets_:
            continue
        row = world.a.get(model)
        # A lookup key (a folded e-mail) may equal a column that is fine to export; a hash never may.
        values = {name: str(getattr(row, name)) for name in secrets_ if name.endswith("_hash") and getattr(row, name)}
        client = world.a.client(admin_user(world, model_admin, write=False))
        url = admin_url(model, "export")
        form_page = client.get(url)
        assert form_page.status_code == 200, url
        body = client.post(url, export_form_data(form_page.context["form"])).content.decode("utf-8-sig")
        header = body.splitlines()[0].split(",")
        for name in secrets_:
            assert name not in header, f"{model._meta.label}: column {name} exported"
        for name, value in values.items():
            assert value not in body, f"{model._meta.label}: {name} value exported"
        checked.append(model)
    assert {ApiKey, Invitation} <= set(checked)
