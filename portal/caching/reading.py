"""The statements every public request runs before anything is rendered: one round trip each.

A cached page is answered from the content generation (and a page's own version, such as a case's
related list). Read through the request's ORM session, that cost PostgreSQL a BEGIN, the SELECT and
a ROLLBACK, each its own round trip. Read here instead, in autocommit, it is the SELECT alone, and a
cached page leaves the session without a connection.

Each thread keeps one pooled connection for these reads, in autocommit, and runs the statements on
its driver cursor: checking a connection out and in, and SQLAlchemy's execution of a statement, cost
more client CPU than the query itself (most of what a page served from the cache costs). The held
connection is checked out of the engine's pool of this process, so a disposed pool (a fork, a test's
new app) or a dropped server connection gives the thread a fresh one.

Reading the version before the page and in its own statement is safe: the page is rendered from what
the database holds afterwards, never older than the version it is stored under.
"""

from __future__ import annotations

import os
import threading
from contextlib import suppress
from functools import lru_cache

from portal.extensions import db

_held = threading.local()


def read_rows(statement, parameters: dict | None = None) -> list:
    """Run a read-only statement in autocommit and return its rows; if the server dropped the held
    connection (a restart), run it once more on a fresh one instead of failing the page."""
    engine = db.engine
    try:
        return _read(engine, statement, parameters)
    except engine.dialect.loaded_dbapi.Error as error:
        held = getattr(_held, "connection", None)
        if not engine.dialect.is_disconnect(error, held and held.dbapi_connection, None):
            raise
        drop_held_connection()
        engine.dispose()  # the server dropped the others too (a restart): the session's are replaced as well
        return _read(engine, statement, parameters)


def _read(engine, statement, parameters: dict | None) -> list:
    sql, names, positional = compiled(engine.dialect, statement)
    values = parameters or {}
    arguments = tuple(values[name] for name in names) if positional else values
    cursor = held_connection(engine).cursor()
    try:
        cursor.execute(sql, arguments)
        return cursor.fetchall()
    finally:
        cursor.close()


@lru_cache(maxsize=64)
def compiled(dialect, statement) -> tuple[str, tuple[str, ...], bool]:
    """The driver's SQL for a plain statement, the order of its parameters, and whether they are positional."""
    result = statement.compile(dialect=dialect)
    return result.string, tuple(result.positiontup or ()), bool(dialect.positional)


def held_connection(engine):
    """This thread's connection for version reads, checked out of `engine`'s current pool."""
    if getattr(_held, "pool", None) is not engine.pool or _held.pid != os.getpid():
        drop_held_connection()
        connection = engine.raw_connection()
        engine.dialect.set_isolation_level(connection.dbapi_connection, "AUTOCOMMIT")
        _held.connection, _held.pool, _held.pid = connection, engine.pool, os.getpid()
    return _held.connection.dbapi_connection


def drop_held_connection() -> None:
    """Give this thread's held connection back (a process forked since owns none: its copy is forgotten)."""
    connection, pid = getattr(_held, "connection", None), getattr(_held, "pid", None)
    _held.connection = _held.pool = _held.pid = None
    if connection is None or pid != os.getpid():
        return
    with suppress(Exception):  # a dead connection may fail to close: it is gone either way
        connection.invalidate()  # closed, never back in the pool in autocommit
