"""Issue 10 item 14: the worker SIGSEGV suspect (Whoosh's memory-mapped segments closed or replaced under a
search) checked with a reproducer whose paths each run in a child process (bench/native_crash.py)."""

from __future__ import annotations

from bench.native_crash import run_in_subprocess

SECONDS = 1.5


def test_the_reproducer_sees_a_native_crash_when_a_mapped_segment_is_rewritten_in_place():
    outcome = run_in_subprocess("rewrite", SECONDS)
    assert outcome["signal"] == "SIGBUS", outcome
    assert "Fatal Python error: Bus error" in outcome["stack"]


def test_closing_a_shared_searcher_under_a_search_raises_python_errors_but_kills_nothing():
    outcome = run_in_subprocess("shared-close", SECONDS)
    assert outcome["signal"] is None and outcome["exit"] == 0, outcome
    assert outcome["errors"], "the unguarded path should trip over the closed reader"


def test_the_portals_searchers_survive_merges_and_generation_swaps_without_errors():
    outcome = run_in_subprocess("portal", SECONDS * 2)
    assert outcome["signal"] is None and outcome["exit"] == 0, outcome
    assert outcome["errors"] == {}, outcome
