"""Keep the search outbox from growing without bound.

Every instance keeps its own position in the outbox in its index directory, which the database
cannot see, so applied rows are removed by age: an instance applies new rows within seconds, and
rows older than SEARCH_OUTBOX_RETENTION_DAYS (default 7) have long been applied by every running
instance. An instance that was stopped for longer than that has missed rows: run
`portal search verify --repair` (or `reindex`) on it before it serves again.
"""

from __future__ import annotations

import time
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete

from portal.extensions import db
from portal.search import state
from portal.search.models import SearchOutbox
from portal.timeutil import utcnow

# The background poller prunes at most this often per process.
AUTOMATIC_EVERY_SECONDS = 3600


def prune_outbox(days: int | None = None) -> int:
    """Delete outbox rows older than `days` (default: the setting); return how many were deleted."""
    keep = timedelta(days=days or current_app.config["SEARCH_OUTBOX_RETENTION_DAYS"])
    result = db.session.execute(delete(SearchOutbox).where(SearchOutbox.created_at < utcnow() - keep))
    db.session.commit()
    return result.rowcount or 0


def prune_now_and_then(now: float | None = None) -> int:
    """Prune from the background poller, at most once an hour per process."""
    now = time.monotonic() if now is None else now
    search_state = state.current()
    if search_state.pruned_at and now - search_state.pruned_at < AUTOMATIC_EVERY_SECONDS:
        return 0
    search_state.pruned_at = now
    return prune_outbox()
