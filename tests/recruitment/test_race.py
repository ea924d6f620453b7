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
from recruitment.services import reviews

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


@pytest.mark.parametrize("head_start", ["remove", "submit"])
def test_removing_a_reviewer_while_they_submit_leaves_no_orphan_scorecard(
    transactional_db, tenant, submit, criteria, people, monkeypatch, head_start
):
    """A reviewer's scorecard and their removal cross: one of them wins, never a scorecard without its reviewer."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from recruitment.models import ReviewerAssignment, Scorecard

    from .conftest import move

    application = submit()
    with tenant_scope(tenant):
        move(application, ApplicationState.SCREENING, ApplicationState.SCORING)
        services.application_assign_reviewers(application=application, reviewers=[people["reviewer1"]], actor=None)
    # Patched where the reviewer services look them up (recruitment.services.reviews).
    real_delete, real_save = reviews.audited_delete, reviews.audited_save

    def slow(real):
        def run(*args, **kwargs):
            time.sleep(0.3)  # hold the transaction open: the other one must wait or see it
            return real(*args, **kwargs)
        return run

    monkeypatch.setattr(reviews, "audited_delete", slow(real_delete))
    monkeypatch.setattr(reviews, "audited_save", slow(real_save))
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def run(name: str, work) -> None:
        try:
            with tenant_scope(tenant):
                barrier.wait(timeout=10)
                if name != head_start:
                    time.sleep(0.1)
                work()
            results[name] = "won"
        except (PermissionDenied, ValidationError):
            results[name] = "refused"
        except Exception as error:  # pragma: no cover - reported by the assertion below
            results[name] = repr(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=("remove", lambda: services.application_remove_reviewers(
            application=application, reviewers=[people["reviewer1"]], actor=people["manager"]))),
        threading.Thread(target=run, args=("submit", lambda: services.scorecard_submit(
            application=application, reviewer=people["reviewer1"],
            scores={criteria["a"].pk: 4, criteria["b"].pk: 7}))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results == {head_start: "won", ({"remove", "submit"} - {head_start}).pop(): "refused"}, results
    with tenant_scope(tenant):
        assigned = ReviewerAssignment.objects.filter(application=application).exists()
        scored = Scorecard.objects.filter(application=application).exists()
    assert (assigned, scored) == ((True, True) if head_start == "submit" else (False, False))
