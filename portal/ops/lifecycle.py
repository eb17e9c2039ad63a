"""Process lifecycle under gunicorn: what each forked worker must redo for itself."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from portal.extensions import db

AFTER_FORK_KEY = "portal.after_fork"


def on_worker_start(app: Flask, callback: Callable[[Flask], None]) -> None:
    """Ask for `callback(app)` to run in every forked worker (threads do not survive a fork)."""
    app.extensions.setdefault(AFTER_FORK_KEY, []).append(callback)


def after_fork(app: Flask) -> None:
    """Drop the database connections inherited from the master and start per-worker services."""
    with app.app_context():
        # close=False: the sockets belong to the master too; closing them here would break it.
        for engine in db.engines.values():
            engine.dispose(close=False)
    for callback in app.extensions.get(AFTER_FORK_KEY, []):
        callback(app)
    start_search_sync(app)


def start_search_sync(app: Flask) -> None:
    """Start the worker's outbox poller at boot, so an idle instance still catches up on other instances' edits."""
    if "search" not in app.blueprints:
        return
    from portal.search.service import ensure_background_sync

    ensure_background_sync(app)
