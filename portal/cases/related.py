"""Related cases for a case page: the search feature's helper when present, else the same area."""

from __future__ import annotations

import logging

from portal.cases.models import Case
from portal.cases.queries import same_area_cases

log = logging.getLogger(__name__)


def related_for(case: Case, limit: int = 5) -> list[Case]:
    """Return up to `limit` published cases related to `case`."""
    import portal.search as search

    helper = getattr(search, "related_cases", None)
    if helper is None:
        return same_area_cases(case, limit)
    try:
        found = list(helper(case, limit=limit))
    except Exception:  # a missing or broken index must not take the case page down
        log.exception("related_cases failed for %s; falling back to same-area cases", case.slug)
        return same_area_cases(case, limit)
    # Readers must never be pointed at drafts, whatever the index still holds.
    return [other for other in found if other.is_published and other.id != case.id][:limit]
