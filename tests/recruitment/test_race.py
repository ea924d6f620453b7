"""Two decisions on the same approval step at the same moment: exactly one wins (PostgreSQL).

Run with ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/channelhub_rec``; on SQLite the
database serialises writers anyway and the deterministic stale-decision test
(test_services_approval.py) covers the rule.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.workflow import IllegalTransition
from recruitment import services
from recruitment.models import Application, ApplicationState, ApprovalDecision, Decision

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks (set DATABASE_URL)"
)


@pytest.mark.parametrize("second", [Decision.REJECT, Decision.APPROVE, Decision.RETURN])
def test_concurrent_decisions_on_one_step_cannot_both_win(transactional_db, tenant, in_review, people, second,
                                                          monkeypatch):
    application = in_review()
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}
    real_create = ApprovalDecision.objects.create

    def slow_create(**kwargs):
        # Hold the winner's transaction open so the loser really waits on the row lock.
        time.sleep(0.3)
        return real_create(**kwargs)

    monkeypatch.setattr(ApprovalDecision.objects, "create", slow_create)

    def decide(name: str, actor, decision: str) -> None:
        try:
            with tenant_scope(tenant):
                seen = Application.objects.get(pk=application.pk)
                barrier.wait(timeout=10)
                services.application_decide(application=seen, actor=actor, decision=decision, comment=name)
            results[name] = "won"
        except IllegalTransition:
            results[name] = "lost"
        except Exception as error:  # pragma: no cover - reported by the assertion below
            results[name] = repr(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=("first", people["manager"], Decision.APPROVE)),
        threading.Thread(target=decide, args=("second", people["reviewer1"], second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results.values()) == ["lost", "won"], results
    with tenant_scope(tenant):
        assert ApprovalDecision.objects.filter(application=application).count() == 1
        application.refresh_from_db()
        winner = ApprovalDecision.objects.get(application=application)
        if winner.decision == Decision.APPROVE:
            assert (application.state, application.current_step.order) == (ApplicationState.IN_REVIEW, 2)
        elif winner.decision == Decision.REJECT:
            assert application.state == ApplicationState.REJECTED
        else:
            assert application.state == ApplicationState.SCORING
