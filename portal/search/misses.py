"""The search-miss list: searches with no full match, counted per normalized query, for editors to answer.

Recording is throttled per client address (a keyed hash, never the address itself): one address
records the same query once per SEARCH_MISS_REPEAT_MINUTES and at most SEARCH_MISS_PER_CLIENT_HOUR
misses an hour, so nobody can flood the list. Entries older than SEARCH_MISS_RETENTION_DAYS are
removed by `portal search prune-misses`.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from portal import caching
from portal.extensions import db
from portal.search.analysis import normalize
from portal.search.models import SearchMiss, SearchMissAnswer
from portal.timeutil import utcnow

log = logging.getLogger(__name__)
MAX_QUERY_CHARS = 200
STATES = ("open", "answered", "all")
_SPACES = re.compile(r"\s+")


@dataclass
class MissRow:
    """One normalized query on the editors' list."""

    normalized: str
    count: int
    last: datetime
    nothing_found: bool
    answer: SearchMissAnswer | None = None


def normalize_query(query: str) -> str:
    """Fold width, case and Traditional characters and collapse spaces, so variants count together."""
    return _SPACES.sub(" ", normalize(query or "")).strip()[:MAX_QUERY_CHARS]


def client_key(address: str | None) -> str:
    """A keyed hash of the reader's address: enough to throttle, useless to identify anyone."""
    secret = str(current_app.config.get("SECRET_KEY") or "").encode()
    return hmac.new(secret, (address or "unknown").encode(), hashlib.sha256).hexdigest()[:32]


def miss_kind(result) -> str | None:
    """Return "none" or "partial" for a search without a full match, None for a full match."""
    match = getattr(result, "match", None)
    if match in ("none", "partial"):
        return match
    if match == "all":
        return None
    if result.total == 0:
        return "none"
    return "partial" if result.relaxed else None


def record_result(query: str, result, address: str | None) -> bool:
    """Record the search if it had no full match (and the reader's address is not throttled)."""
    kind = miss_kind(result)
    if not query.strip() or result.rebuilding or kind is None:
        return False
    caching.do_not_store()  # the next reader asking this must reach here too, to be counted
    return record(query, kind, result.request.filters(), address)


def record(query: str, kind: str, filters: dict, address: str | None) -> bool:
    """Add one miss unless this address is throttled; never fail the reader's search."""
    normalized = normalize_query(query)
    if not normalized:
        return False
    try:
        client = client_key(address)
        if throttled(client, normalized):
            return False
        db.session.add(SearchMiss(query=query.strip()[:MAX_QUERY_CHARS], normalized=normalized, match=kind,
                                  client=client, filters={k: v for k, v in filters.items() if v}))
        db.session.commit()
        return True
    except Exception:  # losing one line of the list is better than failing the search
        db.session.rollback()
        log.exception("could not record a search miss")
        return False


def throttled(client: str, normalized: str) -> bool:
    """True if this address already recorded this query lately, or too many misses this hour."""
    config = current_app.config
    now = utcnow()
    repeat_since = now - timedelta(minutes=config["SEARCH_MISS_REPEAT_MINUTES"])
    recent = select(func.count(SearchMiss.id)).where(SearchMiss.client == client)
    if db.session.scalar(recent.where(SearchMiss.normalized == normalized, SearchMiss.created_at >= repeat_since)):
        return True
    hour_count = db.session.scalar(recent.where(SearchMiss.created_at >= now - timedelta(hours=1)))
    return hour_count >= config["SEARCH_MISS_PER_CLIENT_HOUR"]


def listed(state: str = "open", limit: int = 200, only: str | None = None) -> list[MissRow]:
    """Return the missed queries, most frequent first: open (unanswered), answered, or all."""
    count = func.count(SearchMiss.id).label("hits")
    last = func.max(SearchMiss.created_at).label("last_seen")
    nothing = func.min(SearchMiss.match).label("worst_match")
    query = (select(SearchMiss.normalized, count, last, nothing, SearchMissAnswer)
             .outerjoin(SearchMissAnswer, SearchMissAnswer.normalized == SearchMiss.normalized)
             .where(SearchMiss.normalized != "")
             .group_by(SearchMiss.normalized, SearchMissAnswer.id)
             .order_by(count.desc(), last.desc()).limit(limit))
    if only is not None:
        query = query.where(SearchMiss.normalized == only)
    if state == "open":
        query = query.where(SearchMissAnswer.id.is_(None))
    elif state == "answered":
        query = query.where(SearchMissAnswer.id.is_not(None))
    return [MissRow(row.normalized, row.hits, row.last_seen, row.worst_match == "none", row.SearchMissAnswer)
            for row in db.session.execute(query)]


def miss_summary(normalized: str) -> MissRow | None:
    """Return the list's row for one normalized query (any state)."""
    rows = listed("all", limit=1, only=normalized)
    return rows[0] if rows else None


def prune(days: int | None = None) -> int:
    """Delete misses older than `days` (default: the retention setting) and answers left without any."""
    days = current_app.config["SEARCH_MISS_RETENTION_DAYS"] if days is None else days
    removed = db.session.execute(delete(SearchMiss).where(SearchMiss.created_at < utcnow() - timedelta(days=days)))
    remaining = select(SearchMiss.normalized)
    db.session.execute(delete(SearchMissAnswer).where(SearchMissAnswer.normalized.not_in(remaining)))
    db.session.commit()
    return removed.rowcount or 0
