"""JSON search: GET /api/v1/search?q=&area=&region=&tag=&level=&year=&sort=&page=&per_page=."""

from __future__ import annotations

from flask import jsonify, request, url_for

from portal.api.views import bp
from portal.caching import public_page
from portal.cases.params import BadParameter
from portal.search import misses, service
from portal.search.params import read_request
from portal.search.searching import Hit, SearchResult


def hit_json(hit: Hit) -> dict:
    return {
        "slug": hit.slug,
        "title": hit.title,
        "summary": hit.summary,
        "area": {"slug": hit.area, "name": hit.area_name},
        "region": {"code": hit.region, "name": hit.region_name},
        "tags": hit.tags,
        "url": url_for("cases.case_detail", slug=hit.slug, _external=True),
        "highlight": str(hit.highlight),
        "score": hit.score,
        "matched": hit.matched,
    }


def result_json(result: SearchResult) -> dict:
    req = result.request
    facets = result.facets or {}
    return {
        "query": req.q,
        "total": result.total,
        "page": req.page,
        "per_page": req.per_page,
        "results": [hit_json(hit) for hit in result.hits],
        "facets": {name: facets.get(name, []) for name in ("area", "region", "tag")},
        "suggestion": result.suggestion,
        "match": result.match,
    }


@bp.get("/search")
# Results also change when this machine's index catches up with the database.
@public_page(version=service.applied_position)
def search():
    """Search published cases; bad parameters answer 400 naming the parameter."""
    try:
        search_request = read_request(request.args)
    except BadParameter as error:
        body = {"error": {"code": 400, "message": error.message, "parameter": error.name}}
        return jsonify(body), 400
    result = service.search(search_request)
    misses.record_result(search_request.q, result, request.remote_addr)
    return jsonify(result_json(result))
