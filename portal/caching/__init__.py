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

__all__ = ["do_not_store", "init_app", "per_generation", "public_page", "watch"]


@dataclass
class CachingState:
    """The app's page cache, and the fingerprint of the code whose pages it holds."""

    pages: Cache
    release: str


def init_app(app: Flask) -> None:
    """Create the page cache (files under the instance dir, shared by this machine's workers) and hooks.

    Registered after the features, so their request hooks (the search poller's start) run first.
    """
    from portal.caching import generation, http
    from portal.caching.release import code_fingerprint

    pages = Cache(app, config={
        "CACHE_TYPE": app.config["PAGE_CACHE_TYPE"],
        "CACHE_DIR": str(Path(app.instance_path) / "page-cache"),
        "CACHE_THRESHOLD": app.config["PAGE_CACHE_THRESHOLD"],
        "CACHE_DEFAULT_TIMEOUT": app.config["PAGE_CACHE_SECONDS"],
    })
    app.extensions["caching"] = CachingState(pages=pages, release=code_fingerprint())
    generation.listen()
    app.before_request(http.before_request)
    app.after_request(http.after_request)



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
