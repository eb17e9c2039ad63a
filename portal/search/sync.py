"""Apply the outbox to an index directory: whoever holds the index write lock applies pending entries.

Applying re-reads each case's current state (published → upsert, anything else → delete), so it is
idempotent and entries can be applied twice without harm. Each index directory records the last
outbox id it applied, plus recent ids it has not seen yet ("gaps"): with PostgreSQL a transaction
holding id 10 can commit after one holding 11, so gaps are re-checked for GAP_SECONDS.
"""

from __future__ import annotations

import fcntl
import logging
import threading
import time

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, selectinload

from portal.cases.models import Case
from portal.search import engine, postings_store
from portal.search.documents import case_document
from portal.search.models import SearchOutbox

log = logging.getLogger(__name__)
BATCH_SIZE = 500
GAP_SECONDS = 60.0
MAX_GAPS = 5000
LOCKED = -1
# Small segments are merged after this long without a commit (engine.merge_small_segments).
QUIET_SECONDS = 1.0
# How often a worker that does not poll for its machine checks whether the one that did has exited.
POLLER_TAKEOVER_SECONDS = 1.0
# A commit writes the postings stores of segments up to this size while the publishing editor waits
# (~0.4 s of CPU at most); larger ones lacking a store (an index built before stores existed) are
# written by the poller when it has nothing to apply (Applier.write_stores_when_idle).
STORE_IN_COMMIT_DOCS = 1000


class Applier:
    """Applies the outbox to index directories, one thread at a time per directory in this process."""

    def __init__(self) -> None:
        self._locks: dict[str, threading.Lock] = {}
        self._rerun: dict[str, bool] = {}
        self._guard = threading.Lock()
        # Per directory: the index generation last seen, since when (time.monotonic()), and whether
        # a merge was tried in it.
        self._generation_seen: dict[str, tuple[tuple[str, int], float, bool]] = {}
        # The index generation whose segments all had a store when last looked at, per directory.
        self._stores_checked: dict[str, tuple[str, int]] = {}

    def lock_for(self, index_dir: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(str(index_dir), threading.Lock())

    def apply_pending(self, db_engine, index_dir: str, open_index, on_applied=None) -> int:
        """Apply every pending outbox entry this process can; return how many entries were applied.

        `on_applied(ix, entries)` runs after each committed batch, outside the index write lock.

        Never blocks on the index lock: if another thread or process holds it, that holder re-checks
        for pending entries after releasing it, so nothing committed before then is left behind.
        """
        applied, lock, key = 0, self.lock_for(index_dir), str(index_dir)
        if not has_pending(db_engine, index_dir):
            return 0  # the common case for the poller: one cheap query, no writer, no lock
        while True:
            if not lock.acquire(blocking=False):
                self._rerun[key] = True
                return applied
            try:
                self._rerun[key] = False
                count = drain(db_engine, index_dir, open_index, on_applied)
            finally:
                lock.release()
            if count == LOCKED:
                return applied
            applied += count
            if not (self._rerun.get(key) or has_pending(db_engine, index_dir)):
                return applied

    def merge_when_quiet(self, index_dir: str, open_index, now: float | None = None) -> bool:
        """Merge small segments once the index has had no commit (by any process) for QUIET_SECONDS,
        trying once per index generation and never blocking on the index lock; return whether it merged."""
        key, now = str(index_dir), time.monotonic() if now is None else now
        ix = open_index()
        generation = (ix.storage.folder, engine.generation(ix))
        seen = self._generation_seen.get(key)
        if seen is None or seen[0] != generation:
            self._generation_seen[key] = (generation, now, False)
            return False
        if seen[2] or now - seen[1] < QUIET_SECONDS:
            return False
        lock = self.lock_for(index_dir)
        if not lock.acquire(blocking=False):
            return False
        try:
            self._generation_seen[key] = (generation, seen[1], True)
            merged = engine.merge_small_segments(ix)
            if merged:
                postings_store.write_missing(ix)  # the merged segment's store
            return merged
        finally:
            lock.release()

    def write_stores_when_idle(self, index_dir: str, open_index) -> list[str]:
        """Write the postings stores commits left to later, once per index generation, by one
        process of the machine at a time; return the names written."""
        key, ix = str(index_dir), open_index()
        generation = (ix.storage.folder, engine.generation(ix))
        if self._stores_checked.get(key) == generation:
            return []
        with postings_store.writing_lock(ix.storage.folder) as allowed:
            if not allowed:
                return []
            written = postings_store.write_missing(ix)
        self._stores_checked[key] = generation
        return written


class MachinePoller:
    """Whether this process is the one that polls the outbox for an index directory: the first to
    lock `<index>.poller.lock` is, until it exits (the kernel then releases the lock and another
    process takes it over within POLLER_TAKEOVER_SECONDS). Every worker of a machine shares the
    index, so one poller applies other machines' changes for all of them; five pollers a machine
    cost five times the queries and CPU for nothing."""

    def __init__(self, index_dir: str) -> None:
        self.path = f"{index_dir.rstrip('/')}.poller.lock"
        self._handle = None
        self._next_try = 0.0

    def holds(self, now: float | None = None) -> bool:
        """Return True if this process polls (taking the lock if it is free, at most once a while)."""
        if self._handle is not None:
            return True
        now = time.monotonic() if now is None else now
        if now < self._next_try:
            return False
        self._next_try = now + POLLER_TAKEOVER_SECONDS
        handle = open(self.path, "a")  # noqa: SIM115  (kept open: the lock lives as long as the file)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._handle = handle
        return True

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def drain(db_engine, index_dir: str, open_index, on_applied=None) -> int:
    """Apply batches while holding the index write lock; LOCKED if someone else holds it."""
    total = 0
    while True:
        ix = open_index()
        try:
            writer = engine.try_writer(ix)
        except engine.LockError:
            return LOCKED if total == 0 else total
        # The directory this writer belongs to: a rebuild may swap the live path meanwhile.
        entries = apply_batch(db_engine, ix.storage.folder, writer)
        if entries:
            postings_store.write_missing(ix, largest=STORE_IN_COMMIT_DOCS)  # the new segment's store
        if entries and on_applied:
            on_applied(ix, entries)
        total += len(entries)
        if len(entries) < BATCH_SIZE:
            return total


def apply_batch(db_engine, directory: str, writer) -> list[tuple[int, int]]:
    """Apply one batch of outbox entries with `writer`, record the new position in `directory`, and
    return the (outbox id, case id) entries applied."""
    try:
        state = engine.read_state(directory)
        entries = fetch_entries(db_engine, state)
        if not entries:
            writer.cancel()
            return []
        with Session(db_engine) as session:
            apply_cases(session, writer, {case_id for _, case_id in entries})
        engine.commit_changes(writer)
    except BaseException:
        writer.cancel()
        raise
    engine.write_state(directory, advance(state, [entry_id for entry_id, _ in entries]))
    return entries


def fetch_entries(db_engine, state: dict) -> list[tuple[int, int]]:
    """Return (outbox id, case id) pairs after the recorded position, plus gaps that have appeared."""
    last_id, gaps = state["last_id"], [int(gap) for gap in state["gaps"]]
    with db_engine.connect() as connection:
        newer = connection.execute(
            select(SearchOutbox.id, SearchOutbox.case_id).where(SearchOutbox.id > last_id)
            .order_by(SearchOutbox.id).limit(BATCH_SIZE)).all()
        found = connection.execute(
            select(SearchOutbox.id, SearchOutbox.case_id).where(SearchOutbox.id.in_(gaps))).all() if gaps else []
    return [(row[0], row[1]) for row in [*found, *newer]]


def apply_cases(session: Session, writer, case_ids: set[int]) -> None:
    """Upsert the published cases among `case_ids` and delete the rest from the index."""
    cases = session.scalars(
        select(Case).where(Case.id.in_(case_ids))
        .options(selectinload(Case.tags), selectinload(Case.secondary_areas))).all()
    published = {case.id: case for case in cases if case.status == "published"}
    engine.delete_documents(writer, sorted(case_ids - set(published)))
    engine.index_documents(writer, (case_document(case) for case in published.values()))


def advance(state: dict, seen_ids: list[int], now: float | None = None) -> dict:
    """Return the state after applying `seen_ids`: new position, and gaps still worth watching."""
    now = time.time() if now is None else now
    seen = set(seen_ids)
    last_id = state["last_id"]
    newest = max([last_id, *seen])
    gaps = {int(gap): first for gap, first in state["gaps"].items()
            if int(gap) not in seen and now - first < GAP_SECONDS}
    missing = [gap for gap in range(last_id + 1, newest) if gap not in seen]
    for gap in missing[-MAX_GAPS:]:
        gaps.setdefault(gap, now)
    return {"last_id": newest, "gaps": {str(gap): first for gap, first in sorted(gaps.items())}}


def has_pending(db_engine, index_dir: str) -> bool:
    """Return True if the outbox holds entries this index has not applied yet."""
    return pending_count(db_engine, index_dir) > 0


def pending_count(db_engine, index_dir: str) -> int:
    state = engine.read_state(index_dir)
    gaps = [int(gap) for gap in state["gaps"]]
    statement, parameters = (PENDING_OR_GAPS, {"last_id": state["last_id"], "gaps": gaps}) if gaps else (
        PENDING_AFTER, {"last_id": state["last_id"]})
    with db_engine.connect() as connection:
        # Every poll asks this: in autocommit it is one round trip, not BEGIN, SELECT and ROLLBACK.
        connection.execution_options(isolation_level="AUTOCOMMIT")
        return connection.execute(statement, parameters).scalar_one()


# Built once, not per poll: building the statement and its cache key cost more CPU than running it.
PENDING_AFTER = select(func.count()).select_from(SearchOutbox).where(SearchOutbox.id > bindparam("last_id"))
PENDING_OR_GAPS = select(func.count()).select_from(SearchOutbox).where(
    (SearchOutbox.id > bindparam("last_id")) | SearchOutbox.id.in_(bindparam("gaps", expanding=True)))


def snapshot_state(db_engine) -> dict:
    """Return the position for a fresh build: the newest visible id, and invisible ids below it as gaps."""
    with db_engine.connect() as connection:
        newest = connection.execute(select(func.max(SearchOutbox.id))).scalar() or 0
        recent = set(connection.execute(
            select(SearchOutbox.id).where(SearchOutbox.id > newest - MAX_GAPS)).scalars())
    now = time.time()
    gaps = {str(gap): now for gap in range(max(1, newest - MAX_GAPS + 1), newest) if gap not in recent}
    return {"last_id": newest, "gaps": gaps}
