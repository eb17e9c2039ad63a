"""Start each test from an empty, migrated database (SQLite or PostgreSQL)."""

from __future__ import annotations

import time

from sqlalchemy import MetaData, text
from sqlalchemy.exc import OperationalError

from portal.extensions import db


def drop_everything() -> None:
    """Remove every table, including alembic_version, so migrations start from nothing."""
    # Reflect into a separate MetaData: reflecting into db.metadata would add alembic_version to
    # the models' tables, and every test would then empty it.
    existing = MetaData()
    existing.reflect(bind=db.engine)
    existing.drop_all(bind=db.engine)


def empty_all_tables(attempts: int = 5) -> None:
    """Delete every row so each test starts from an empty, migrated schema."""
    for attempt in range(1, attempts + 1):
        try:
            delete_all_rows()
            return
        except OperationalError:
            # PostgreSQL aborts one side of a deadlock: a search apply the previous test left
            # running can still hold row locks the DELETEs wait for. It finishes; retry.
            db.session.rollback()
            if attempt == attempts:
                raise
            time.sleep(0.2 * attempt)


def delete_all_rows() -> None:
    # DELETE, not TRUNCATE: on tables this small it is far cheaper on PostgreSQL, where each TRUNCATE
    # makes new files for every table and syncs them.
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL lock_timeout = '10s'"))
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(
            "SELECT setval(oid, 1, false) FROM pg_class WHERE relkind = 'S'"
            " AND relnamespace = 'public'::regnamespace"))
    db.session.commit()
