"""bench/search.py phases for the portal's own search: prepare a database, build, query, publish."""

from __future__ import annotations

import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import insert

from bench.search_corpus import AREAS, COUNTIES, DENSE_QUERIES, QUERIES, dir_size_mb, percentile, read_corpus

REPEATS = 3
PUBLISHES = 15


def make_app(work: Path, instance: str = "portal", **config):
    from portal import create_app

    return create_app({"ENV_NAME": "testing", "INSTANCE_DIR": str(work / instance),
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'portal.sqlite3'}", **config})


def insert_taxonomy(connection) -> tuple[dict, dict]:
    from portal.cases.models import Area, Region

    areas, regions = {}, {}
    for position, (slug, name) in enumerate(AREAS):
        areas[slug] = connection.execute(insert(Area).values(slug=slug, name=name, description="",
                                                             position=position).returning(Area.id)).scalar()
    city = connection.execute(insert(Region).values(code="331100", name="丽水市", kind="city", position=0)
                              .returning(Region.id)).scalar()
    for position, (code, name) in enumerate(COUNTIES):
        regions[code] = connection.execute(insert(Region).values(
            code=code, name=name, kind="county", position=position, parent_id=city).returning(Region.id)).scalar()
    return areas, regions


def insert_cases(connection, corpus: list[dict], areas: dict, regions: dict) -> None:
    """Insert the corpus with Core statements (no outbox: the build phase indexes everything)."""
    from portal.cases.models import Case, Tag, case_tags
    from portal.timeutil import utcnow

    tag_ids = {}
    for name in sorted({tag for case in corpus for tag in case["tags"]}):
        tag_ids[name] = connection.execute(insert(Tag).values(name=name).returning(Tag.id)).scalar()
    now = utcnow()
    rows = [{"id": number + 1, "slug": case["slug"], "title": case["title"], "summary": case["summary"],
             "body_md": case["body"], "body_html": "", "toc_html": "", "area_id": areas[case["area"]],
             "region_id": regions[case["region"]], "level": case["level"], "year": case["year"],
             "status": "published", "created_at": now, "updated_at": now, "published_at": now, "version": 1}
            for number, case in enumerate(corpus)]
    connection.execute(insert(Case), rows)
    connection.execute(insert(case_tags), [{"case_id": number + 1, "tag_id": tag_ids[tag]}
                                           for number, case in enumerate(corpus) for tag in case["tags"]])


def prepare(work: Path) -> dict:
    """Create the portal database with the corpus (not timed as part of any index)."""
    from flask_migrate import upgrade

    from portal.extensions import db

    started = time.perf_counter()
    app = make_app(work)
    with app.app_context():
        upgrade()
        with db.engine.begin() as connection:
            areas, regions = insert_taxonomy(connection)
            insert_cases(connection, read_corpus(work / "corpus.jsonl"), areas, regions)
    return {"seconds": time.perf_counter() - started}


def build(work: Path) -> dict:
    """Time `portal search reindex` (both cores tokenizing): the index with its postings store, then
    every case's related list, as the command does."""
    from portal.extensions import db
    from portal.search import rebuild, related, state

    app = make_app(work)
    with app.app_context():
        started = time.perf_counter()
        stats = rebuild.rebuild(db.engine, app.config["SEARCH_INDEX_DIR"], procs=2)
        indexed = time.perf_counter()
        related.refresh_missing(db.engine, state.current().open_index(), procs=2)
        seconds = time.perf_counter() - started
        return {"seconds": seconds, "documents": stats["documents"], "index_s": indexed - started,
                "store_s": stats["store_seconds"], "related_s": seconds - (indexed - started),
                "size_mb": dir_size_mb(Path(app.config["SEARCH_INDEX_DIR"]))}


def timed_queries(run_query, queries: list[str] = QUERIES) -> dict:
    """Run every query REPEATS times through `run_query(q) -> total`; return latency figures."""
    started = time.perf_counter()
    first_total = run_query(queries[0])
    first_ms = (time.perf_counter() - started) * 1000
    times, cpu_times, hits = [], [], 0
    for repeat in range(REPEATS):
        for query in queries:
            started, cpu_started = time.perf_counter(), time.process_time()
            total = run_query(query)
            times.append((time.perf_counter() - started) * 1000)
            cpu_times.append((time.process_time() - cpu_started) * 1000)
            hits += total if repeat == 0 else 0
    first_pass = cpu_times[:len(queries)]  # each query's first run: nothing of it kept yet
    repeats = cpu_times[len(queries):]
    return {"p50_ms": percentile(times, 0.5), "p95_ms": percentile(times, 0.95), "max_ms": max(times),
            "cpu_p50_ms": percentile(cpu_times, 0.5), "cpu_p95_ms": percentile(cpu_times, 0.95),
            "cpu_p95_first_ms": percentile(first_pass, 0.95), "cpu_p95_repeat_ms": percentile(repeats, 0.95),
            "first_ms": first_ms, "hits": hits, "first_total": first_total}


def query(work: Path, queries: list[str] = QUERIES) -> dict:
    """Time the portal's search: matching, facets, ranking and highlighted snippets for one page."""
    from portal.search import service
    from portal.search.searching import SearchRequest

    app = make_app(work)
    with app.app_context():
        def run(q: str) -> int:
            result = service.search(SearchRequest(q=q, per_page=10))
            assert all(hit.highlight is not None for hit in result.hits)
            return result.total

        return timed_queries(run, queries)


def dense(work: Path) -> dict:
    """The same, for the dense queries (words in most cases)."""
    return query(work, DENSE_QUERIES)


def wait_until_found(app, token: str, slug: str, timeout: float = 30.0) -> float:
    from portal.search import service
    from portal.search.searching import SearchRequest

    deadline = time.perf_counter() + timeout
    with app.app_context():
        while time.perf_counter() < deadline:
            if slug in [hit.slug for hit in service.search(SearchRequest(q=token)).hits]:
                return time.perf_counter()
            time.sleep(0.01)
    raise RuntimeError(f"{slug} not searchable by {token} after {timeout} s")


def publish(work: Path) -> dict:
    """Time from an edit's commit until search finds it: here, and on a second index kept by the poller."""
    from portal.cases.models import Case
    from portal.extensions import db
    from portal.search import engine, service

    local = make_app(work)
    remote = make_app(work, "portal-remote", SEARCH_BACKGROUND_SYNC=True)  # its poller, at the default interval
    remote_dir = Path(remote.config["SEARCH_INDEX_DIR"])
    shutil.copytree(engine.live_dir(local.config["SEARCH_INDEX_DIR"]), remote_dir)
    with remote.app_context():
        service.start_poller()
    local_ms, remote_ms = [], []
    with local.app_context():
        for number in range(PUBLISHES):
            case = db.session.get(Case, 1 + number * 37 % 900)
            token = f"zq{number}x{int(time.time() * 1000) % 100000}"
            case.title = f"{case.title} {token}"
            started = time.perf_counter()
            db.session.commit()
            # Both clocks run at once: the second index's is not held back while this one is polled.
            with ThreadPoolExecutor(max_workers=2) as pool:
                here, there = (pool.submit(wait_until_found, app, token, case.slug) for app in (local, remote))
                local_ms.append((here.result() - started) * 1000)
                remote_ms.append((there.result() - started) * 1000)
    return {"local_p50_ms": percentile(local_ms, 0.5), "local_max_ms": max(local_ms),
            "remote_p50_ms": percentile(remote_ms, 0.5), "remote_max_ms": max(remote_ms)}
