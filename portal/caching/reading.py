"""The statements every public request runs before anything is rendered: one round trip each.

A cached page is answered from the content generation (and a page's own version, such as a case's
related list). Read through the request's ORM session, that cost PostgreSQL a BEGIN, the SELECT and
a ROLLBACK, each its own round trip. Read here instead, on a pooled connection in autocommit, it is
the SELECT alone, and a cached page leaves the session without a connection.

Reading the version before the page and in its own statement is safe: the page is rendered from what
the database holds afterwards, never older than the version it is stored under.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from portal.extensions import db


def read_rows(statement, parameters: dict | None = None) -> list:
    """Run a read-only statement in autocommit and return its rows; if the server dropped the pooled
    connection (a restart), run it once more on a fresh one instead of failing the page."""
    try:
        return _read(statement, parameters)
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        return _read(statement, parameters)


def _read(statement, parameters: dict | None) -> list:
    with db.engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT")
        return connection.execute(statement, parameters or {}).all()
