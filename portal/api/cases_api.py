"""JSON API for cases and the taxonomy: /api/v1/cases, /api/v1/cases/<slug>, /api/v1/taxonomy."""

from __future__ import annotations

from flask import current_app, jsonify, request, url_for

from portal.api.views import bp
from portal.caching import public_page
from portal.cases import fields, queries
from portal.cases.formatting import iso_or_none
from portal.cases.models import Case, Region
from portal.cases.params import BadParameter, UnknownValue, parse_filters, parse_paging
from portal.cases.taxonomy_fields import area_json, region_json
from portal.errors import error_response


def _bad_request(error: BadParameter | UnknownValue):
    """Answer a bad or unknown parameter with 400 JSON naming it (in Chinese, and as `parameter`)."""
    return error_response(400, error.message, parameter=error.name)


bp.register_error_handler(BadParameter, _bad_request)
bp.register_error_handler(UnknownValue, _bad_request)


def case_summary_json(case: Case) -> dict:
    """Return the fields every case listing shows."""
    return {"slug": case.slug, **fields.api_values(case, summary_only=True),
            "url": url_for("cases.case_detail", slug=case.slug, _external=True)}


def case_full_json(case: Case) -> dict:
    """Return the listing fields plus the whole record."""
    return case_summary_json(case) | fields.api_values(case) | {
        "published_at": iso_or_none(case.published_at),
        "updated_at": iso_or_none(case.updated_at),
        "version": case.version,
    }


@bp.get("/cases")
@public_page
def list_cases():
    """List published cases with filters (area, region, tag, level, year) and paging."""
    filters = parse_filters(request.args)
    paging = parse_paging(request.args, current_app.config.get("CASES_PER_PAGE", 20))
    result = queries.filtered_page(filters, paging)
    return jsonify({"total": result.total, "page": result.page, "per_page": result.per_page,
                    "results": [case_summary_json(case) for case in result.items]})


@bp.get("/cases/<slug>")
@public_page
def get_case(slug: str):
    """Return one published case in full."""
    case = queries.find_case(slug, published_only=True)
    if case is None:
        return error_response(404, f"没有找到已发布的案例“{slug}”")
    return jsonify(case_full_json(case))


@bp.get("/taxonomy")
@public_page
def taxonomy():
    """Return the five areas and the region tree."""
    return jsonify({"areas": [area_json(area) | {"description": area.description} for area in queries.all_areas()],
                    "regions": [region_tree_json(root) for root in queries.region_tree()]})


def region_tree_json(region: Region) -> dict:
    """Return a region with its kind and, recursively, its children."""
    return region_json(region) | {"kind": region.kind,
                                  "children": [region_tree_json(child) for child in region.children]}
