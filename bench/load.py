"""Load benchmark: readers hammer the portal under gunicorn while an editor publishes every second.

    .venv/bin/python bench/load.py                      # 50 readers, 60 s, SQLite in a temp dir (needs wrk)
    .venv/bin/python bench/load.py --readers 10 --duration 5
    DATABASE_URL=postgresql://postgres@127.0.0.1:55433/scratch .venv/bin/python bench/load.py
    .venv/bin/python bench/load.py --database-url postgresql://…/scratch --sqlite-peer   # both, same run

Loopback only and bounded in time. It builds a throwaway instance (migrate, import content/,
reindex), starts `gunicorn -c gunicorn.conf.py wsgi:app`, loads it with N keep-alive connections
from Debian's wrk (one wrk process per page type: home, list, case, matrix, collection, search; the
load generator shares no interpreter with the server or this script), and runs an editor process
that publishes one new case per second through the ORM (so through the search outbox). At the end
it checks through /api/v1/search that every published case is searchable and that every page
answers from the database's current content (no stale cached page: the current generation, or for a case or collection page the same body as a fresh render), and prints
p50/p95/p99 per page type, 5xx and failed requests, the throughput and the machine's load average.
Exit status 0 only when there was no 5xx, no failed request, every published case was found and
no page was stale. With a PostgreSQL DATABASE_URL the benchmark's cases are added
to that database: point it at a scratch database.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.loadlib import report, run_benchmark  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=50, help="concurrent keep-alive reader connections (50)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (60)")
    parser.add_argument("--publish-interval", type=float, default=1.0, help="seconds between publishes (1)")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (WEB_CONCURRENCY)")
    parser.add_argument("--search-timeout", type=float, default=15.0,
                        help="seconds to wait for the last published cases to become searchable (15)")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                        help="PostgreSQL URL (default: SQLite in a temporary instance dir)")
    parser.add_argument("--sqlite-peer", action="store_true",
                        help="with --database-url: run the same load on SQLite first, the peer in the same run")
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    parser.add_argument("--keep", action="store_true", help="keep the temporary instance dir")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures; exit non-zero when any check failed."""
    args = parse_args(argv)
    runs = []
    if args.sqlite_peer and args.database_url:
        runs.append(run_benchmark(argparse.Namespace(**{**vars(args), "database_url": None})))
    runs.append(run_benchmark(args))
    if args.json:
        print(json.dumps(runs if len(runs) > 1 else runs[0], ensure_ascii=False))
    else:
        print("\n\n".join(report(summary) for summary in runs))
        if len(runs) > 1:
            print(peer_comparison(*runs))
    return 0 if all(summary["passed"] for summary in runs) else 1


def peer_comparison(peer: dict, summary: dict) -> str:
    """One line per figure: the server database against the SQLite peer of the same run."""
    worst = {name: max(page["p95_ms"] for page in run["pages"].values()) for name, run in
             (("peer", peer), ("server", summary))}
    return (f"{summary['database']} against the SQLite peer (same run): throughput "
            f"{summary['throughput_rps']} vs {peer['throughput_rps']} req/s, server CPU "
            f"{summary['server_cpu_ms_per_request']} vs {peer['server_cpu_ms_per_request']} ms per request, "
            f"worst page p95 {worst['server']} vs {worst['peer']} ms (target ≤ 250 ms)")


if __name__ == "__main__":
    sys.exit(main())
