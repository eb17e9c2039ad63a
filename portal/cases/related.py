"""Related cases for a case page: the stored list (kept up to date by search), else the same area.

Search replaces stored lists after the index has applied a change, a moment after the change's own
commit bumped the content generation. Bumping it again for the lists would turn every cached page
over twice per publish although only case pages show them; instead a case page's cache key and ETag
name its own stored list (cases/page_version.py), so only the pages whose list changed turn over.
"""

from __future__ import annotations

from sqlalchemy import select

from portal.cases.models import Case, RelatedCase
from portal.cases.queries import PUBLISHED, same_area_cases
from portal.extensions import db


def related_for(case: Case, limit: int = 5) -> list[Case]:
    """Return up to `limit` published cases related to `case`, read from the stored list."""
    stmt = (select(Case).join(RelatedCase, RelatedCase.related_id == Case.id)
            .where(RelatedCase.case_id == case.id, Case.status == PUBLISHED, Case.id != case.id)
            .order_by(RelatedCase.rank).limit(limit))
    return list(db.session.scalars(stmt).unique()) or same_area_cases(case, limit)
