"""Search benchmark: the portal's search (jieba + Whoosh) against SQL LIKE and SQLite FTS5 on one corpus.

    .venv/bin/python bench/search.py              # 1k and 10k cases
    .venv/bin/python bench/search.py --large      # also 50k
    .venv/bin/python bench/search.py --sizes 1000 # just one size

For each size it generates a synthetic corpus (bench/search_corpus.py, ~2,000 characters a case),
then runs every phase in its own subprocess (so peak RSS is honest): building each index, running
the same queries (with highlighted snippets) against each — also the dense queries, words in most
cases (bench/search_corpus.py's DENSE_QUERIES), against FTS5 — and for the portal the time from a
published edit's commit until search finds it, both in the writing process and on a second
"machine" (another index directory kept in step by the outbox poller). Prints a table and the
ratios against the targets (10k: reindex ≤ 60 s, p95 ≤ 1.5× FTS5 and ≥ 10× faster than LIKE, dense
p95 ≤ 2× FTS5, each query's first run < 4× FTS5's, publish-to-searchable ≤ 1 s). The p95 figures count
every run, first runs included (each query's first run, then REPEATS − 1 more); the first and the
repeated runs are also shown apart. Not a test: figures depend on the machine (compare CPU figures
with the peer's from the same run; wall time moves with the machine's load, printed too).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import search_baselines, search_portal  # noqa: E402
from bench.search_corpus import write_corpus  # noqa: E402

PHASES = {
    "portal-prepare": search_portal.prepare,
    "portal-build": search_portal.build,
    "portal-query": search_portal.query,
    "portal-dense": search_portal.dense,
    "portal-publish": search_portal.publish,
    "like-build": search_baselines.like_build,
    "like-query": search_baselines.like_query,
    "fts5-build": search_baselines.fts5_build,
    "fts5-query": search_baselines.fts5_query,
    "fts5-dense": search_baselines.fts5_dense,
}


def peak_rss_mb() -> float:
    """Peak resident memory of this process and its finished children, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def run_phase(name: str, work: Path) -> dict:
    """Run one phase in a fresh interpreter and return the figures it printed."""
    started = time.perf_counter()
    completed = subprocess.run([sys.executable, __file__, "--phase", name, "--work", str(work)],
                               capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout[-3000:] + completed.stderr[-3000:])
        raise SystemExit(f"phase {name} failed")
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    figures["wall"] = time.perf_counter() - started
    return figures


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (load-independent, unlike wall time)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def phase_main(name: str, work: Path) -> None:
    """Inside the subprocess: run the phase and print its figures as one JSON line."""
    started = cpu_seconds()
    figures = PHASES[name](work)
    figures["cpu_s"] = round(cpu_seconds() - started, 2)
    figures["peak_rss_mb"] = round(peak_rss_mb(), 1)
    print(json.dumps(figures, ensure_ascii=False))


def bench_size(count: int, root: Path) -> dict:
    """Generate a corpus of `count` cases and run every phase on it."""
    work = root / f"n{count}"
    work.mkdir(parents=True, exist_ok=True)
    write_corpus(work / "corpus.jsonl", count)
    results = {"count": count}
    for name in PHASES:
        print(f"  {count:>6} · {name} …", file=sys.stderr, flush=True)
        results[name] = run_phase(name, work)
    return results


def row(label: str, build: dict, query: dict, docs: int) -> str:
    seconds = build["seconds"]
    return (f"{label:<16}{seconds:>9.1f}{build['cpu_s']:>9.1f}{docs / seconds:>9.0f}{query['p50_ms']:>9.1f}"
            f"{query['p95_ms']:>9.1f}{query['cpu_p50_ms']:>9.1f}{query['cpu_p95_ms']:>9.1f}"
            f"{build['size_mb']:>9.1f}{build['peak_rss_mb']:>9.0f}{query['peak_rss_mb']:>9.0f}")


def dense_row(label: str, query: dict) -> str:
    """One line of query figures for the dense queries (no build of their own)."""
    return (f"{label:<16}{'':>36}{query['p50_ms']:>9.1f}{query['p95_ms']:>9.1f}{query['cpu_p50_ms']:>9.1f}"
            f"{query['cpu_p95_ms']:>9.1f}   (cpu p95 of first runs {query['cpu_p95_first_ms']:.1f}, "
            f"of repeats {query['cpu_p95_repeat_ms']:.1f})")


def print_report(results: dict) -> None:
    """Print the table of figures and the ratios against the targets."""
    count = results["count"]
    print(f"\n== {count} cases (~2,000 characters each) ==")
    print(f"{'engine':<16}{'build s':>9}{'cpu s':>9}{'docs/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'cpu p50':>9}"
          f"{'cpu p95':>9}{'size MB':>9}{'RSS b':>9}{'RSS q':>9}")
    portal_build = {**results["portal-build"]}
    print(row("portal (Whoosh)", portal_build, results["portal-query"], count))
    print(row("SQLite FTS5", results["fts5-build"], results["fts5-query"], count))
    print(row("SQL LIKE", results["like-build"], results["like-query"], count))
    publish = results["portal-publish"]
    print(f"publish → searchable: same process p50 {publish['local_p50_ms']:.0f} ms, "
          f"max {publish['local_max_ms']:.0f} ms; second index via poller p50 {publish['remote_p50_ms']:.0f} ms, "
          f"max {publish['remote_max_ms']:.0f} ms")
    print(dense_row("portal sparse", results["portal-query"]))
    print(dense_row("FTS5 sparse", results["fts5-query"]))
    print(dense_row("portal dense", results["portal-dense"]))
    print(dense_row("FTS5 dense", results["fts5-dense"]))
    for kind in ("p95_ms", "cpu_p95_ms"):
        portal_p95 = results["portal-query"][kind]
        fts_ratio = portal_p95 / results["fts5-query"][kind]
        like_ratio = results["like-query"][kind] / portal_p95
        dense_ratio = results["portal-dense"][kind] / results["fts5-dense"][kind]
        print(f"ratios ({'wall' if kind == 'p95_ms' else 'cpu'}): sparse queries: portal p95 = {fts_ratio:.2f}× FTS5 p95 "
              f"(target ≤ 1.5×); LIKE p95 = {like_ratio:.1f}× portal p95 (target ≥ 10×); "
              f"dense queries: portal p95 = {dense_ratio:.2f}× FTS5 p95 (target ≤ 2×)")
    for label, name in (("sparse", "query"), ("dense", "dense")):
        portal_first, fts_first = results[f"portal-{name}"]["cpu_p95_first_ms"], results[f"fts5-{name}"]["cpu_p95_first_ms"]
        print(f"first run of each {label} query (nothing of it cached yet), cpu p95: portal {portal_first:.1f} ms, "
              f"FTS5 {fts_first:.1f} ms = {portal_first / fts_first:.2f}× (target < 4×)")
    print(f"reindex {portal_build['seconds']:.1f} s wall (index {portal_build['index_s']:.1f} s, of which postings "
          f"store {portal_build['store_s']:.1f} s; related lists {portal_build['related_s']:.1f} s), "
          f"{portal_build['cpu_s']:.1f} s CPU on {os.cpu_count()} cores (target ≤ 60 s at 10k); "
          f"FTS5 build {results['fts5-build']['seconds']:.1f} s wall, {results['fts5-build']['cpu_s']:.1f} s CPU; "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"hits agree: portal found {results['portal-query']['hits']} results over the query set, "
          f"FTS5 {results['fts5-query']['hits']}, LIKE {results['like-query']['hits']}")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000], help="corpus sizes (1000 10000)")
    parser.add_argument("--large", action="store_true", help="also run 50,000 cases")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.phase:
        phase_main(args.phase, Path(args.work))
        return
    sizes = args.sizes + ([50000] if args.large else [])
    started = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="bench-search-"))
    print(f"work directory: {root} · {os.cpu_count()} CPUs", file=sys.stderr)
    try:
        reports = [bench_size(count, root) for count in sizes]
        for results in reports:
            print_report(results)
        print(f"\nbenchmark took {time.perf_counter() - started:.0f} s wall; load average now "
              f"{' '.join(f'{load:.1f}' for load in os.getloadavg())}")
        (root.parent / "bench-search-last.json").write_text(json.dumps(reports, ensure_ascii=False, indent=1))
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
