"""``manage.py seed_demo`` on an empty database (the module-scoped seed of test_seed_demo.py is not here)."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from channelhub.demo.data import ANHE, HUAXIN
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import Tenant

from .test_seed_demo import built_partners, seed


def test_if_empty_seeds_an_empty_database(db):
    seed("--if-empty")
    assert set(Tenant.objects.values_list("slug", flat=True)) == {HUAXIN.slug, ANHE.slug}


def test_quiet_at_verbosity_zero(db, capsys):
    out, err = StringIO(), StringIO()
    call_command("seed_demo", "--partners", "3", verbosity=0, stdout=out, stderr=err)
    assert out.getvalue() == "" and err.getvalue() == ""
    assert capsys.readouterr() == ("", "")  # no progress bar either
    # Fewer partners than flagships asked: the flagships (whose staff sign in) still exist.
    with tenant_scope(Tenant.objects.get(slug=HUAXIN.slug)):
        assert built_partners().count() == len(HUAXIN.flagships)
