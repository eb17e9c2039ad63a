"""Readable names for the slugs, codes and statuses stored in snapshots."""

from __future__ import annotations

from portal.cases.models import STATUS_LABELS, Area, Region
from portal.extensions import db


def display_names() -> dict[str, str]:
    """Map area slugs, region codes and statuses to their Chinese names."""
    names = dict(STATUS_LABELS)
    names |= {slug: name for slug, name in db.session.execute(db.select(Area.slug, Area.name))}
    names |= {code: name for code, name in db.session.execute(db.select(Region.code, Region.name))}
    return names
