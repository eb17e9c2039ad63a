"""Pages keyed by what they show: the shared generation plus the stamps of the rows on the page.

A feature names the rows a page shows in one plain statement (see cases/page_version.py); these
helpers join each row to its stamp (PageStamp) and digest the result into the page's version.
"""

from __future__ import annotations

import hashlib

from portal.caching.models import PageStamp


def stamp_join(table: str, row_id: str, alias: str = "s") -> str:
    """SQL joining the stamp of row `row_id` (an SQL expression) of `table` as `alias`.generation."""
    return (f"LEFT JOIN {PageStamp.__tablename__} {alias} "
            f"ON {alias}.table_name = '{table}' AND {alias}.row_id = {row_id}")


def digest(prefix: str, rows: list[tuple]) -> str:
    """A short version naming these rows, whatever order the database returned them in (a row
    never stamped counts as stamp 0)."""
    parts = sorted(tuple(0 if value is None else value for value in row) for row in rows)
    return prefix + hashlib.sha256(repr(parts).encode()).hexdigest()[:16]
