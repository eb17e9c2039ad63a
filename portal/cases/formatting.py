"""Timestamp formats for machine-readable output (Atom, sitemap, <time datetime>, JSON)."""

from __future__ import annotations

from datetime import datetime, timedelta

from portal.timeutil import as_utc, utcnow


def rfc3339(value: datetime | None) -> str:
    """Format a stored datetime as an RFC 3339 timestamp in UTC (now, when missing)."""
    value = as_utc(value) or utcnow()
    return value.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def iso_or_none(value: datetime | None) -> str | None:
    """Format a stored datetime as RFC 3339 in UTC, keeping None as None."""
    return rfc3339(value) if value is not None else None


# Publishing sets both timestamps within moments of each other; a later change moves updated_at on.
FIRST_PUBLISH_GRACE = timedelta(minutes=1)


def change_label(case) -> str:
    """What the 最近更新 page says happened last to a published case: 新发布 or 更新."""
    published, updated = as_utc(case.published_at), as_utc(case.updated_at)
    if published is None or updated is None or updated - published <= FIRST_PUBLISH_GRACE:
        return "新发布"
    return "更新"
