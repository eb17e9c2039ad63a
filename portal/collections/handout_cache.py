"""Rendered handouts on disk, and the background worker that renders them before anyone asks.

A handout file is named after what it is (collection-3-teacher.docx …) plus a digest of its
content, so a change makes a new file and downloads never see a stale or half-written one.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from flask import Flask, current_app, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
EXTENSION_KEY = "handouts"


def cache_path(name: str, suffix: str, fingerprint: str) -> Path:
    """Return where the handout for this content lives (whether or not it exists yet)."""
    digest = hashlib.sha256(fingerprint.encode("utf-8")).hexdigest()[:20]
    return Path(current_app.instance_path) / "handouts" / f"{name}-{digest}.{suffix}"


def cached_file(target: Path, name: str, build: Callable[[], bytes]) -> Path:
    """Return `target`, building it first if it is missing; earlier editions are removed."""
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, build())
        remove_stale(target.parent, name, keep=target)
    return target


def write_atomically(target: Path, data: bytes) -> None:
    """Write the file under a temporary name and rename it, so readers never see half a file."""
    handle, temp = tempfile.mkstemp(dir=target.parent, suffix=".part")
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    os.replace(temp, target)


def remove_stale(folder: Path, name: str, keep: Path) -> None:
    """Delete earlier editions of the same handout (same name and format)."""
    for old in folder.glob(f"{name}-*{keep.suffix}"):
        # "case-1-*" also matches "case-12-<digest>"; only a bare digest after the name is ours.
        if old != keep and old.name[len(name) + 1:-len(keep.suffix)].isalnum():
            old.unlink(missing_ok=True)


class BackgroundRenderer:
    """One worker thread per process that renders handouts; each job runs at most once at a time."""

    def __init__(self, app: Flask, render_changed: Callable[[set, set], None] | None = None) -> None:
        self.app = app
        # Called with the ids of the collections and cases a web request's commit changed.
        self.render_changed = render_changed
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="handouts")
        self.running: set = set()
        self.again: dict = {}
        self.lock = threading.Lock()

    def submit(self, key, job: Callable[[], None]) -> bool:
        """Queue `job` (run in an app context); True if queued now.

        A job whose key is already running is run once more when that run ends: the running one may have
        read the content before this change was committed.
        """
        with self.lock:
            if key in self.running:
                self.again[key] = job
                return False
            self.running.add(key)
        self.pool.submit(self._run, key, job)
        return True

    def busy(self, key) -> bool:
        with self.lock:
            return key in self.running

    def _run(self, key, job: Callable[[], None] | None) -> None:
        while job is not None:
            try:
                with self.app.app_context():
                    job()
            except Exception:  # noqa: BLE001 - a failed render must not kill the worker; the next request retries
                log.exception("rendering handout %s failed", key)
            with self.lock:
                job = self.again.pop(key, None)
                if job is None:
                    self.running.discard(key)


def renderer() -> BackgroundRenderer | None:
    """Return the app's background renderer, or None when handouts are rendered on request."""
    return current_app.extensions.get(EXTENSION_KEY)


def init_app(app: Flask, render_changed: Callable[[set, set], None]) -> None:
    """Start the renderer and re-render handouts after a web request commits content changes."""
    if not app.config.get("HANDOUT_BACKGROUND_RENDER", True):
        return
    app.extensions[EXTENSION_KEY] = BackgroundRenderer(app, render_changed)
    # Sessions are one class per process: SQLAlchemy's registry keeps these listeners to one set.
    if not event.contains(Session, "after_flush", remember_changes):
        event.listen(Session, "after_flush", remember_changes)
        event.listen(Session, "after_commit", after_commit)
        event.listen(Session, "after_rollback", forget_changes)


CHANGES_KEY = "handout_changes"


def remember_changes(session: Session, _flush_context) -> None:
    """Note which collections and cases this flush changed."""
    from portal.cases.models import Case
    from portal.collections.models import Collection, CollectionItem

    collections, cases = session.info.setdefault(CHANGES_KEY, (set(), set()))
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Collection) and obj.id is not None:
            collections.add(obj.id)
        elif isinstance(obj, CollectionItem) and obj.collection_id is not None:
            collections.add(obj.collection_id)
        elif isinstance(obj, Case) and obj.id is not None and session.is_modified(obj):
            cases.add(obj.id)


def after_commit(session: Session) -> None:
    """Queue the changed handouts, but only for web requests: imports and CLI runs render on demand."""
    changes = session.info.pop(CHANGES_KEY, None)
    if not (changes and any(changes) and has_request_context()):
        return
    background = renderer()
    if background is not None and background.render_changed is not None:
        background.render_changed(*changes)


def forget_changes(session: Session) -> None:
    session.info.pop(CHANGES_KEY, None)
