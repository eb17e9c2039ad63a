"""In-process server time of the reading pages: today's rendering against the cached paths, same run.

    .venv/bin/python bench/pages.py                 # content/ (20 cases) and 10,000 synthetic cases
    .venv/bin/python bench/pages.py --sizes 20      # just the seed content
    .venv/bin/python bench/pages.py --sizes 10000 --keep /tmp/lib   # build once, reuse on the next run

For each library it times, through Flask's test client (no network, no gunicorn), the home, list,
case, matrix and collection pages as an anonymous reader: "render" is every request rendered (the
page cache off, which is how every request was served before), "cached" is a warm page cache, and
"304" a revalidation with the ETag the reader holds. At 10k cases the synthetic library has no
stored related-case lists (the case page then shows same-area cases). Prints wall and CPU p50/p95
per page with the machine's load average (on a busy machine wall time is mostly waiting for a core;
CPU time is the work). Then, unless --no-gunicorn: case pages per second from gunicorn with 2 sync
workers under wrk (bench/page_throughput.py) against the old 138/s, and each worker's memory after
reading every page type (PSS target ≤ 150 MB at 10k). Not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import search_portal  # noqa: E402
from bench.procs import portal_command, portal_env  # noqa: E402
from bench.search_corpus import write_corpus  # noqa: E402

REQUESTS = 60
WARM_UP = 3


def percentile(values: list[float], fraction: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(fraction * 100) - 1]


def seed_library(work: Path) -> dict:
    """The real content/ through the real commands, as `make run` does."""
    env = portal_env(f"sqlite:///{work / 'portal.sqlite3'}", work / "portal")
    for command in (("db", "upgrade"), ("content", "import"), ("search", "reindex", "--quiet")):
        portal_command(env, *command, timeout=900)
    return {"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "INSTANCE_DIR": env["PORTAL_INSTANCE_DIR"]}


def synthetic_library(work: Path, count: int) -> dict:
    """`count` synthetic cases inserted directly, then indexed (bench/search.py's corpus)."""
    write_corpus(work / "corpus.jsonl", count)
    search_portal.prepare(work)
    search_portal.build(work)
    return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'portal.sqlite3'}", "INSTANCE_DIR": str(work / "portal")}


def page_paths(client) -> dict[str, str]:
    """One URL per page type, taken from the library itself."""
    case = client.get("/api/v1/cases?per_page=1").get_json()["results"][0]["slug"]
    collections = client.get("/collections").get_data(as_text=True)
    marker = 'href="/collections/'
    collection = collections[collections.index(marker) + 6:].split('"')[0] if marker in collections else "/collections"
    return {"home": "/", "list": "/cases", "case": f"/cases/{case}", "matrix": "/matrix", "collection": collection}


def timed(client, path: str, headers: dict | None = None, expect: int = 200) -> dict[str, list[float]]:
    """Time REQUESTS requests after WARM_UP: wall and CPU milliseconds."""
    wall, cpu = [], []
    for number in range(WARM_UP + REQUESTS):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(path, headers=headers or {})
        elapsed, cpu_elapsed = (time.perf_counter() - started) * 1000, (time.process_time() - cpu_started) * 1000
        assert response.status_code == expect, (path, response.status_code)
        if number >= WARM_UP:
            wall.append(elapsed)
            cpu.append(cpu_elapsed)
    return {"wall": wall, "cpu": cpu}


def measure(config: dict) -> dict:
    from portal import create_app

    warnings.filterwarnings("ignore", message="Flask-Caching: CACHE_TYPE is set to NullCache")
    rendering = create_app({"ENV_NAME": "production", "SECRET_KEY": "bench", "REQUEST_LOG": False,
                            "SEARCH_BACKGROUND_SYNC": False, "PAGE_CACHE_TYPE": "NullCache", **config})
    caching = create_app({"ENV_NAME": "production", "SECRET_KEY": "bench", "REQUEST_LOG": False,
                          "SEARCH_BACKGROUND_SYNC": False, **config})
    render_client, cache_client = rendering.test_client(), caching.test_client()
    figures = {}
    for name, path in page_paths(cache_client).items():
        etag = cache_client.get(path).headers["ETag"]
        figures[name] = {"render": timed(render_client, path), "cached": timed(cache_client, path),
                         "304": timed(cache_client, path, {"If-None-Match": etag}, expect=304)}
    return figures


def report(label: str, figures: dict) -> None:
    print(f"\n== {label} · load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs ==")
    print(f"{'page':<12}{'clock':<6}{'render p50':>11}{'render p95':>11}{'cached p50':>11}{'cached p95':>11}"
          f"{'304 p50':>9}{'304 p95':>9}   (ms; target: cached and 304 p95 ≤ 5 ms; peer: render)")
    for name, times in figures.items():
        for clock in ("wall", "cpu"):
            cells = [percentile(times[kind][clock], fraction)
                     for kind in ("render", "cached", "304") for fraction in (0.5, 0.95)]
            print(f"{name if clock == 'wall' else '':<12}{clock:<6}"
                  + "".join(f"{cell:>11.2f}" if n < 4 else f"{cell:>9.2f}" for n, cell in enumerate(cells)))


def case_paths(config: dict, limit: int = 500) -> list[str]:
    """Up to `limit` published case pages of the library."""
    from sqlalchemy import create_engine, text

    with create_engine(config["SQLALCHEMY_DATABASE_URI"]).connect() as connection:
        slugs = connection.execute(text("SELECT slug FROM cases WHERE status = 'published' ORDER BY id LIMIT :n"),
                                   {"n": limit}).scalars().all()
    return [f"/cases/{slug}" for slug in slugs]


def under_gunicorn(config: dict, work: Path) -> None:
    """Case-page throughput and worker memory with real gunicorn processes."""
    from bench import page_throughput
    from bench.content import worker_memory
    from bench.procs import portal_env

    page_throughput.report(page_throughput.measure(config, case_paths(config), work))
    env = portal_env(config["SQLALCHEMY_DATABASE_URI"], Path(config["INSTANCE_DIR"]), REQUEST_LOG="0")
    for number, memory in enumerate(worker_memory(env, work), 1):
        print(f"worker {number} after reading every page type: PSS {memory['pss'] / 1024:.0f} MB "
              f"(anonymous {memory['pss_anon'] / 1024:.0f}, files {memory['pss_file'] / 1024:.0f}; "
              f"target ≤ 150 MB at 10k; before issue 13's memory work: 333 MB), RSS {memory['rss'] / 1024:.0f} MB")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[20, 10000], help="20 = content/; others synthetic")
    parser.add_argument("--keep", type=Path, help="build the libraries here and keep them; reuse those found there")
    parser.add_argument("--no-gunicorn", action="store_true", help="only the in-process figures")
    args = parser.parse_args(argv)
    begun = time.perf_counter()
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-pages-"))
    try:
        for size in args.sizes:
            work = root / f"n{size}"
            config = library(work, size)
            report("content/ (20 cases)" if size == 20 else f"{size} synthetic cases", measure(config))
            if not args.no_gunicorn:
                under_gunicorn(config, work)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print(f"\nbench/pages.py took {time.perf_counter() - begun:.0f} s")


def library(work: Path, size: int) -> dict:
    """Build the library in `work` unless a finished one is there already."""
    done = work / "built"
    if not done.exists():
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        config = seed_library(work) if size == 20 else synthetic_library(work, size)
        done.write_text(config["INSTANCE_DIR"])
    return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'portal.sqlite3'}", "INSTANCE_DIR": done.read_text()}


if __name__ == "__main__":
    main()
