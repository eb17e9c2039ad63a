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
            # running can still be reading while TRUNCATE takes its locks. It finishes; retry.
            db.session.rollback()
            if attempt == attempts:
                raise
            time.sleep(0.2 * attempt)


def delete_all_rows() -> None:
    tables = db.metadata.sorted_tables
    if db.engine.dialect.name == "postgresql":
        quote = db.engine.dialect.identifier_preparer.quote
        names = ", ".join(quote(table.name) for table in tables)
        db.session.execute(text("SET LOCAL lock_timeout = '10s'"))
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            db.session.execute(table.delete())
    db.session.commit()

