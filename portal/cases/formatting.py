"""Timestamp formats for machine-readable output (Atom, sitemap, <time datetime>, JSON)."""

from __future__ import annotations

from datetime import datetime

from portal.timeutil import as_utc, utcnow


def rfc3339(value: datetime | None) -> str:
    """Format a stored datetime as an RFC 3339 timestamp in UTC (now, when missing)."""
    value = as_utc(value) or utcnow()
    return value.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def iso_or_none(value: datetime | None) -> str | None:
    """Format a stored datetime as RFC 3339 in UTC, keeping None as None."""
    return rfc3339(value) if value is not None else None
