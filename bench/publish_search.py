"""Publish → searchable on a second instance: how long after an editor's publish another app process finds it.

    .venv/bin/python bench/publish_search.py                       # 10,000 cases, 40 publishes
    .venv/bin/python bench/publish_search.py --cases 1000 --publishes 20

Three instances share one database: this process publishes (instance A, the editor's: its commit
hook applies the search outbox to its index, and recomputes the related lists the change touches); a
gunicorn sharing A's index directory (instance B, 2 workers, its background poller on) and a gunicorn
on another "machine" with its OWN index directory, a copy kept up to date by its own poller (instance
C), answer /api/v1/search. Each publish is one transaction, as in the editor; the clock starts just
before its commit and stops when an instance's search first lists the case (each instance polled
every 10 ms in its own thread); one
untimed publish warms both instances first. The peer,
measured in the same run, is the publishing instance's own search (polled in-process, in turn with B).
Target (issue 13): p95 ≤ 1 s on the second instance (B and C). Not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.content import write_content_dir  # noqa: E402
from bench.loadlib import search_token  # noqa: E402
from bench.procs import Gunicorn, portal_command, portal_env  # noqa: E402

POLL_SECONDS = 0.01
GIVE_UP_SECONDS = 30.0


def prepare(work: Path, cases: int) -> dict:
    """A database holding the real taxonomy and `cases` synthetic published cases, indexed, with related lists."""
    env = portal_env(f"sqlite:///{work / 'portal.sqlite3'}", work / "instance")
    portal_command(env, "db", "upgrade")
    portal_command(env, "content", "import", str(write_content_dir(work, cases)), timeout=1800)
    portal_command(env, "search", "reindex", "--quiet", timeout=1800)
    portal_command(env, "search", "related", "--quiet", timeout=1800)
    return env


def own_index_instance(env: dict, work: Path) -> dict:
    """The environment of an instance with its own instance dir, its index a copy of A's (as a new
    machine would get by copying, or by `portal search reindex`), kept by its own poller."""
    from portal.search import engine

    own = work / "instance-own"
    if own.exists():
        shutil.rmtree(own)
    own.mkdir()
    shutil.copytree(engine.live_dir(work / "instance" / "search-index"), own / "search-index")
    return portal_env(env["DATABASE_URL"], own)


def found(server: Gunicorn, token: str, slug: str) -> bool:
    status, body = server.get_json(f"/api/v1/search?q={token}", timeout=30)
    return status == 200 and any(item["slug"] == slug for item in body["results"])


def wait_until_found(checks: dict, token: str, slug: str, started: float) -> dict[str, float]:
    """Poll every instance's check, each in its own thread (one slow answer must not delay the
    others' clocks), until each finds the case; return seconds since `started` per instance."""
    def clock(finds) -> float | None:
        while time.perf_counter() < started + GIVE_UP_SECONDS:
            if finds(token, slug):
                return time.perf_counter() - started
            time.sleep(POLL_SECONDS)
        return None

    with ThreadPoolExecutor(max_workers=len(checks)) as pool:
        futures = {name: pool.submit(clock, finds) for name, finds in checks.items()}
        seconds = {name: future.result() for name, future in futures.items()}
    missing = [name for name, value in seconds.items() if value is None]
    if missing:
        raise RuntimeError(f"{slug} was not searchable on {', '.join(missing)} after {GIVE_UP_SECONDS:.0f} s")
    return seconds


def local_search_finds(app, token: str, slug: str) -> bool:
    """Instance A's own search API (in-process), the peer. Its commit hook may find the index lock
    taken by B's poller, which then applies the entry instead, so A's search is polled too."""
    response = app.test_client().get(f"/api/v1/search?q={token}")
    return any(item["slug"] == slug for item in response.get_json()["results"])


def measure(env: dict, work: Path, publishes: int) -> dict:
    """Publish `publishes` cases one after another from this process; time each until B finds it."""
    os.environ.update(env)
    from bench.publisher import publish_case
    from portal import create_app
    from portal.extensions import db

    app = create_app()
    logging.disable(logging.INFO)  # the in-process instance's request log
    run_id = uuid.uuid4().hex[:8]
    second, own, local = [], [], []
    with (Gunicorn(env, work / "gunicorn.log", workers=2) as server,
          Gunicorn(own_index_instance(env, work), work / "gunicorn-own.log", workers=2) as own_server,
          app.app_context()):
        server.wait_until_serving(timeout=300)
        own_server.wait_until_serving(timeout=300)
        checks = {"the second instance": lambda token, slug: found(server, token, slug),
                  "the own-index instance": lambda token, slug: found(own_server, token, slug),
                  "the publishing instance": lambda token, slug: local_search_finds(app, token, slug)}
        # One untimed publish first: it loads what the first apply and related refresh need in A.
        wait_until_found(checks, search_token(run_id, 0), publish_case(run_id, 0), time.perf_counter())
        for number in range(1, publishes + 1):
            token, started = search_token(run_id, number), time.perf_counter()
            slug = publish_case(run_id, number)  # commits; A's commit hook applies the outbox
            committed = time.perf_counter()
            seconds = wait_until_found(checks, token, slug, started)
            second.append(seconds["the second instance"])
            own.append(seconds["the own-index instance"])
            local.append(seconds["the publishing instance"])
            db.session.remove()
            print(f"  {slug}: commit {committed - started:.3f} s, second instance {second[-1]:.3f} s, "
                  f"own index {own[-1]:.3f} s", file=sys.stderr)
    return {"second": second, "own": own, "local": local}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(cases: int, figures: dict, load: tuple[float, float], elapsed: float) -> None:
    print(f"\n== publish → searchable · {cases} cases · {os.cpu_count()} CPUs · "
          f"load average {load[0]:.1f} → {load[1]:.1f} ==")
    print(f"{'instance':<42}{'p50 s':>8}{'p95 s':>8}{'max s':>8}   target")
    for label, key, target in (("second instance (gunicorn, shared index)", "second", "p95 ≤ 1 s"),
                               ("second instance (gunicorn, own index)", "own", "p95 ≤ 1 s"),
                               ("peer: the publishing instance itself", "local", "baseline")):
        values = figures[key]
        print(f"{label:<42}{statistics.median(values):>8.3f}{percentile(values, 0.95):>8.3f}"
              f"{max(values):>8.3f}   {target}")
    print(f"{len(figures['second'])} publishes; benchmark took {elapsed:.0f} s")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10000, help="library size (10000)")
    parser.add_argument("--publishes", type=int, default=40, help="cases published and timed (40)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--work", type=Path, help="a work directory kept by an earlier run (--keep): reuse "
                                                  "its library instead of building one")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-publish-"))
    print(f"work directory: {work}", file=sys.stderr)
    try:
        env = (portal_env(f"sqlite:///{work / 'portal.sqlite3'}", work / "instance") if args.work
               else prepare(work, args.cases))
        load_before = os.getloadavg()[0]
        figures = measure(env, work, args.publishes)
        report(args.cases, figures, (load_before, os.getloadavg()[0]), time.perf_counter() - started)
    finally:
        if not (args.keep or args.work):
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
