"""Bump the content generation inside the transaction of any change a reader could see.

Features name the models whose changes show on public pages with `watch(Model, relevant)`; the
bump is an UPDATE on the flushing connection (as the search outbox is written), so it commits or
rolls back with the change itself.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import has_request_context, request
from sqlalchemy import event, insert, text, update
from sqlalchemy.orm import Session

from portal.caching.models import ROW_ID, ContentGeneration
from portal.caching.reading import read_rows
from portal.timeutil import utcnow

_watched: dict[type, Callable[[object], bool]] = {}


def always(_obj) -> bool:
    return True


def watch(model: type, relevant: Callable[[object], bool] = always) -> None:
    """Bump the generation when an instance of `model` for which `relevant(obj)` holds changes."""
    _watched[model] = relevant


def listen() -> None:
    """Attach the flush listener to every SQLAlchemy session (once per process)."""
    if not event.contains(Session, "after_flush", bump_if_visible):
        event.listen(Session, "after_flush", bump_if_visible)


def bump_if_visible(session: Session, _flush_context) -> None:
    """Bump the generation once per flush that changes something public pages show."""
    if any(changes_public_pages(session, obj) for obj in (*session.new, *session.dirty, *session.deleted)):
        bump(session.connection())


def bump(connection) -> None:
    """Add one to the generation (creating its row if a database was emptied by hand)."""
    changed = connection.execute(
        update(ContentGeneration).where(ContentGeneration.id == ROW_ID)
        .values(value=ContentGeneration.value + 1, changed_at=utcnow()))
    if changed.rowcount == 0:
        connection.execute(insert(ContentGeneration).values(id=ROW_ID, value=1, changed_at=utcnow()))


def changes_public_pages(session: Session, obj) -> bool:
    relevant = _watched.get(type(obj))
    if relevant is None:
        return False
    if obj in session.dirty and not session.is_modified(obj):
        return False
    return relevant(obj)


# Read on every public request (ETag and cache key): a plain statement built once, since building and
# compiling an ORM select cost more than the query itself.
CURRENT = text(f"SELECT value FROM {ContentGeneration.__tablename__} WHERE id = {ROW_ID}")
# A reading request reads it once: its page and the per-generation values the page uses share it.
READ_IN_REQUEST = "portal.content_generation"


def current() -> int:
    """Return the content generation as the database holds it now (once per GET request)."""
    if not (has_request_context() and request.method in ("GET", "HEAD")):
        return read_current()
    known = request.environ.get(READ_IN_REQUEST)
    if known is None:
        known = request.environ[READ_IN_REQUEST] = read_current()
    return known


def read_current() -> int:
    rows = read_rows(CURRENT)
    return (rows[0][0] if rows else 0) or 0
