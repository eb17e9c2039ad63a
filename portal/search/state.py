"""The search feature's state in one process, owned by the app at app.extensions["search"].

One object holds what outlives a request: the open index, each thread's searcher, data derived once
per index generation or per segment, the outbox applier, the poller thread, background rebuilds, when
the outbox was last pruned, and the suggestion and synonym caches.
"""

from __future__ import annotations

import logging
import os
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app, has_app_context

from portal.search import engine, rebuild, related, sync

log = logging.getLogger(__name__)
EXTENSION = "search"
# Segments are immutable, so data read from one stays valid; this bounds the cache, not its truth.
MAX_CACHED_SEGMENTS = 512
# Derived data kept for this many recent index generations (threads may still read the previous one).
KEPT_GENERATIONS = 2
LOCKS = " locks"  # the key, in a generation's derived data, of the locks guarding their computation


@dataclass(eq=False)
class Snapshot:
    """One generation of the live index as this thread reads it, and the data derived from it."""

    searcher: object
    generation: tuple[str, int]
    derived: dict


@dataclass(eq=False)
class SearchState:
    """Everything search keeps between requests in this process, for one app."""

    app: Flask
    index_dir: str
    applier: sync.Applier = field(default_factory=sync.Applier)
    _indexes: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _threads: threading.local = field(default_factory=threading.local)
    _derived: dict = field(default_factory=dict)
    _segments: dict = field(default_factory=dict)
    _segment_locks: dict = field(default_factory=dict)
    _derived_by_searcher: weakref.WeakKeyDictionary = field(default_factory=weakref.WeakKeyDictionary)
    _rebuilds: set = field(default_factory=set)
    _poller_pid: int | None = None
    # When this process's poller last pruned the outbox (time.monotonic(); 0: not yet).
    pruned_at: float = 0.0
    # Caches other search modules keep for this app (suggestions, synonyms), by name.
    _caches: dict = field(default_factory=dict)

    # --- the index and its searchers ----------------------------------------------------------

    def open_index(self):
        """Return the live index, opened once per generation directory; raise IndexUnavailable."""
        real = str(engine.live_dir(self.index_dir))
        with self._lock:
            ix = self._indexes.get(real)
            if ix is None or engine.generation(ix) < 0:  # never opened, or its files were removed
                self._indexes = {}
                ix = engine.open_index(self.index_dir)
                self._indexes = {real: ix}  # a swapped-out directory is never read again
            return ix

    def forget_indexes(self) -> None:
        """Drop the open index, as a fresh process would start (after it was replaced or damaged)."""
        with self._lock:
            self._indexes = {}

    def snapshot(self) -> Snapshot:
        """Return this thread's view of the live index, reopened whenever its generation changes.

        Searcher.refresh() is never used: it can return duplicate documents after merges
        (engine.open_searcher keeps the previous searcher's unchanged segment readers instead).
        """
        ix = self.open_index()
        key = (ix.storage.folder, engine.generation(ix))
        current = getattr(self._threads, "snapshot", None)
        if current is not None and current.generation == key:
            return current
        if current is not None:
            del self._threads.snapshot  # its searcher is reused in part and closed by open_searcher
        try:
            searcher = engine.open_searcher(ix, previous=current.searcher if current is not None else None)
        except Exception as error:  # noqa: BLE001  (files vanished or damaged since the index was opened)
            self.forget_indexes()
            raise engine.IndexUnavailable(f"unreadable index in {ix.storage.folder}: {error}") from error
        fresh = Snapshot(searcher=searcher, generation=key, derived=self.derived_for(key))
        self._derived_by_searcher[searcher] = fresh.derived
        self._threads.snapshot = fresh
        return fresh

    def release_searcher(self) -> None:
        """Close this thread's searcher, keeping what was derived from its generation (a process
        forked afterwards opens its own index files and reuses the derived data)."""
        current = getattr(self._threads, "snapshot", None)
        if current is not None:
            del self._threads.snapshot
            current.searcher.close()

    def derived_for(self, key: tuple[str, int]) -> dict:
        """Return the shared dict of data derived from one index generation."""
        with self._lock:
            derived = self._derived.get(key)
            if derived is None:
                derived = self._derived[key] = {}
                for old in list(self._derived)[:-KEPT_GENERATIONS]:
                    del self._derived[old]
            return derived

    def derived_before(self, derived: dict) -> dict:
        """Return the derived data of the generation this process opened before `derived`'s ({} if
        none is kept): the one a new generation most likely extends by a segment."""
        with self._lock:
            kept = list(self._derived.values())
        for older, newer in zip(kept, kept[1:], strict=False):
            if newer is derived:
                return older
        return {}

    def lock_for(self, derived: dict, name: str) -> threading.Lock:
        """Return the lock guarding the computation of one derived value of one generation."""
        with self._lock:
            return derived.setdefault(LOCKS, {}).setdefault(name, threading.Lock())

    def derived_of(self, searcher) -> dict | None:
        """Return the derived data of the generation `searcher` reads (None if the state did not open it)."""
        return self._derived_by_searcher.get(searcher)

    def segment_value(self, name: str, segment_reader, compute: Callable[[], object]):
        """Return `compute()` for one immutable segment, computed once whatever generation holds it
        (a second thread asking meanwhile waits for the first's result). Whoosh gives every segment a
        random id, so the id alone names its immutable contents."""
        key = (name, segment_reader.segment().segment_id())
        value = self._segments.get(key)
        if value is not None:
            return value
        with self._lock:
            guard = self._segment_locks.setdefault(key, threading.Lock())
        with guard:
            value = self._segments.get(key)
            if value is None:
                if len(self._segments) > MAX_CACHED_SEGMENTS:
                    self._segments.clear()
                    self._segment_locks = {key: guard}
                value = self._segments[key] = compute()
        return value

    def cache(self, name: str, make: Callable[[], object]):
        """Return this app's cache called `name`, made by `make()` the first time it is asked for."""
        with self._lock:
            found = self._caches.get(name)
            if found is None:
                found = self._caches[name] = make()
            return found

    # --- background work -----------------------------------------------------------------------

    def is_rebuilding(self) -> bool:
        """Return True while this process or another rebuilds the index."""
        return self.index_dir in self._rebuilds or rebuild.is_rebuilding(self.index_dir)

    def start_rebuild(self, db_engine) -> None:
        """Rebuild the index in a background thread unless a rebuild is already under way."""
        with self._lock:
            if self.is_rebuilding():
                return
            self._rebuilds.add(self.index_dir)
        threading.Thread(target=self.rebuild_now, args=(db_engine,), name="search-rebuild", daemon=True).start()

    def rebuild_now(self, db_engine) -> None:
        try:
            rebuild.rebuild(db_engine, self.index_dir)
            related.refresh_missing(db_engine, engine.open_index(self.index_dir))
        except Exception:
            log.exception("background rebuild of %s failed", self.index_dir)
        finally:
            self._rebuilds.discard(self.index_dir)

    def ensure_poller(self, poll: Callable[[Flask], None]) -> None:
        """Start this process's poller once (lazily, so gunicorn --preload forks it in each worker)."""
        if self._poller_pid == os.getpid() or not self.app.config.get("SEARCH_BACKGROUND_SYNC"):
            return
        with self._lock:
            if self._poller_pid == os.getpid():
                return
            self._poller_pid = os.getpid()
        threading.Thread(target=poll, args=(self.app,), name="search-sync", daemon=True).start()


def install(app: Flask) -> SearchState:
    """Create the app's search state."""
    state = app.extensions[EXTENSION] = SearchState(app=app, index_dir=app.config["SEARCH_INDEX_DIR"])
    return state


def current() -> SearchState:
    """Return the search state of the app handling this request or command."""
    return current_app.extensions[EXTENSION]


def memo(searcher, name, compute: Callable[[], object]):
    """Return `compute()` once per index generation: kept in the app's search state for the generation
    `searcher` reads (never on the Searcher object); computed afresh for a searcher the state did not open.
    A thread asking for a value another thread is computing waits for it (no work done twice)."""
    search_state = current() if has_app_context() else None
    derived = search_state.derived_of(searcher) if search_state is not None else None
    if derived is None:
        return compute()
    value = derived.get(name)
    if value is None:
        with search_state.lock_for(derived, name):
            value = derived.get(name)
            if value is None:
                value = derived[name] = compute()
    return value


def per_segment(name: str, segment_reader, compute: Callable[[], object]):
    """Return `compute()` for one immutable index segment, once per segment (per app)."""
    if not has_app_context() or segment_reader.segment() is None:
        return compute()
    return current().segment_value(name, segment_reader, compute)


def previous_value(searcher, name):
    """Return what the generation opened before `searcher`'s derived as `name`, if it is still kept
    and was computed (None otherwise): never computes it."""
    search_state = current() if has_app_context() else None
    derived = search_state.derived_of(searcher) if search_state is not None else None
    return search_state.derived_before(derived).get(name) if derived is not None else None
