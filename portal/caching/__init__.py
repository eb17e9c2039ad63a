"""Caching of public pages: content generation in the database, ETag/304, Cache-Control, page cache.

A low-level package: features mark their public views with `public_page` and name the models whose
changes readers see with `watch`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from flask_caching import Cache

from portal.caching.generation import watch
from portal.caching.http import do_not_store, public_page
from portal.caching.pruning import Pruner
from portal.caching.rendering import RenderLocks

__all__ = ["do_not_store", "init_app", "per_generation", "public_page", "watch"]


@dataclass
class CachingState:
    """The app's page cache, and the fingerprint of the code whose pages it holds."""

    pages: Cache
    release: str
    render_locks: RenderLocks
    pruner: Pruner | None = None  # for a cache on disk

    def stored(self) -> None:
        """Note that a page was written (the disk cache is pruned now and then, after the response)."""
        if self.pruner is not None:
            self.pruner.prune_if_due()


def init_app(app: Flask) -> None:
    """Create the page cache (files under the instance dir, shared by this machine's workers) and hooks.

    Registered after the features, so their request hooks (the search poller's start) run first.
    """
    from portal.caching import generation, http
    from portal.caching.release import code_fingerprint

    directory = Path(app.instance_path) / "page-cache"
    on_disk = app.config["PAGE_CACHE_TYPE"] == "FileSystemCache"
    pages = Cache(app, config={
        "CACHE_TYPE": app.config["PAGE_CACHE_TYPE"],
        "CACHE_DIR": str(directory),
        # On disk, cachelib's own threshold reads every cached file on every write once full: see pruning.py.
        "CACHE_THRESHOLD": 0 if on_disk else app.config["PAGE_CACHE_THRESHOLD"],
        "CACHE_DEFAULT_TIMEOUT": app.config["PAGE_CACHE_SECONDS"],
    })
    pruner = Pruner(directory, app.config["PAGE_CACHE_THRESHOLD"], app.config["PAGE_CACHE_SECONDS"]) if on_disk else None
    app.extensions["caching"] = CachingState(pages=pages, release=code_fingerprint(), pruner=pruner,
                                             render_locks=RenderLocks(Path(app.instance_path) / "page-locks"))
    generation.listen()
    app.before_request(http.before_request)
    app.after_request(http.after_request)
    app.teardown_request(http.release_render_lock)
    # First in the list, so Flask runs it last: it stores the page as sent (compressed, with its ETag).
    app.after_request_funcs.setdefault(None, []).insert(0, http.store_page)


def per_generation(name: str, compute: Callable[[], object]):
    """Return `compute()` as of the current content generation, computed once per generation for
    all of this machine's workers (plain, picklable values only)."""
    from flask import current_app

    from portal.caching.generation import current

    state = current_app.extensions["caching"]
    pages = state.pages
    key = f"value:{state.release}:{name}:{current()}"
    value = pages.get(key)
    if value is None:
        value = compute()
        pages.set(key, value)
    return value
