"""Turn a case into the document the index holds, and fingerprint it so drift can be detected."""

from __future__ import annotations

import hashlib
import json

from portal.cases.fields import index_values, search_parts
from portal.cases.models import Case


def case_document(case: Case) -> dict:
    """Return the fields the index stores for a published case: the weighted parts and the facets."""
    published = case.published_at.timestamp() if case.published_at else 0
    document = {
        "id": str(case.id),
        "slug": case.slug,
        "version": case.version or 0,
        "published_at": int(published),
        **search_parts(case),
        **index_values(case),
    }
    document["fingerprint"] = fingerprint(document)
    return document


def fingerprint(document: dict) -> str:
    """Hash every indexed value, so any difference from the database shows as a stale document."""
    payload = {key: value for key, value in document.items() if key != "fingerprint"}
    return hashlib.sha1(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]
