"""Machine-read views: Atom feeds (newest cases; recent updates overall and per area, region and tag)
and the sitemap."""

from __future__ import annotations

from flask import Response, render_template, url_for

from portal.caching import public_page
from portal.cases import queries, signals
from portal.cases.formatting import rfc3339
from portal.cases.params import CaseFilters
from portal.cases.views import bp, facet_or_404
from portal.timeutil import as_utc

FEED_SIZE = 30


def atom(cases: list, *, title: str, self_url: str, page_url: str) -> Response:
    """Answer an Atom feed of `cases`; `page_url` is the HTML page the feed follows."""
    updated = max((as_utc(case.updated_at) for case in cases if case.updated_at), default=None)
    body = render_template("cases/feed.xml", cases=cases, title=title, self_url=self_url, page_url=page_url,
                           updated=rfc3339(updated), rfc3339=rfc3339)
    return Response(body, mimetype="application/atom+xml")


def updates_feed(filters: CaseFilters | None, title: str, self_endpoint: str, page_endpoint: str,
                 **values) -> Response:
    """An Atom feed of the most recently published or changed cases matching the filters."""
    return atom(queries.recent_updates(filters, FEED_SIZE), title=title, self_url=external(self_endpoint, **values),
                page_url=external(page_endpoint, **values))


@bp.get("/feed.atom")
@public_page
def feed():
    """Serve the newest published cases as an Atom feed."""
    return atom(queries.latest_published(FEED_SIZE), title="最新发布的案例", self_url=external("cases.feed"),
                page_url=external("cases.home"))


@bp.get("/updates.atom")
@public_page
def updates_atom():
    """Serve the 最近更新 page as an Atom feed: cases newly published or changed."""
    return updates_feed(None, "最近更新", "cases.updates_atom", "cases.updates")


@bp.get("/areas/<slug>/feed.atom")
@public_page
def area_feed(slug: str):
    """Recent updates in one 统筹 area."""
    filters = facet_or_404("area", slug)
    return updates_feed(filters, f"{filters.area.name} · 最近更新", "cases.area_feed", "cases.area_page", slug=slug)


@bp.get("/regions/<code>/feed.atom")
@public_page
def region_feed(code: str):
    """Recent updates in a region and everything below it."""
    filters = facet_or_404("region", code)
    return updates_feed(filters, f"{filters.region.name} · 最近更新", "cases.region_feed", "cases.region_page",
                        code=code)


@bp.get("/tags/<name>/feed.atom")
@public_page
def tag_feed(name: str):
    """Recent updates of the cases carrying a tag."""
    filters = facet_or_404("tag", name)
    return updates_feed(filters, f"标签“{filters.tag.name}” · 最近更新", "cases.tag_feed", "cases.tag_page",
                        name=name)


@bp.get("/sitemap.xml")
@public_page
def sitemap():
    """List every public page a crawler should know: cases, areas, regions, tags, collections."""
    return Response(render_template("cases/sitemap.xml", urls=sitemap_urls()), mimetype="application/xml")


def sitemap_urls() -> list[tuple[str, str | None]]:
    """Return (absolute URL, last modified or None) for every public page."""
    urls = [(external("cases.home"), None), (external("cases.case_list"), None), (external("cases.matrix"), None),
            (external("cases.updates"), None)]
    urls += [(external("cases.case_detail", slug=case.slug), rfc3339(case.updated_at))
             for case in queries.all_published()]
    urls += [(external("cases.area_page", slug=area.slug), None) for area in queries.all_areas()]
    urls += [(external("cases.region_page", code=region.code), None) for region in queries.all_regions()]
    urls += [(external("cases.tag_page", name=tag.name), None) for tag, _ in queries.published_tags()]
    return urls + signals.collected(signals.sitemap_urls)


def external(endpoint: str, **values) -> str:
    """Build an absolute URL, as feeds and sitemaps require."""
    return url_for(endpoint, _external=True, **values)
