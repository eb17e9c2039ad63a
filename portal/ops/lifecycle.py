"""Process lifecycle under gunicorn: what each forked worker must redo for itself."""

from __future__ import annotations

from flask import Flask

from portal.extensions import db


def after_fork(app: Flask) -> None:
    """Drop the database connections inherited from the master (each worker opens its own).

    Per-worker threads (the search poller) start lazily on the worker's first request.
    """
    with app.app_context():
        # close=False: the sockets belong to the master too; closing them here would break it.
        for engine in db.engines.values():
            engine.dispose(close=False)
