"""Process lifecycle under gunicorn: what the master prepares once, and what each forked worker redoes."""

from __future__ import annotations

import gc
from importlib import import_module

from flask import Flask

from portal.extensions import db

# Modules a worker would otherwise import on its first search (each worker its own private copy).
SEARCH_MODULES = ("whoosh.codec.whoosh3", "whoosh.searching", "whoosh.scoring", "whoosh.highlight",
                  "whoosh.classify", "whoosh.automata.lev", "whoosh.filedb.filetables")


def before_forking(app: Flask) -> None:
    """Load in the master what every worker needs, then freeze it, so the workers share it.

    Templates and modules loaded after the fork are private to each worker. Python's cycle collector
    writes into every object it examines, which turns the shared pages of the preloaded app into
    private copies in each worker; `gc.freeze()` takes what the master holds out of its sight.
    """
    for name in SEARCH_MODULES:
        import_module(name)
    for template in app.jinja_env.list_templates(extensions=("html", "txt", "xml")):
        app.jinja_env.get_template(template)
    gc.collect()
    gc.freeze()


def after_fork(app: Flask) -> None:
    """Drop the database connections inherited from the master (each worker opens its own).

    Per-worker threads (the search poller) start lazily on the worker's first request.
    """
    with app.app_context():
        # close=False: the sockets belong to the master too; closing them here would break it.
        for engine in db.engines.values():
            engine.dispose(close=False)
