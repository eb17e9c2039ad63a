"""What each publish costs the search side in CPU: the editor's applier, and the gunicorn workers.

    .venv/bin/python bench/publish_cost.py                      # SQLite, 5 workers, 24 publishes
    .venv/bin/python bench/publish_cost.py --database-url postgresql://…/scratch --sqlite-peer

Builds a throwaway instance as bench/load.py does and starts gunicorn. The editor runs in this
process: it publishes one case a second through the ORM, so the outbox and the applier (commit,
merges, postings store, related lists) run here, each phase timed in CPU. After each publish it
fetches the load benchmark's 12 search pages once each, as readers would right after a publish (the
workers reopen their searchers and rebuild what they derive per index generation). The workers'
CPU comes from /proc, over three periods of the same length in the same run:
  idle     nothing happens: the pollers alone;
  warm     the same 12 searches each second, fresh query strings, no publish (renders, same generation);
  publish  a publish, then the 12 searches each second.
"publish − warm" is what a publish adds to the workers. Loopback only; the instance is removed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.loadlib import SEARCH_QUERIES, prepare_instance, workers_cpu_seconds  # noqa: E402
from bench.procs import Gunicorn  # noqa: E402

# The applier's phases, timed where they are defined (module, function, label).
PHASES = (("portal.search.sync", "has_pending", "pending check"),
          ("portal.search.sync", "apply_cases", "read + analyze"),
          ("portal.search.engine", "commit_changes", "commit + merges"),
          ("portal.search.postings_store", "write_missing", "postings store"),
          ("portal.search.related", "refresh", "related lists"))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--publishes", type=int, default=24, help="publishes (and seconds per period) (24)")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers (5)")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                        help="PostgreSQL URL of a scratch database (default: SQLite in a temporary dir)")
    parser.add_argument("--sqlite-peer", action="store_true", help="with --database-url: SQLite first, same run")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser.parse_args(argv)


def timed_phases(totals: dict) -> None:
    """Wrap the applier's phases so each adds its CPU time to `totals[label]`."""
    import importlib

    for module_name, function_name, label in PHASES:
        module = importlib.import_module(module_name)
        function = getattr(module, function_name)

        def timed(*args, _function=function, _label=label, **kwargs):
            started = time.process_time()
            try:
                return _function(*args, **kwargs)
            finally:
                totals[_label] += time.process_time() - started

        setattr(module, function_name, timed)


def fetch_searches(server: Gunicorn, marker: str) -> None:
    """Fetch the 12 search pages once each; `marker` makes their URLs (and cache keys) new."""
    for query in SEARCH_QUERIES:
        status, _ = server.get(f"/search?q={urllib.parse.quote(query)}{marker}", timeout=30)
        assert status == 200, f"/search answered {status}"


def period(server: Gunicorn, seconds: int, each_second) -> float:
    """Run `each_second(n)` once a second for `seconds`; return the workers' CPU seconds meanwhile."""
    before, next_at = workers_cpu_seconds(server), time.monotonic()
    for number in range(seconds):
        each_second(number)
        next_at += 1.0
        time.sleep(max(0.0, next_at - time.monotonic()))
    return workers_cpu_seconds(server) - before


def measure(server: Gunicorn, publishes: int) -> dict:
    """Run the three periods; return the figures."""
    from bench.publisher import publish_case
    from portal import create_app
    from portal.extensions import db

    phases, per_publish = defaultdict(float), []
    timed_phases(phases)
    editor, run_id = create_app(), uuid.uuid4().hex[:8]

    def publish_then_search(number: int) -> None:
        with editor.app_context():
            started = time.process_time()
            publish_case(run_id, number)
            per_publish.append(time.process_time() - started)
            db.session.remove()
        fetch_searches(server, f"&p={number}")

    with editor.app_context():
        publish_case(run_id + "w", 0)  # the editor's own start-up (jieba, first writer) is not a publish's cost
        db.session.remove()
    fetch_searches(server, "")
    idle = period(server, publishes, lambda number: None)
    warm = period(server, publishes, lambda number: fetch_searches(server, f"&w={number}"))
    phases.clear()
    published = period(server, publishes, publish_then_search)
    ordered = sorted(per_publish)
    return {"workers": int(server.env["WEB_CONCURRENCY"]), "publishes": publishes,
            "idle_ms_per_s": 1000 * idle / publishes, "warm_ms_per_round": 1000 * warm / publishes,
            "publish_ms_per_round": 1000 * published / publishes,
            "workers_ms_per_publish": 1000 * (published - warm) / publishes,
            "applier_ms_mean": 1000 * sum(ordered) / len(ordered),
            "applier_ms_p95": 1000 * ordered[int(0.95 * (len(ordered) - 1))], "applier_ms_max": 1000 * ordered[-1],
            "applier_phases_ms": {label: 1000 * phases[label] / publishes for _, _, label in PHASES}}


def run(database_url: str | None, args) -> dict:
    """Prepare an instance, serve it, measure, clean up."""
    instance_dir = Path(tempfile.mkdtemp(prefix="portal-publish-cost-"))
    saved = dict(os.environ)
    try:
        env = prepare_instance(database_url, instance_dir)
        os.environ.update(env)  # the editor in this process uses the same database and index
        server = Gunicorn(env, instance_dir / "gunicorn.log", workers=args.workers).start()
        try:
            server.wait_until_serving()
            figures = measure(server, args.publishes)
        finally:
            server.stop()
        figures["database"] = env["DATABASE_URL"].split(":", 1)[0]
        return figures
    finally:
        os.environ.clear()
        os.environ.update(saved)
        shutil.rmtree(instance_dir, ignore_errors=True)


def report(figures: dict) -> str:
    phases = ", ".join(f"{label} {ms:.1f}" for label, ms in figures["applier_phases_ms"].items())
    return "\n".join([
        f"{figures['database']}, {figures['workers']} workers, {figures['publishes']} publishes (CPU ms):",
        f"  workers idle (pollers)        {figures['idle_ms_per_s']:7.1f} per second, all workers",
        f"  workers, 12 searches          {figures['warm_ms_per_round']:7.1f} per round, same generation",
        f"  workers, publish + 12 searches{figures['publish_ms_per_round']:7.1f} per round",
        f"  → a publish adds to workers   {figures['workers_ms_per_publish']:7.1f}",
        f"  applier (editor's commit)     {figures['applier_ms_mean']:7.1f} mean, p95 {figures['applier_ms_p95']:.1f},"
        f" max {figures['applier_ms_max']:.1f}",
        f"    per publish: {phases}"])


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    urls = ([None] if args.sqlite_peer else []) + [args.database_url] if args.database_url else [None]
    started, load = time.monotonic(), os.getloadavg()[0]
    runs = [run(url, args) for url in urls]
    if args.json:
        print(json.dumps(runs, ensure_ascii=False))
    else:
        print("\n".join(report(figures) for figures in runs))
        print(f"wall {time.monotonic() - started:.0f} s; load average {load:.2f} → {os.getloadavg()[0]:.2f} (1 min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
