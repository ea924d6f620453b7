"""The bench's plan check: a sequential scan of a large table fails the run unless a LIMIT above
it expects to stop after a small share of it (``bench.pages._whole_scans``)."""

from __future__ import annotations

from bench.pages import _whole_scans

LARGE = {"recruitment_application": 20_000, "recruitment_reviewerassignment": 20_000}


def _seq(table: str, cost: float, **extra) -> dict:
    return {"Node Type": "Seq Scan", "Relation Name": table, "Total Cost": cost, **extra}


def test_a_plain_sequential_scan_of_a_large_table_is_flagged():
    assert _whole_scans(_seq("recruitment_application", 900.0), LARGE) == {"recruitment_application"}


def test_small_tables_are_not_flagged():
    assert _whole_scans(_seq("recruitment_approvalstep", 1.1), LARGE) == set()


def test_an_exists_that_stops_after_a_few_rows_is_not_a_whole_scan():
    plan = {"Node Type": "Limit", "Total Cost": 0.12,
            "Plans": [_seq("recruitment_reviewerassignment", 472.3, **{"Parent Relationship": "Outer"})]}
    assert _whole_scans(plan, LARGE) == set()


def test_a_limit_over_a_hash_join_still_reads_the_hashed_table_whole():
    # The LIMIT's cost includes building the hash of every application: flagged.
    plan = {"Node Type": "Limit", "Total Cost": 1300.0, "Plans": [
        {"Node Type": "Hash Join", "Total Cost": 15000.0, "Parent Relationship": "Outer", "Plans": [
            _seq("recruitment_application", 901.0, **{"Parent Relationship": "Outer"}),
        ]},
    ]}
    assert _whole_scans(plan, LARGE) == {"recruitment_application"}


def test_a_subplan_is_not_bounded_by_the_outer_limit():
    plan = {"Node Type": "Limit", "Total Cost": 5.0, "Plans": [
        {"Node Type": "Index Scan", "Total Cost": 5000.0, "Parent Relationship": "Outer", "Plans": [
            _seq("recruitment_application", 900.0, **{"Parent Relationship": "SubPlan"}),
        ]},
    ]}
    assert _whole_scans(plan, LARGE) == {"recruitment_application"}
