"""Suggest-as-you-type benchmark: GET /api/v1/suggest at 10k cases against a SQL LIKE 'prefix%' scan.

    .venv/bin/python bench/suggest.py               # 10k cases
    .venv/bin/python bench/suggest.py --cases 1000

Builds the same synthetic corpus as bench/search.py in a temporary SQLite database, then times
(1) building the completion index (what the first request after a content change pays), (2) every
request through the whole Flask stack with prefixes readers type (1–4 Chinese characters, full
pinyin, pinyin initials), each prefix first on a cold per-prefix memo and then again warm, and
(3) in the same run the peer baseline: SQL `LIKE 'prefix%'` over titles, tags and places (Chinese
prefixes only; LIKE cannot do pinyin). Then the same for text typed from inside a name (2–3
characters or their pinyin from the middle of a practice name or tag), against `LIKE '%text%'`. Target: p95 ≤ 20 ms at 10k cases. Not a test.

Suggestions come from the database, rebuilt when the search index's generation moves; an empty
live index stands in for the full one (building it would take minutes and change nothing here:
a request only reads the live index's generation).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.search_corpus import percentile, read_corpus, write_corpus  # noqa: E402
from bench.search_portal import make_app, prepare  # noqa: E402

PREFIX_COUNT = 120


def reader_prefixes(corpus: list[dict], seed: int = 11) -> list[str]:
    """Prefixes a reader types: the start of practice names, tags and places, in characters and pinyin."""
    from pypinyin import Style, lazy_pinyin

    rng = random.Random(seed)
    words = sorted({case["title"].split("“")[1].split("”")[0] for case in corpus}
                   | {tag for case in corpus for tag in case["tags"]} | {"丽水", "庆元县", "景宁"})
    prefixes = []
    for word in rng.sample(words, min(PREFIX_COUNT // 3, len(words))):
        size = rng.randint(1, min(4, len(word)))
        syllables = lazy_pinyin(word[:size])
        initials = "".join(lazy_pinyin(word[:size + 1], style=Style.FIRST_LETTER))
        prefixes += [word[:size], "".join(syllables)[: rng.randint(2, 12)], initials]
    return prefixes


def inner_fragments(corpus: list[dict], seed: int = 13) -> list[str]:
    """Text typed from inside a name: 2–3 characters after its first, and their full pinyin."""
    from pypinyin import lazy_pinyin

    rng = random.Random(seed)
    words = sorted({case["title"].split("“")[1].split("”")[0] for case in corpus}
                   | {tag for case in corpus for tag in case["tags"]})
    fragments = []
    for word in rng.sample([word for word in words if len(word) >= 4], PREFIX_COUNT // 3):
        start = rng.randint(1, len(word) - 2)
        fragment = word[start:start + rng.randint(2, 3)]
        fragments += [fragment, "".join(lazy_pinyin(fragment))]
    return fragments


def time_requests(client, prefixes: list[str], cpu: list[float] | None = None) -> list[float]:
    """Wall milliseconds per request; CPU milliseconds (load-independent) appended to `cpu`."""
    times = []
    for prefix in prefixes:
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get("/api/v1/suggest", query_string={"q": prefix})
        times.append((time.perf_counter() - started) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, response.get_data(as_text=True)
    return times


def like_baseline(database: Path, prefixes: list[str], inside: bool = False) -> list[float]:
    """The naive peer: scan titles, tags and places with LIKE 'prefix%' (or '%text%') on every request."""
    connection = sqlite3.connect(database)
    times = []
    for prefix in prefixes:
        started = time.perf_counter()
        pattern = ("%" if inside else "") + prefix.replace("%", "") + "%"
        connection.execute(
            "SELECT text FROM (SELECT name AS text FROM tags WHERE name LIKE ?1 "
            "UNION SELECT place FROM cases WHERE place LIKE ?1 AND status = 'published' "
            "UNION SELECT title FROM cases WHERE title LIKE ?1 AND status = 'published') LIMIT 8",
            (pattern,)).fetchall()
        times.append((time.perf_counter() - started) * 1000)
    connection.close()
    return times


def summary(label: str, times: list[float]) -> str:
    return (f"{label:<34}{len(times):>6}{percentile(times, 0.5):>9.2f}{percentile(times, 0.95):>9.2f}"
            f"{max(times):>9.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-suggest-"))
    try:
        print(f"generating {args.cases} cases …", file=sys.stderr, flush=True)
        write_corpus(work / "corpus.jsonl", args.cases)
        prepare(work)
        corpus = read_corpus(work / "corpus.jsonl")
        prefixes = reader_prefixes(corpus)
        report(work, prefixes, args.cases, inner_fragments(corpus))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(work: Path, prefixes: list[str], count: int, fragments: list[str]) -> None:
    from portal.search import completion, engine, state

    app = make_app(work, SEARCH_BACKGROUND_SYNC=False)
    client = app.test_client()
    with app.app_context():
        live = engine.new_generation_dir(app.config["SEARCH_INDEX_DIR"])
        engine.create_index(live)
        engine.swap_in(app.config["SEARCH_INDEX_DIR"], live)
        started = time.perf_counter()
        cache = state.current().cache(completion.CACHE_NAME, completion.CompletionCache)
        index = cache.current()
        build_ms = (time.perf_counter() - started) * 1000
    cold_cpu: list[float] = []
    cold = time_requests(client, prefixes, cold_cpu)
    warm = time_requests(client, prefixes)
    inner_cpu: list[float] = []
    inner = time_requests(client, fragments, inner_cpu)
    chinese = [prefix for prefix in prefixes if not prefix.isascii()]
    like = like_baseline(work / "portal.sqlite3", chinese)
    portal_chinese = [t for t, prefix in zip(cold, prefixes, strict=True) if not prefix.isascii()]
    print(f"\n== suggest at {count} cases: {len(index.completions)} completions, "
          f"{len(index.chinese)} Chinese + {len(index.pinyin)} pinyin keys, "
          f"{len(index.chinese_inner)} + {len(index.pinyin_inner)} inner ones ==")
    print(f"completion index build (first request after a content change): {build_ms:.0f} ms")
    print(f"{'':<34}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    print(summary("portal /api/v1/suggest, cold", cold))
    print(summary("portal, cold, CPU time", cold_cpu))
    print(summary("portal /api/v1/suggest, warm", warm))
    print(summary("portal, Chinese prefixes, cold", portal_chinese))
    print(summary("SQL LIKE 'prefix%' (Chinese only)", like))
    print(summary("portal, inside names, cold", inner))
    print(summary("portal, inside names, cold, CPU", inner_cpu))
    print(summary("SQL LIKE '%text%' (Chinese only)", like_baseline(
        work / "portal.sqlite3", [fragment for fragment in fragments if not fragment.isascii()], inside=True)))
    p95 = max(percentile(cold, 0.95), percentile(inner, 0.95))
    print(f"target: p95 ≤ 20 ms → {'met' if p95 <= 20 else 'MISSED'} ({p95:.1f} ms cold wall, "
          f"{percentile(cold_cpu, 0.95):.1f} ms CPU, whole HTTP stack; wall time includes the machine's load)")


if __name__ == "__main__":
    main()
