"""Process lifecycle under gunicorn: what the master prepares once, and what each forked worker redoes."""

from __future__ import annotations

import gc
import logging
from contextlib import contextmanager
from importlib import import_module

from flask import Flask
from sqlalchemy import select

from portal.caching.reading import drop_held_connection
from portal.cases.models import Case
from portal.extensions import db
from portal.ops.requestlog import WARM_UP
from portal.search import warmup

log = logging.getLogger(__name__)
# Modules a worker would otherwise import on its first search (each worker its own private copy).
SEARCH_MODULES = ("whoosh.codec.whoosh3", "whoosh.searching", "whoosh.scoring", "whoosh.highlight",
                  "whoosh.classify", "whoosh.automata.lev", "whoosh.filedb.filetables")
# One of each page type a reader opens (a case page is added from the library).
PAGES = ("/", "/cases", "/matrix", "/collections", "/search?q=治理", "/api/v1/cases", "/api/v1/search?q=治理",
         "/api/v1/suggest?q=治")


def before_forking(app: Flask) -> None:
    """Load in the master what every worker needs, then freeze it, so the workers share it.

    Templates, modules and data built after the fork are private to each worker. Python's cycle
    collector writes into every object it examines, which turns the shared pages of the preloaded
    app into private copies in each worker; `gc.freeze()` takes what the master holds out of its sight.
    """
    for name in SEARCH_MODULES:
        import_module(name)
    for template in app.jinja_env.list_templates(extensions=("html", "txt", "xml")):
        app.jinja_env.get_template(template)
    try:
        warm_up(app)
    except Exception:  # the workers then build what they need themselves: slower, not broken
        log.exception("warming up before forking the workers failed")
    gc.collect()
    gc.freeze()


def warm_up(app: Flask) -> bool:
    """Build the search data and read each page type once, as the first readers would; False when
    the index is not usable (a fresh install: the first worker's search rebuilds it).

    What a worker builds for its first search or page is its own; built here, it is shared: the
    search's per-generation tables, and the bytecode Python specializes in place as code runs.
    Starts no thread (a worker forked from a master running threads can inherit a held lock).
    """
    with app.test_request_context(), without_background_sync(app):
        ready = warmup.prepare()
        pages = [*PAGES, *case_pages()] if ready else []
    client = app.test_client()
    with without_background_sync(app):
        for path in pages:
            client.get(path, environ_base={WARM_UP: True})
    with app.app_context():
        db.session.remove()
        drop_held_connection()
        for engine in db.engines.values():
            engine.dispose()  # the workers open their own connections
    return ready


def case_pages() -> list[str]:
    slug = db.session.scalar(select(Case.slug).where(Case.status == "published").order_by(Case.id).limit(1))
    return [f"/cases/{slug}"] if slug else []


@contextmanager
def without_background_sync(app: Flask):
    """The search poller is a thread, started by a request: none in the master."""
    kept = app.config.get("SEARCH_BACKGROUND_SYNC")
    app.config["SEARCH_BACKGROUND_SYNC"] = False
    try:
        yield
    finally:
        app.config["SEARCH_BACKGROUND_SYNC"] = kept


def after_fork(app: Flask) -> None:
    """Drop the database connections inherited from the master (each worker opens its own).

    Per-worker threads (the search poller) start lazily on the worker's first request.
    """
    with app.app_context():
        # close=False: the sockets belong to the master too; closing them here would break it.
        for engine in db.engines.values():
            engine.dispose(close=False)
