"""Pooled connections to a database server: ping only a connection that sat idle, not every checkout.

SQLAlchemy's pool_pre_ping sends a ping each time a connection leaves the pool: one more round trip
to PostgreSQL in every request, although a connection used a moment ago is as alive as a ping would
show. The portal pings a connection only when it has been idle for DATABASE_PING_AFTER_IDLE seconds;
one that fails is replaced before the request uses it (SQLAlchemy retries the checkout). A server
restart in the instant after a connection's last use is noticed by the statement itself: SQLAlchemy
then drops every older pooled connection, and public pages read their version again (caching/reading.py).
"""

from __future__ import annotations

import time
from functools import partial

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

LAST_USED = "portal_last_used"


def install(engine: Engine, idle_seconds: float | None) -> None:
    """Ping `engine`'s pooled connections before use when idle longer than `idle_seconds` (None: never)."""
    if idle_seconds is None or event.contains(engine, "checkin", note_last_use):
        return
    event.listen(engine, "checkin", note_last_use)
    event.listen(engine, "checkout", partial(ping_if_idle, dialect=engine.dialect, idle_seconds=idle_seconds))


def note_last_use(_dbapi_connection, record) -> None:
    if record is not None:
        record.info[LAST_USED] = time.monotonic()


def ping_if_idle(dbapi_connection, record, _proxy, *, dialect, idle_seconds: float) -> None:
    """Ping a connection idle for `idle_seconds` or more; a new one (never checked in) needs none."""
    last_used = record.info.get(LAST_USED)
    if last_used is None or time.monotonic() - last_used < idle_seconds:
        return
    try:
        dialect.do_ping(dbapi_connection)
    except dialect.loaded_dbapi.Error as error:
        if dialect.is_disconnect(error, dbapi_connection, None):
            raise exc.DisconnectionError(f"pooled connection lost while idle: {error}") from error
        raise
