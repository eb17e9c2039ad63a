"""Related cases for a case page: what the search feature answers (signals.related_cases), else the same area."""

from __future__ import annotations

import logging

from portal.cases.models import Case
from portal.cases.queries import same_area_cases
from portal.cases.signals import related_cases

log = logging.getLogger(__name__)


def related_for(case: Case, limit: int = 5) -> list[Case]:
    """Return up to `limit` published cases related to `case`."""
    try:
        answers = related_cases.send(case, limit=limit)
    except Exception:  # a missing or broken index must not take the case page down
        log.exception("related cases failed for %s; falling back to same-area cases", case.slug)
        return same_area_cases(case, limit)
    if not answers:
        return same_area_cases(case, limit)
    found = [other for _receiver, value in answers for other in value]
    # Readers must never be pointed at drafts, whatever the index still holds.
    return [other for other in found if other.is_published and other.id != case.id][:limit]
