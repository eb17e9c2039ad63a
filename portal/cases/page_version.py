"""A case page's content version: what it shows, read in one statement, so a publish elsewhere leaves it alone.

A case page shows the case itself, its stored related list (those cases' titles, areas and regions),
its lineage both ways (cases named as sources by slug, cases that name it) and things every publish
leaves alone (taxonomy names, the collections it is in). Cases are stamped models (caching.generation):
a change to a case writes its stamp; any other visible change bumps the shared generation. The page
is keyed by the shared generation plus the stamp of every case it shows, and the related list's order.
A case whose stored list holds no published case shows the newest cases of its area instead, which any
publish may change: that page is keyed by the whole content generation as well.
"""

from __future__ import annotations

from flask import request
from sqlalchemy import text

from portal.caching.models import ROW_ID, SHARED_ROW_ID, ContentGeneration
from portal.caching.reading import read_rows
from portal.caching.stamps import digest, stamp_join
from portal.cases.models import Case, CaseLearnedFrom, RelatedCase
from portal.cases.queries import PUBLISHED

CASES, LINEAGE = Case.__tablename__, CaseLearnedFrom.__tablename__


def stamp_of(row_id: str) -> str:
    return stamp_join(CASES, row_id)


# Rows (part, position, case id, stamp, shown): the generations, the case, its related list, its lineage.
PAGE_ROWS = text(f"""
WITH page AS (SELECT id, slug FROM {CASES} WHERE slug = :slug)
SELECT 'g' AS part, g.id AS position, 0 AS case_id, g.value AS stamp, 1 AS shown
  FROM {ContentGeneration.__tablename__} g WHERE g.id IN ({ROW_ID}, {SHARED_ROW_ID})
UNION ALL
SELECT 'c', 0, p.id, s.generation, 1 FROM page p {stamp_of('p.id')}
UNION ALL
SELECT 'r', r.rank, r.related_id, s.generation, CASE WHEN x.status = '{PUBLISHED}' THEN 1 ELSE 0 END
  FROM page p JOIN {RelatedCase.__tablename__} r ON r.case_id = p.id
  JOIN {CASES} x ON x.id = r.related_id {stamp_of('r.related_id')}
UNION ALL
SELECT 's', l.position, x.id, s.generation, 1
  FROM page p JOIN {LINEAGE} l ON l.case_id = p.id JOIN {CASES} x ON x.slug = l.source_slug {stamp_of('x.id')}
UNION ALL
SELECT 'l', 0, l.case_id, s.generation, 1
  FROM page p JOIN {LINEAGE} l ON l.source_slug = p.slug {stamp_of('l.case_id')}
""")


def case_page_version() -> str:
    """Name everything the requested case page shows (its cache key and ETag), in one statement."""
    rows = read_rows(PAGE_ROWS, {"slug": (request.view_args or {}).get("slug", "")})
    return version_of([tuple(row) for row in rows])


def version_of(rows: list[tuple]) -> str:
    """Digest the page's rows; the whole generation counts only when the page shows its area's newest."""
    shows_stored_list = any(part == "r" and shown for part, _, _, _, shown in rows)
    return digest("c", [row for row in rows if not (row[0] == "g" and row[1] == ROW_ID and shows_stored_list)])
