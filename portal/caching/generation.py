"""Bump the content generation inside the transaction of any change a reader could see.

Features name the models whose changes show on public pages with `watch(Model, relevant)`; the
bump is an UPDATE on the flushing connection (as the search outbox is written), so it commits or
rolls back with the change itself.

Two counters: the generation (ROW_ID) moves with every such change; the shared generation
(SHARED_ROW_ID) with every change except those to rows of a `stamped` model, whose change instead
writes the row's own stamp (PageStamp). A page keyed by the shared generation plus the stamps of the
rows it shows (a case page) thus turns over when one of them changes, not on every publish.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import has_request_context, request
from sqlalchemy import event, insert, inspect, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from portal.caching.models import ROW_ID, SHARED_ROW_ID, ContentGeneration, PageStamp
from portal.caching.reading import read_rows
from portal.timeutil import utcnow

_watched: dict[type, Callable[[object], bool]] = {}
_stamped: set[type] = set()
# INSERT … ON CONFLICT DO UPDATE, in the dialect of each supported database.
UPSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def always(_obj) -> bool:
    return True


def watch(model: type, relevant: Callable[[object], bool] = always, *, stamped: bool = False) -> None:
    """Bump the generation when an instance of `model` for which `relevant(obj)` holds changes;
    `stamped`: write that row's stamp instead of bumping the shared generation."""
    _watched[model] = relevant
    if stamped:
        _stamped.add(model)


def listen() -> None:
    """Attach the flush listener to every SQLAlchemy session (once per process)."""
    if not event.contains(Session, "after_flush", bump_if_visible):
        event.listen(Session, "after_flush", bump_if_visible)


def bump_if_visible(session: Session, _flush_context) -> None:
    """Bump the generation once per flush that changes something public pages show."""
    visible = [obj for obj in (*session.new, *session.dirty, *session.deleted) if changes_public_pages(session, obj)]
    if not visible:
        return
    stamped = [obj for obj in visible if type(obj) in _stamped]
    bump(session.connection(), shared=len(stamped) < len(visible))
    if stamped:
        stamp(session.connection(), stamped)


def bump(connection, *, shared: bool = True) -> None:
    """Add one to the generation, and to the shared one unless only stamped rows changed (creating
    a missing row, if a database was emptied by hand)."""
    rows = (ROW_ID, SHARED_ROW_ID) if shared else (ROW_ID,)
    changed = connection.execute(
        update(ContentGeneration).where(ContentGeneration.id.in_(rows))
        .values(value=ContentGeneration.value + 1, changed_at=utcnow()))
    if changed.rowcount < len(rows):
        present = set(connection.scalars(select(ContentGeneration.id).where(ContentGeneration.id.in_(rows))))
        connection.execute(insert(ContentGeneration), [
            {"id": row, "value": 1, "changed_at": utcnow()} for row in rows if row not in present])


def stamp(connection, rows: list) -> None:
    """Set each row's stamp to the generation this change bumped to (in the same transaction)."""
    keys = sorted({(inspect(row).mapper.local_table.name, inspect(row).mapper.primary_key_from_instance(row)[0])
                   for row in rows})
    now = connection.scalar(CURRENT)
    statement = UPSERTS[connection.dialect.name](PageStamp)
    # Parameters, not one VALUES row per stamp with its own sub-select: an import stamps 10k cases at once.
    connection.execute(statement.on_conflict_do_update(
        index_elements=[PageStamp.table_name, PageStamp.row_id], set_={"generation": statement.excluded.generation}),
        [{"table_name": table, "row_id": row_id, "generation": now} for table, row_id in keys])


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
