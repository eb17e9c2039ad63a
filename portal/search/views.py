"""The search page and the editors' list of queries that found nothing."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for

from portal.caching import public_page
from portal.cases.params import BadParameter
from portal.search import misses, service
from portal.search.params import read_request
from portal.search.searching import SearchRequest, SearchResult

bp = Blueprint("search", __name__, template_folder="templates", static_folder="static",
               static_url_path="/search-static")
# Editors' pages about search (the miss list, synonyms): never cached by browsers or proxies.
misses_bp = Blueprint("search_misses", __name__, template_folder="templates")


@misses_bp.after_request
def no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response

FILTER_KEYS = ("q", "area", "region", "tag", "level", "year", "sort")
SORT_LABELS = {"relevance": "按相关度", "newest": "按发布时间"}


def search_url(**changes) -> str:
    """Return /search with the current parameters, some changed (None removes one); back to page 1."""
    args = {key: request.args.get(key) for key in FILTER_KEYS if request.args.get(key)}
    args.update(changes)
    if "page" not in changes:
        args.pop("page", None)
    return url_for("search.search_page", **{key: value for key, value in args.items() if value not in (None, "")})


def case_url(slug: str) -> str:
    return url_for("cases.case_detail", slug=slug)


@bp.get("/search")
# Results also change when this machine's index catches up with the database.
@public_page(version=service.applied_position)
def search_page():
    """Search the published cases: box, facets, highlighted snippets, paging, sort."""
    try:
        search_request = read_request(request.args)
    except BadParameter as error:
        empty = SearchResult(request=SearchRequest(q=request.args.get("q", "")), message=error.message)
        return render_template("search/search.html", result=empty, error=error.message,
                               search_url=search_url, case_url=case_url, sort_labels=SORT_LABELS), 400
    result = service.search(search_request)
    misses.record_result(search_request.q, result, request.remote_addr)
    return render_template("search/search.html", result=result, error=None, search_url=search_url,
                           case_url=case_url, sort_labels=SORT_LABELS)

