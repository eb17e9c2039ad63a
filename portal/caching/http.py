"""HTTP caching of public pages: ETag and 304, Cache-Control, and a page cache for anonymous readers.

A public page (a view marked with @public_page) requested by an anonymous reader is keyed by its
path and query plus the content version (the database's content generation and whatever the
features add, such as how far this machine's search index has caught up). The ETag is derived from
that key, so a conditional request is answered 304 before anything is rendered, and a rendered
page is kept in a cache shared by the workers of the machine. Anything rendered for a signed-in
user, and every page not marked public, is `private, no-store`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from flask import Response, current_app, g, request, session
from flask_login import current_user
from werkzeug.datastructures import Headers

from portal.caching import generation, rendering

STATIC_ENDPOINT_SUFFIX = "static"
PRIVATE = "private, no-store"
# Headers a view sets that belong to the page itself (kept with a cached copy); the rest are per request.
PAGE_HEADERS = ("Content-Type", "Content-Disposition", "Link", "Content-Language")
# Headers of the page as sent, kept with it: its encoding and the validator that names that encoding.
SENT_HEADERS = ("Content-Encoding", "Vary", "ETag")


@dataclass(frozen=True)
class PublicRequest:
    """An anonymous reader's request for a public page: its cache key and ETag."""

    key: str
    etag: str


def public_page(view: Callable | None = None, *, version: Callable[[], object] | None = None,
                versioned_by: Callable[[], str] | None = None):
    """Mark a view whose GET response is the same for every anonymous reader (cacheable).

    `version()`, if given, is part of the page's content version besides the content generation
    (a search page also changes when this machine's index catches up with the database).
    `versioned_by()`, if given, is the page's whole content version instead of the generation: it
    must name everything the page shows (a case page: the shared generation and its cases' stamps).
    """
    def mark(function: Callable) -> Callable:
        function.public_page = PageVersion(versioned_by) if versioned_by else version or True
        return function

    return mark(view) if view is not None else mark


@dataclass(frozen=True)
class PageVersion:
    """A page's own content version, read instead of the content generation."""

    read: Callable[[], str]


def page_marker():
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "public_page", None)


def do_not_store() -> None:
    """Keep this response out of every cache (e.g. a search that logged a miss must log the next one)."""
    g.public_request = None
    release_render_lock()  # nothing will be stored for the workers waiting: they render their own


def is_public_endpoint() -> bool:
    return page_marker() is not None and request.method in ("GET", "HEAD")


def is_personal_request() -> bool:
    """Tell whether this response may show something of this visitor's own (a login, a message).

    A request without cookies carries neither a login nor a flashed message (most readers, every
    proxy revalidation): answering that needs no session decoding or user loading.
    """
    if not request.cookies:
        return False
    return current_user.is_authenticated or "_flashes" in session


def content_version() -> str:
    """Return the version of what this page shows: the code's release and the content generation,
    plus the page's own part."""
    marker = page_marker()
    release = current_app.extensions["caching"].release
    if isinstance(marker, PageVersion):
        return f"{release}.{marker.read()}"
    own = f".{marker()}" if callable(marker) else ""
    return f"{release}.{generation.current()}{own}"


def public_request() -> PublicRequest:
    version = content_version()
    key = f"page:{version}:{request.full_path}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]
    return PublicRequest(key=key, etag=f"{version}-{digest}")


def matches(etag: str) -> bool:
    """Does If-None-Match name this page (also as Flask-Compress suffixes it, "etag:gzip")?"""
    wanted = request.if_none_match
    if not wanted:
        return False
    return wanted.star_tag or any(tag == etag or tag.startswith(f"{etag}:") for tag in wanted.as_set(True))


def public_headers(response: Response, etag: str) -> Response:
    settings = current_app.config
    response.headers["Cache-Control"] = (
        f"public, max-age={settings['HTTP_CACHE_MAX_AGE']}, "
        f"stale-while-revalidate={settings['HTTP_CACHE_STALE_WHILE_REVALIDATE']}")
    response.set_etag(etag)
    response.vary.add("Cookie")  # a signed-in visitor gets a private page at the same address
    return response


def not_modified(etag: str) -> Response:
    response = public_headers(Response(status=304), etag)
    # Answer with the validator the client holds (Flask-Compress adds ":gzip" to compressed ones).
    for tag in request.if_none_match.as_set(True):
        if tag.startswith(f"{etag}:"):
            response.set_etag(tag)
    return response


def private_headers(response: Response) -> Response:
    """Forbid keeping anything rendered for this visitor; other views' own choices (static files,
    uploaded images) stand."""
    if is_public_endpoint():
        response.headers["Cache-Control"] = PRIVATE
    elif not (request.endpoint or "").endswith(STATIC_ENDPOINT_SUFFIX):
        response.headers.setdefault("Cache-Control", PRIVATE)
    return response


def stored_key(public: PublicRequest) -> str:
    """The page's cache key for this reader's Accept-Encoding: the copy is kept as it was sent,
    compressed by Flask-Compress, so a hit costs no compression."""
    return f"{public.key}\n{request.headers.get('Accept-Encoding', '')}"


def before_request():
    """Answer an anonymous reader's public GET with 304 or the cached page when possible."""
    g.public_request = None
    if not is_public_endpoint() or is_personal_request():
        return None
    public = g.public_request = public_request()
    if matches(public.etag):
        return not_modified(public.etag)
    state = current_app.extensions["caching"]
    cached = state.pages.get(stored_key(public))
    if cached is None:
        # One worker renders it; the others wait for its copy (a publish turns every page over at once).
        g.render_lock, cached = state.render_locks.claim(stored_key(public), lambda: state.pages.get(stored_key(public)))
        if cached is None:
            return None
    body, headers = cached
    g.served_from_cache = Headers(headers)
    return Response(body, headers=headers)


def release_render_lock(_error=None) -> None:
    """Let the workers waiting for this page go (after it was stored, or if it failed)."""
    rendering.release(g.pop("render_lock", None))


def after_request(response: Response) -> Response:
    """Say who may keep the response (an anonymous reader's fresh public page: everyone)."""
    public = g.get("public_request")
    if public is None or response.status_code not in (200, 304) or session.modified:
        return private_headers(response)
    if response.status_code == 304:
        return response  # not_modified() said who may keep it
    return public_headers(response, public.etag)


def store_page(response: Response) -> Response:
    """Keep an anonymous reader's fresh public page as sent (the last after-request hook, so after
    compression); give a page served from the cache the validator it was stored with."""
    public, served = g.get("public_request"), g.get("served_from_cache")
    if public is None or response.status_code != 200 or session.modified or response.is_streamed:
        return response
    if served is not None:
        for name in SENT_HEADERS:
            if name in served:
                response.headers[name] = served[name]
        return response
    headers = [(name, value) for name, value in response.headers.items() if name in PAGE_HEADERS + SENT_HEADERS]
    state = current_app.extensions["caching"]
    state.pages.set(stored_key(public), (response.get_data(), headers))
    response.call_on_close(state.stored)
    return response
