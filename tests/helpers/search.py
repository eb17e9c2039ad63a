"""Search the way the search page does, and look inside the live index."""

from __future__ import annotations

from flask import current_app

from portal.search import engine, service
from portal.search.searching import SearchRequest


def search(q: str = "", **options):
    """Search as a reader would (inside an app context) and return the SearchResult."""
    return service.search(SearchRequest(q=q, **options))


def slugs(q: str = "", **options) -> list[str]:
    return [hit.slug for hit in search(q, **options).hits]


def indexed_versions() -> dict[str, int]:
    """Return {slug: version} for every document in the live index."""
    ix = engine.open_index(current_app.config["SEARCH_INDEX_DIR"])
    with ix.searcher() as searcher:
        return {fields["slug"]: fields["version"] for fields in searcher.all_stored_fields()}

