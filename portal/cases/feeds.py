"""Machine-read views: the Atom feed of newly published cases and the sitemap."""

from __future__ import annotations

from flask import Response, render_template, url_for

from portal.caching import public_page
from portal.cases import queries, signals
from portal.cases.formatting import rfc3339
from portal.cases.views import bp
from portal.timeutil import as_utc

FEED_SIZE = 30


@bp.get("/feed.atom")
@public_page
def feed():
    """Serve the newest published cases as an Atom feed."""
    cases = queries.latest_published(FEED_SIZE)
    updated = max((as_utc(case.updated_at) for case in cases if case.updated_at), default=None)
    body = render_template("cases/feed.xml", cases=cases, updated=rfc3339(updated), rfc3339=rfc3339)
    return Response(body, mimetype="application/atom+xml")


@bp.get("/sitemap.xml")
@public_page
def sitemap():
    """List every public page a crawler should know: cases, areas, regions, tags, collections."""
    return Response(render_template("cases/sitemap.xml", urls=sitemap_urls()), mimetype="application/xml")


def sitemap_urls() -> list[tuple[str, str | None]]:
    """Return (absolute URL, last modified or None) for every public page."""
    urls = [(external("cases.home"), None), (external("cases.case_list"), None), (external("cases.matrix"), None)]
    urls += [(external("cases.case_detail", slug=case.slug), rfc3339(case.updated_at))
             for case in queries.all_published()]
    urls += [(external("cases.area_page", slug=area.slug), None) for area in queries.all_areas()]
    urls += [(external("cases.region_page", code=region.code), None) for region in queries.all_regions()]
    urls += [(external("cases.tag_page", name=tag.name), None) for tag, _ in queries.published_tags()]
    return urls + signals.collected(signals.sitemap_urls)


def external(endpoint: str, **values) -> str:
    """Build an absolute URL, as feeds and sitemaps require."""
    return url_for(endpoint, _external=True, **values)
