"""Turn a case into the document the index holds, and fingerprint it so drift can be detected."""

from __future__ import annotations

import hashlib
import json
import re

from portal.cases.models import Case

_MARKDOWN_NOISE = [
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.M), ""),
    (re.compile(r"^\s*\|?\s*:?-{3,}.*$", re.M), ""),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"<[^>]{0,200}>"), ""),
    (re.compile(r"[*_`>|]+"), " "),
    (re.compile(r"^\s*[-+]\s+", re.M), ""),
    (re.compile(r"[ \t]{2,}"), " "),
    (re.compile(r"\n{2,}"), "\n"),
]


def plain_text(markdown_text: str) -> str:
    """Strip Markdown syntax, leaving the words readers see (for indexing and snippets)."""
    text = markdown_text or ""
    for pattern, replacement in _MARKDOWN_NOISE:
        text = pattern.sub(replacement, text)
    return text.strip()


def region_chain(case: Case) -> list:
    """Return the case's region and every region above it, root first."""
    if case.region is None:
        return []
    return [*case.region.ancestors(), case.region]


def case_document(case: Case) -> dict:
    """Return the fields the index stores for a published case."""
    regions = region_chain(case)
    areas = [area for area in [case.area, *case.secondary_areas] if area is not None]
    published = case.published_at.timestamp() if case.published_at else 0
    document = {
        "id": str(case.id),
        "slug": case.slug,
        "version": case.version or 0,
        "title": case.title or "",
        "tags_text": " ".join(case.tag_names),
        "place": " ".join(filter(None, [case.place or "", *(region.name for region in regions)])),
        "meta": " ".join([*(area.name for area in areas), case.level or ""]),
        "summary": case.summary or "",
        "body": plain_text(case.body_md),
        "area": case.area.slug if case.area else "",
        "area_name": case.area.name if case.area else "",
        "region": ",".join(region.code for region in regions),
        "region_code": case.region.code if case.region else "",
        "region_name": case.region.name if case.region else "",
        "region_names": ",".join(region.name for region in regions),
        "tags": ",".join(case.tag_names),
        "level": case.level or "",
        "year": case.year or 0,
        "published_at": int(published),
    }
    document["fingerprint"] = fingerprint(document)
    return document


def fingerprint(document: dict) -> str:
    """Hash every indexed value, so any difference from the database shows as a stale document."""
    payload = {key: value for key, value in document.items() if key != "fingerprint"}
    return hashlib.sha1(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]
