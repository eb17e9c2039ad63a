"""Issue 10 item 14: the worker SIGSEGV suspect (Whoosh's memory-mapped segments closed or replaced under a
search) checked with a reproducer whose paths each run in a child process (bench/native_crash.py)."""

from __future__ import annotations

import os
import subprocess
import sys

from bench.native_crash import run_in_subprocess
from portal.config import PROJECT_ROOT

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


def test_the_preloaded_app_runs_no_thread_before_gunicorn_forks_its_workers(tmp_path):
    """A worker forked while a thread of the master holds a lock (WeasyPrint's, jieba's, a database
    driver's) inherits the lock held and can hang or crash; threads must start in the workers only."""
    env = {**os.environ, "PORTAL_ENV": "production", "SECRET_KEY": "test", "PORTAL_INSTANCE_DIR": str(tmp_path),
           "PYTHONPATH": str(PROJECT_ROOT)}
    env.pop("DATABASE_URL", None)
    # What gunicorn's master runs before forking: wsgi.py (--preload), then the when_ready hook.
    loaded = subprocess.run([sys.executable, "-c", "import threading, wsgi; "
                             "from portal.ops.lifecycle import before_forking; before_forking(wsgi.app); "
                             "print([t.name for t in threading.enumerate()])"],
                            capture_output=True, text=True, env=env, cwd=PROJECT_ROOT, timeout=300)
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    assert loaded.stdout.strip().splitlines()[-1] == "['MainThread']"
