"""Search as the rest of the portal sees it: search, related cases, status, and keeping the index in step."""

from __future__ import annotations

import logging
import os
import threading
import time

from flask import Flask, current_app, has_app_context
from sqlalchemy import func, select
from whoosh.query import AndNot, Or, Term

from portal.cases.models import Case
from portal.extensions import db
from portal.search import engine, pruning, rebuild, searching, sync
from portal.search.engine import IndexUnavailable
from portal.search.parsing import word_clause

log = logging.getLogger(__name__)
# Up to this many published cases, a missing index is rebuilt inline on first use; above, in a thread.
INLINE_REBUILD_LIMIT = 2000


def index_dir() -> str:
    return current_app.config["SEARCH_INDEX_DIR"]


def open_or_rebuild():
    """Open the live index, rebuilding it first if it is missing or corrupt."""
    path = index_dir()
    try:
        return engine.open_index(path)
    except IndexUnavailable as error:
        return recover(path, error)


def recover(path: str, error: IndexUnavailable):
    """Rebuild a missing or unreadable index: inline when small, else in a thread (raising meanwhile)."""
    if rebuild.is_rebuilding(path):
        raise IndexUnavailable("rebuilding") from error
    log.warning("search index unusable (%s); rebuilding", error)
    db_engine = db.engine
    with db_engine.connect() as connection:
        published = connection.execute(
            select(func.count()).select_from(Case).where(Case.status == "published")).scalar_one()
    if os.path.lexists(path):
        try:
            return engine.open_index(path)  # another process may have just rebuilt it
        except IndexUnavailable:
            engine.move_aside(path)
    if published > INLINE_REBUILD_LIMIT:
        start_background_rebuild(db_engine, path)
        raise IndexUnavailable("rebuilding") from error
    rebuild.rebuild(db_engine, path)
    return engine.open_index(path)


_background_rebuilds: set[str] = set()


def start_background_rebuild(db_engine, path: str) -> None:
    if path in _background_rebuilds:
        return
    _background_rebuilds.add(path)

    def run():
        try:
            rebuild.rebuild(db_engine, path)
        except Exception:
            log.exception("background rebuild of %s failed", path)
        finally:
            _background_rebuilds.discard(path)

    threading.Thread(target=run, name="search-rebuild", daemon=True).start()


def search(request: searching.SearchRequest) -> searching.SearchResult:
    """Run a reader's search; while the index is being rebuilt, say so instead of failing."""
    try:
        open_or_rebuild()
        return searching.run(index_dir(), request)
    except IndexUnavailable:
        return searching.unavailable(request)


def apply_now() -> int:
    """Apply pending outbox entries to this instance's index (non-blocking on the index lock)."""
    return sync.apply_pending(db.engine, index_dir(), open_or_rebuild)


def apply_after_commit(_session) -> None:
    """Bring the index up to date right after a commit that wrote outbox rows."""
    if not has_app_context():
        return
    try:
        apply_now()
    except Exception:  # the change is committed; the poller or `portal search verify` will catch up
        log.exception("applying the search outbox after commit failed")


def related_cases(case: Case, limit: int = 5) -> list[Case]:
    """Return up to `limit` published cases most like `case` (shared tags and key terms)."""
    try:
        open_or_rebuild()
        searcher = engine.searcher(index_dir())
    except IndexUnavailable:
        return []
    text = " ".join([case.title or "", " ".join(case.tag_names), case.summary or ""])
    terms = [term for term, _ in searcher.key_terms_from_text(engine.TEXT, text, numterms=12)]
    clauses = [Term("tags", tag, boost=3.0) for tag in case.tag_names] + [word_clause(t) for t in terms]
    if not clauses:
        return []
    results = searcher.search(AndNot(Or(clauses), Term("id", str(case.id))), limit=limit)
    slugs = [hit["slug"] for hit in results]
    found = {c.slug: c for c in db.session.scalars(
        select(Case).where(Case.slug.in_(slugs), Case.status == "published"))}
    return [found[slug] for slug in slugs if slug in found]


def index_status() -> dict:
    """Return the index's health for /healthz: documents, generation, backlog, position, rebuilding."""
    path = index_dir()
    status = {"documents": 0, "generation": -1, "pending_outbox": 0, "last_applied_id": 0,
              "rebuilding": rebuild.is_rebuilding(path) or path in _background_rebuilds}
    try:
        open_or_rebuild()
        status["documents"] = engine.document_count(path)
        status["generation"] = engine.generation(path)
    except IndexUnavailable:
        status["rebuilding"] = True
    status["last_applied_id"] = engine.read_state(path)["last_id"]
    status["pending_outbox"] = sync.pending_count(db.engine, path)
    return status


_pollers: dict[tuple[int, int], threading.Thread] = {}
_pollers_lock = threading.Lock()


def ensure_background_sync(app: Flask) -> None:
    """Start this worker's poller thread once (lazily, so gunicorn --preload forks it in workers)."""
    if not app.config.get("SEARCH_BACKGROUND_SYNC"):
        return
    key = (os.getpid(), id(app))
    if key in _pollers:
        return
    with _pollers_lock:
        if key in _pollers:
            return
        thread = threading.Thread(target=poll, args=(app,), name="search-sync", daemon=True)
        _pollers[key] = thread
        thread.start()


def poll(app: Flask) -> None:
    """Apply other processes' and machines' changes every SEARCH_SYNC_INTERVAL seconds."""
    interval = float(app.config.get("SEARCH_SYNC_INTERVAL", 0.5))
    while True:
        time.sleep(interval)
        try:
            with app.app_context():
                apply_now()
                pruning.prune_now_and_then()
                db.session.remove()
        except Exception:
            log.exception("search sync poll failed")
            time.sleep(min(30.0, interval * 10))
