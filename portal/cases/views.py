"""Reading pages: home, the case list, a case, area, region and tag pages, the coverage matrix."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import current_user

from portal.caching import public_page
from portal.cases import adoption, freshness, listing, queries, signals, spread_map
from portal.cases.formatting import change_label, rfc3339
from portal.cases.matrix import COUNTINGS, build_matrix, heat_bucket
from portal.cases.models import LEVELS
from portal.cases.page_version import case_page_version
from portal.cases.params import BadParameter, CaseFilters, UnknownValue, parse_filters, parse_paging
from portal.cases.related import related_for
from portal.errors import error_response

bp = Blueprint("cases", __name__, template_folder="templates")

# Write-ups longer than this (Markdown characters) get a table of contents beside them.
TOC_MIN_CHARS = 1200
TOC_MIN_HEADINGS = 3


@bp.errorhandler(BadParameter)
def bad_parameter(error: BadParameter):
    """Answer a malformed query parameter with a Chinese 400 page."""
    return error_response(400, error.message)


@bp.errorhandler(UnknownValue)
def unknown_value(error: UnknownValue):
    """Answer a filter naming nothing that exists with a Chinese 404 page."""
    return error_response(404, error.message)


@bp.get("/")
@public_page
def home():
    """Show what the library holds, the newest cases and the featured collections."""
    matrix = build_matrix()
    return render_template(
        "cases/home.html", total=queries.published_count(), area_counts=queries.counts_by_area(),
        region_counts=[(column, matrix.column_total(column)) for column in matrix.columns],
        latest=queries.latest_published(6), top_tags=queries.published_tags()[:20],
        **signals.contributions(signals.home_page))


@bp.get("/cases")
@public_page
def case_list():
    """List published cases, filtered and paginated from the query string."""
    filters = parse_filters(request.args)
    paging = parse_paging(request.args, current_app.config.get("CASES_PER_PAGE", 20))
    result = queries.filtered_page(filters, paging)
    refuse_beyond_end(result)
    per_page = paging.per_page if "per_page" in request.args else None
    return render_template(
        "cases/list.html", result=result, filters=filters, per_page=per_page,
        chips=listing.filter_chips(filters, per_page), areas=queries.all_areas(),
        roots=queries.region_tree(), levels=LEVELS, listing=listing,
        page_args=listing.list_args(filters, per_page))


@bp.get("/cases/<slug>")
@public_page(versioned_by=case_page_version)
def case_detail(slug: str):
    """Show one case; editors and reviewers may preview unpublished ones."""
    case = queries.find_case(slug, published_only=not can_preview())
    if case is None:
        return error_response(404, "没有找到这个案例，它可能尚未发布或已被移除。")
    return render_template(
        "cases/detail.html", case=case, related=related_for(case, limit=5), lineage=adoption.lineage(case),
        checked_on=freshness.last_checked(case) if case.is_published else None, show_toc=wants_toc(case), rfc3339=rfc3339, **signals.contributions(signals.case_page, case))


def refuse_beyond_end(result) -> None:
    """Answer 404 for a page number past the last page of a non-empty list."""
    if result.beyond_end and result.total:
        raise UnknownValue("page", f"第 {result.page} 页不存在：共 {result.pages} 页。")


def can_preview() -> bool:
    """Tell whether the reader is staff allowed to see unpublished cases."""
    return bool(current_user.is_authenticated and current_user.has_role("editor"))


def wants_toc(case) -> bool:
    """Show a table of contents only for long write-ups with several headings."""
    return bool(case.toc_html) and (len(case.body_md or "") >= TOC_MIN_CHARS
                                    or case.toc_html.count("<li") >= TOC_MIN_HEADINGS)


@bp.get("/areas/<slug>")
@public_page
def area_page(slug: str):
    """Show an area's description and its published cases."""
    filters = facet_or_404("area", slug)
    return facet_page("cases/area.html", filters, area=filters.area,
                      feed=(f"{filters.area.name} · 最近更新", url_for("cases.area_feed", slug=slug)))


@bp.get("/regions/<code>")
@public_page
def region_page(code: str):
    """Show a region, its sub-regions and the published cases in its whole subtree."""
    filters = facet_or_404("region", code)
    return facet_page("cases/region.html", filters, region=filters.region,
                      feed=(f"{filters.region.name} · 最近更新", url_for("cases.region_feed", code=code)),
                      adopted=adoption.published_adoptions(region=filters.region))


@bp.get("/tags/<name>")
@public_page
def tag_page(name: str):
    """Show the published cases carrying a tag."""
    filters = facet_or_404("tag", name)
    return facet_page("cases/tag.html", filters, tag=filters.tag,
                      feed=(f"标签“{filters.tag.name}” · 最近更新", url_for("cases.tag_feed", name=name)))


def facet_or_404(kind: str, value: str) -> CaseFilters:
    """Resolve an area slug, region code or tag name (of a tag on published cases) to list filters."""
    if kind == "area" and (area := queries.find_area(value)) is not None:
        return CaseFilters(area=area, raw={"area": area.slug})
    if kind == "region" and (region := queries.find_region(value)) is not None:
        return CaseFilters(region=region, raw={"region": region.code})
    if kind == "tag" and (tag := queries.find_tag(value)) is not None and queries.tag_has_published_cases(tag):
        return CaseFilters(tag=tag, raw={"tag": tag.name})
    raise UnknownValue(kind, FACET_MISSING[kind].format(value=value))


# What a reader is told when an area, region or tag in the address does not exist.
FACET_MISSING = {"area": "没有找到统筹领域“{value}”。", "region": "没有找到地区代码“{value}”。",
                 "tag": "没有找到标签“{value}”下已发布的案例。"}


def facet_page(template: str, filters: CaseFilters, **context):
    """Render an area, region or tag page: its intro plus one page of its cases; `feed` is its
    Atom feed's (title, URL)."""
    paging = parse_paging(request.args, current_app.config.get("CASES_PER_PAGE", 20))
    result = queries.filtered_page(filters, paging)
    refuse_beyond_end(result)
    per_page = paging.per_page if "per_page" in request.args else None
    return render_template(template, result=result, filters=filters, listing=listing,
                           page_args={"per_page": per_page} if per_page else {},
                           list_url=listing.filter_url(filters), **context)


@bp.get("/updates")
@public_page
def updates():
    """最近更新: published cases, the most recently published or changed first, page by page."""
    paging = parse_paging(request.args, current_app.config.get("CASES_PER_PAGE", 20))
    result = queries.paginate(queries.recently_updated(), paging)
    refuse_beyond_end(result)
    per_page = paging.per_page if "per_page" in request.args else None
    return render_template("cases/updates.html", result=result, listing=listing, change_label=change_label,
                           rfc3339=rfc3339,
                           page_args={"per_page": per_page} if per_page else {}, areas=queries.all_areas())


@bp.get("/matrix")
@public_page
def matrix():
    """Show the coverage heatmap of the five areas across the regions of 丽水: cases, or adoptions."""
    counting = request.args.get("count", "cases")
    if counting not in COUNTINGS:
        raise BadParameter("count", f"矩阵只能按{'或'.join(COUNTINGS.values())}统计。")
    return render_template("cases/matrix.html", matrix=build_matrix(counting), heat_bucket=heat_bucket,
                           countings=COUNTINGS)


@bp.get("/adoption")
@public_page
def adoption_page():
    """Show where practices spread across the city: a diagram of the ten regions and the full table."""
    area = queries.find_area(request.args["area"]) if request.args.get("area") else None
    region = queries.find_region(request.args["region"]) if request.args.get("region") else None
    if (request.args.get("area") and area is None) or (request.args.get("region") and region is None):
        raise UnknownValue("area" if area is None else "region", "没有找到这个统筹领域或地区。")
    roots = queries.region_tree()
    return render_template(
        "cases/adoption.html", area=area, region=region,
        adoptions=adoption.published_adoptions(region=region, area=area, own_only=request.args.get("scope") == "self"),
        learned=adoption.learned_pairs(), diagram=spread_map.build(roots[0] if roots else None, adoption.flows()))
