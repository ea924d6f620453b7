"""Two countersignatures of one agreement at the same moment: exactly one wins (PostgreSQL).

Run with ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/channelhub_coop``; on SQLite the
database serialises writers and the compare-and-swap test in test_agreements.py covers the rule.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.workflow import IllegalTransition
from cooperation import services
from cooperation.models import Agreement, AgreementState, Signature

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks (set DATABASE_URL)"
)


@postgresql_only
def test_concurrent_countersignatures_cannot_both_win(transactional_db, tenant, signed, people, monkeypatch):
    agreement = signed()
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}
    real_create = Signature.save

    def slow_save(self, *args, **kwargs):
        # Hold the winner's transaction open so the loser really waits on the row lock.
        time.sleep(0.3)
        return real_create(self, *args, **kwargs)

    monkeypatch.setattr(Signature, "save", slow_save)

    def countersign(name: str, actor) -> None:
        try:
            with tenant_scope(tenant):
                seen = Agreement.objects.get(pk=agreement.pk)
                barrier.wait(timeout=10)
                services.agreement_countersign(agreement=seen, actor=actor, signer_name=name, signer_title="Director",
                                               content_hash=seen.content_hash)
            results[name] = "won"
        except IllegalTransition:
            results[name] = "lost"
        except Exception as error:  # pragma: no cover - reported by the assertion below
            results[name] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=countersign, args=("manager", people["manager"])),
               threading.Thread(target=countersign, args=("owner", people["owner"]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results.values()) == ["lost", "won"], results
    with tenant_scope(tenant):
        agreement.refresh_from_db()
        assert agreement.state == AgreementState.ACTIVE
        assert Signature.objects.filter(agreement=agreement, party="tenant", voided_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_a_stale_countersignature_is_refused(tenant, signed, people):
    """The loser's view of the row is stale: the compare-and-swap refuses it (any database)."""
    agreement = signed()
    with tenant_scope(tenant):
        stale = Agreement.objects.get(pk=agreement.pk)
        services.agreement_countersign(agreement=agreement, actor=people["manager"], signer_name="a",
                                       signer_title="b", content_hash=agreement.content_hash)
        with pytest.raises(IllegalTransition):
            services.agreement_countersign(agreement=stale, actor=people["owner"], signer_name="c",
                                           signer_title="d", content_hash=stale.content_hash)
        assert Signature.objects.filter(party="tenant").count() == 1
