"""``manage.py seed_demo`` on an empty database (outside tests/demo, whose package seed is alive there)."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from channelhub.demo.data import ANHE, HUAXIN
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import Tenant
from tests.demo.seeding import built_partners


def test_if_empty_seeds_an_empty_database_quietly_at_verbosity_zero(db, capsys):
    # One seed for both checks (a seed is most of this module's time): --if-empty on an empty
    # database seeds it, and verbosity 0 prints nothing, not even the progress bar.
    out, err = StringIO(), StringIO()
    call_command("seed_demo", "--if-empty", "--partners", "3", verbosity=0, stdout=out, stderr=err)
    assert set(Tenant.objects.values_list("slug", flat=True)) == {HUAXIN.slug, ANHE.slug}
    assert out.getvalue() == "" and err.getvalue() == ""
    assert capsys.readouterr() == ("", "")  # no progress bar either
    # Fewer partners than flagships asked: the flagships (whose staff sign in) still exist.
    with tenant_scope(Tenant.objects.get(slug=HUAXIN.slug)):
        assert built_partners().count() == len(HUAXIN.flagships)
