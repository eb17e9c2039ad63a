"""A collection page's content version: the collection and the cases it holds, so a publish elsewhere leaves it alone.

Collection pages (the list, a collection, its slides) show collections and their items, which bump the
shared generation, and their cases (title, summary, area, region, body for slides, whether published),
whose changes write the case's stamp (caching.generation). A page is keyed by the shared generation
plus the stamp of every case in the collections it shows.
"""

from __future__ import annotations

from flask import request
from sqlalchemy import text

from portal.caching.models import SHARED_ROW_ID, ContentGeneration
from portal.caching.reading import read_rows
from portal.caching.stamps import digest, stamp_join
from portal.cases.models import Case
from portal.collections.models import Collection, CollectionItem


def rows_of(collections: str) -> str:
    """SQL for (part, collection id, case id, stamp) rows: the shared generation, then every item's case."""
    return f"""
SELECT 'g' AS part, 0 AS collection_id, 0 AS case_id, g.value AS stamp
  FROM {ContentGeneration.__tablename__} g WHERE g.id = {SHARED_ROW_ID}
UNION ALL
SELECT 'i', i.collection_id, i.case_id, s.generation
  FROM {CollectionItem.__tablename__} i JOIN {Collection.__tablename__} c ON c.id = i.collection_id
  {stamp_join(Case.__tablename__, 'i.case_id')} WHERE {collections}"""


EVERY_COLLECTION = text(rows_of("1 = 1"))
ONE_COLLECTION = text(rows_of("c.slug = :slug"))


def collection_list_version() -> str:
    """Name what the collection list shows (every collection's cases), in one statement."""
    return digest("l", [tuple(row) for row in read_rows(EVERY_COLLECTION)])


def collection_version() -> str:
    """Name what a collection's page or slide shows (its cases), in one statement."""
    slug = (request.view_args or {}).get("slug", "")
    return digest("k", [tuple(row) for row in read_rows(ONE_COLLECTION, {"slug": slug})])
