"""Full rebuilds into a fresh directory (swapped in atomically) and verification against the database."""

from __future__ import annotations

import contextlib
import fcntl
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.cases.models import Case
from portal.search import analysis, engine, postings_store, sync
from portal.search.documents import case_document
from portal.search.whoosh_writing import BuildCodec, BuildWriter, key_sorting

CHUNK = 200


@dataclass
class VerifyReport:
    """How the index differs from the database's published cases."""

    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def drift(self) -> int:
        return len(self.missing) + len(self.stale) + len(self.extra)


@contextlib.contextmanager
def rebuild_lock(index_dir: str | Path, blocking: bool = True):
    """Serialize rebuilds of one index across processes; yield False if busy and not blocking."""
    path = Path(f"{index_dir}.rebuild.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def is_rebuilding(index_dir: str | Path) -> bool:
    """Return True while some process holds the rebuild lock of this index."""
    path = Path(f"{index_dir}.rebuild.lock")
    if not path.exists():
        return False
    with open(path) as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    return False


def published_ids(session: Session) -> list[int]:
    return list(session.scalars(select(Case.id).where(Case.status == "published").order_by(Case.id)))


def published_documents(session: Session, ids: list[int]) -> Iterator[dict]:
    """Yield the index document of every published case in `ids`, loading them in chunks."""
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        cases = session.scalars(select(Case).where(Case.id.in_(chunk)).options(
            selectinload(Case.tags), selectinload(Case.secondary_areas))).all()
        for case in cases:
            yield case_document(case)
        session.expunge_all()


# Memory for a writer's postings before it spills them to sorted runs on disk (megabytes). A spill
# costs a third more CPU (every posting pickled, read back and heap-merged); 5k cases fill ~700 MB.
# The writer processes of a command exit when done, so they may hold a 10k build in memory; a
# rebuild inside a web worker (procs=1) keeps to less, since a process rarely returns what it used.
SUBPROCESS_LIMIT_MB = 1024
IN_PROCESS_LIMIT_MB = 256


def build_writer(ix, procs: int):
    """Return the writer for a full build: with procs > 1, each process analyses and writes its own
    segment (kept as is: no merge at the end).

    Measured at 10k cases on this 2-core machine: 117 s this way against 146 s with a pool of
    tokenizing processes feeding one writer (whose single-threaded posting work then dominates).
    """
    if procs > 1:
        return BuildWriter(ix, procs=procs, multisegment=True,
                           subargs={"limitmb": SUBPROCESS_LIMIT_MB, "codec": BuildCodec()})
    return key_sorting(ix.writer(limitmb=IN_PROCESS_LIMIT_MB, codec=BuildCodec()))


# Distinct blocks (clauses, names) whose cut a build's segmenter remembers: ~30k per 2,000 cases of
# bench/search_corpus.py, ~250 bytes each; the writer processes exit when done.
BUILD_BLOCKS_REMEMBERED = 100_000


@contextlib.contextmanager
def remembering_blocks(limit: int = BUILD_BLOCKS_REMEMBERED):
    """Let the segmenter remember more cuts during a build (inherited by the forked writer processes),
    then forget them, so a web worker that rebuilt in process keeps its usual memory."""
    segmenter = analysis.fast_segmenter()
    usual = segmenter.blocks_remembered
    segmenter.blocks_remembered = limit
    try:
        yield
    finally:
        segmenter.blocks_remembered = usual
        segmenter.forget_blocks()


def write_documents(writer, documents: Iterator[dict], tick: Callable[[int], None]) -> int:
    """Add the documents; the writer analyses them (in its worker processes, if it has any)."""
    count = 0
    for document in documents:
        writer.add_document(**engine.index_fields(document))
        count += 1
        tick(1)
    return count


def rebuild(db_engine, index_dir: str | Path, procs: int = 1, progress: Callable | None = None) -> dict:
    """Build a complete index of the published cases in a fresh directory and swap it in."""
    started = time.perf_counter()
    with rebuild_lock(index_dir):
        build = engine.new_generation_dir(index_dir)
        state = sync.snapshot_state(db_engine)
        with Session(db_engine) as session:
            ids = published_ids(session)
            tick = progress(len(ids)) if progress else (lambda n: None)
            ix = engine.create_index(build)
            with remembering_blocks():
                writer = build_writer(ix, procs)
                try:
                    count = write_documents(writer, published_documents(session, ids), tick)
                    writer.commit()
                except BaseException:
                    writer.cancel()
                    raise
        stored = time.perf_counter()
        postings_store.write_missing(ix, procs)
        stored = time.perf_counter() - stored
        engine.write_state(build, state)
        sync.Applier().apply_pending(db_engine, str(build), lambda: engine.open_index(build))
        engine.swap_in(index_dir, build)
    return {"documents": count, "seconds": time.perf_counter() - started, "store_seconds": stored,
            "directory": str(build)}


def verify(db_engine, index_dir: str | Path) -> VerifyReport:
    """Compare the index with the published cases: missing, stale (changed since indexed) or extra."""
    indexed = engine.stored_versions(index_dir)
    report = VerifyReport()
    with Session(db_engine) as session:
        ids = published_ids(session)
        expected = {doc["id"]: (doc["version"], doc["fingerprint"], doc["slug"])
                    for doc in published_documents(session, ids)}
    for case_id, (version, fingerprint, slug) in expected.items():
        if case_id not in indexed:
            report.missing.append(slug)
        elif indexed[case_id] != (version, fingerprint):
            report.stale.append(slug)
    report.extra = sorted(case_id for case_id in indexed if case_id not in expected)
    return report


def repair(db_engine, index_dir: str | Path, report: VerifyReport) -> int:
    """Re-apply the drifting cases: upsert missing and stale ones, delete extra ones."""
    ix = engine.open_index(index_dir)
    with Session(db_engine) as session:
        ids = set(session.scalars(select(Case.id).where(Case.slug.in_(report.missing + report.stale))))
        ids |= {int(case_id) for case_id in report.extra}
        writer = ix.writer(timeout=30.0)
        try:
            sync.apply_cases(session, writer, ids)
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
    postings_store.write_missing(ix)
    return len(ids)

