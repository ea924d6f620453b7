"""Per-tenant document numbers: each tenant counts its own, concurrent callers never share one."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from channelhub.numbering import next_number
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import NumberSequence


def test_each_tenant_and_series_counts_from_one(tenant, other_tenant):
    with tenant_scope(tenant):
        assert [next_number("x.2026") for _ in range(3)] == [1, 2, 3]
        assert next_number("x.2027") == 1
    with tenant_scope(other_tenant):
        assert next_number("x.2026") == 1  # the other tenant's agreements do not show in this one's numbers
    with tenant_scope(tenant):
        assert next_number("x.2026") == 4


def test_a_rolled_back_transaction_gives_its_number_back(in_tenant):
    from django.db import transaction

    assert next_number("y") == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number("y") == 2
        raise RuntimeError("the registration failed")
    assert next_number("y") == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
def test_concurrent_callers_never_share_a_number(transactional_db, tenant):
    from django.db import close_old_connections

    got: list[int] = []
    barrier = threading.Barrier(4)

    def take() -> None:
        try:
            barrier.wait()
            with tenant_scope(tenant):
                for _ in range(5):
                    got.append(next_number("race"))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(got) == list(range(1, 21))
    with tenant_scope(tenant):
        assert NumberSequence.objects.get(key="race").last == 20
