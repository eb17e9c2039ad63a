"""A short run of bench/load.py: readers and a publishing editor at once, no 5xx, nothing unsearchable."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bench.procs import PROJECT_ROOT, portal_env

# own_database: it builds its own SQLite instance, so the PostgreSQL pass would only repeat it.
pytestmark = [pytest.mark.slow, pytest.mark.own_database]


def test_short_load_run_has_no_server_errors_and_every_published_case_is_searchable(tmp_path):
    # The benchmark migrates and seeds its own throwaway SQLite instance, exactly as `make bench-load` does.
    env = portal_env("unused", tmp_path)
    del env["DATABASE_URL"]
    result = subprocess.run([sys.executable, str(PROJECT_ROOT / "bench" / "load.py"), "--readers", "10",
                             "--duration", "5", "--workers", "2", "--json"],
                            cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.stdout.strip(), result.stderr[-3000:]
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    pages = summary["pages"]
    explanation = "\n".join(summary["server_errors"]) or json.dumps(pages, ensure_ascii=False)
    assert {name: page["status_5xx"] for name, page in pages.items()} == dict.fromkeys(pages, 0), explanation
    assert {name: page["failed"] for name, page in pages.items()} == dict.fromkeys(pages, 0), explanation
    assert all(page["requests"] > 0 for page in pages.values()), pages
    assert summary["published"] >= 3
    assert summary["unsearchable"] == []
    assert result.returncode == 0, result.stderr[-3000:]
