"""What collections add to the cases feature's pages, connected to its signals (portal.cases.signals)."""

from __future__ import annotations

from flask import url_for

from portal.cases import signals
from portal.cases.formatting import rfc3339
from portal.cases.models import Case
from portal.collections.queries import collections_containing, featured_collections, published_collections


def home_context(_sender) -> dict:
    """The home page lists the featured collections."""
    return {"collections": featured_collections()}


def case_context(case: Case) -> dict:
    """A case page names the collections it is taught in."""
    return {"collections": collections_containing(case)}


def sitemap_urls(_sender) -> list[tuple[str, str | None]]:
    """The collection list and every published collection, for crawlers."""
    urls = [(url_for("collections.collection_list", _external=True), None)]
    return urls + [(url_for("collections.collection_detail", slug=collection.slug, _external=True),
                    rfc3339(collection.updated_at)) for collection in published_collections()]


def connect() -> None:
    """Answer the cases feature's page signals."""
    signals.home_page.connect(home_context)
    signals.case_page.connect(case_context)
    signals.sitemap_urls.connect(sitemap_urls)
