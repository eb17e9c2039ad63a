"""Search as the rest of the portal sees it: search, related cases, status, and keeping the index in step."""

from __future__ import annotations

import logging
import os
import time

from flask import Flask, has_app_context
from sqlalchemy import func, select

from portal import caching
from portal.cases.models import Case
from portal.content.pipeline import BULK_IMPORT
from portal.extensions import db
from portal.search import engine, pruning, rebuild, related, searching, state, sync
from portal.search.engine import IndexUnavailable

log = logging.getLogger(__name__)
# Up to this many published cases, a missing index is rebuilt inline on first use; above, in a thread.
INLINE_REBUILD_LIMIT = 2000


def open_or_rebuild():
    """Open the live index, rebuilding it first if it is missing or corrupt."""
    search_state = state.current()
    try:
        return search_state.open_index()
    except IndexUnavailable as error:
        return recover(search_state, error)


def recover(search_state: state.SearchState, error: IndexUnavailable):
    """Rebuild a missing or unreadable index: inline when small, else in a thread (raising meanwhile)."""
    if search_state.is_rebuilding():
        raise IndexUnavailable("rebuilding") from error
    log.warning("search index unusable (%s); rebuilding", error)
    path = search_state.index_dir
    if os.path.lexists(path):
        try:
            return search_state.open_index()  # another process may have just rebuilt it
        except IndexUnavailable:
            engine.move_aside(path)
    if published_count() > INLINE_REBUILD_LIMIT:
        search_state.start_rebuild(db.engine)
        raise IndexUnavailable("rebuilding") from error
    rebuild.rebuild(db.engine, path)
    ix = search_state.open_index()
    related.refresh_missing(db.engine, ix)
    return ix


def published_count() -> int:
    with db.engine.connect() as connection:
        return connection.execute(
            select(func.count()).select_from(Case).where(Case.status == "published")).scalar_one()


def search(request: searching.SearchRequest) -> searching.SearchResult:
    """Run a reader's search; while the index is being rebuilt, say so instead of failing."""
    try:
        open_or_rebuild()
        return searching.run(state.current().snapshot().searcher, request)
    except IndexUnavailable:
        caching.do_not_store()  # the notice must go once the index is back
        return searching.unavailable(request)


def apply_now() -> int:
    """Apply pending outbox entries to this instance's index (non-blocking on the index lock)."""
    search_state = state.current()
    return search_state.applier.apply_pending(db.engine, search_state.index_dir, open_or_rebuild,
                                              on_applied=refresh_related)


def merge_when_quiet() -> bool:
    """Merge the small segments this process's commits left, once it has been quiet for a moment."""
    search_state = state.current()
    return search_state.applier.merge_when_quiet(search_state.index_dir, open_or_rebuild)


def write_stores_when_idle() -> list[str]:
    """Write the postings stores this machine's index still lacks (large segments, an older index)."""
    search_state = state.current()
    return search_state.applier.write_stores_when_idle(search_state.index_dir, open_or_rebuild)


def refresh_related(ix, entries: list[tuple[int, int]]) -> None:
    """Recompute the related cases the applied entries affect; a failure never undoes the index update."""
    try:
        related.refresh(db.engine, ix, entries)
    except Exception:
        log.exception("recomputing related cases failed; they are recomputed with the next change")


def apply_after_commit(session) -> None:
    """Bring the index up to date right after a commit that wrote outbox rows (a bulk import's
    entries are left to the pollers, `portal search sync` or `reindex`)."""
    if session.info.pop(BULK_IMPORT, False) or not has_app_context():
        return
    try:
        apply_now()
    except Exception:  # the change is committed; the poller or `portal search verify` will catch up
        log.exception("applying the search outbox after commit failed")


def applied_position() -> int:
    """Return the last outbox entry this machine's index has applied."""
    return engine.read_state(state.current().index_dir)["last_id"]


def index_status() -> dict:
    """Return the index's health for /healthz without changing anything: documents, generation,
    backlog, position, and whether it is being rebuilt (a lost index starts rebuilding in the background)."""
    search_state = state.current()
    status = {"documents": 0, "generation": -1, "pending_outbox": 0, "last_applied_id": 0,
              "rebuilding": search_state.is_rebuilding()}
    try:
        snapshot = search_state.snapshot()
        status["documents"] = snapshot.searcher.doc_count()
        status["generation"] = snapshot.generation[1]
    except IndexUnavailable:
        status["rebuilding"] = True
        search_state.start_rebuild(db.engine)
    status["last_applied_id"] = engine.read_state(search_state.index_dir)["last_id"]
    status["pending_outbox"] = sync.pending_count(db.engine, search_state.index_dir)
    return status


def start_poller() -> None:
    """Start this process's outbox poller, once (the one place it is started)."""
    state.current().ensure_poller(poll)


def poll(app: Flask) -> None:
    """Apply other processes' and machines' changes every SEARCH_SYNC_INTERVAL seconds; merge the
    index's small segments once it is quiet. One process of the machine does it for its index
    (`sync.MachinePoller`); the others' threads only check now and then whether it has exited."""
    interval = float(app.config.get("SEARCH_SYNC_INTERVAL", 0.1))
    machine = sync.MachinePoller(app.extensions[state.EXTENSION].index_dir)
    while True:
        time.sleep(interval)
        if not machine.holds():
            continue
        try:
            with app.app_context():
                if not apply_now() and not merge_when_quiet():
                    write_stores_when_idle()
                pruning.prune_now_and_then()
                db.session.remove()
        except Exception:
            log.exception("search sync poll failed")
            time.sleep(min(30.0, interval * 10))
