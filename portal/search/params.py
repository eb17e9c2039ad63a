"""Read and validate search parameters (page and JSON API) with the case lists' parser (portal.cases.params).

One error class, one integer and text reader (with its NUL-byte and length guard), one year range
and page size. Unlike a case list, an unknown area or region is a bad request here (400), not a
missing page.
"""

from __future__ import annotations

from sqlalchemy import select

from portal.cases.models import Area, Region
from portal.cases.params import (
    MAX_PER_PAGE,
    YEAR_RANGE,
    BadParameter,
    choice_param,
    int_param,
    level_param,
    parameter_label,
    text_param,
)
from portal.extensions import db
from portal.search.searching import SORTS, SearchRequest

MAX_PAGE = 1000
MAX_TAG_LENGTH = 64


def known(args, name: str, column) -> str | None:
    """Return a filter value naming an existing row; raise BadParameter for one that names nothing."""
    value = text_param(args, name)
    if value is not None and db.session.scalar(select(column).where(column == value)) is None:
        raise BadParameter(name, f"没有找到{parameter_label(name)}“{value[:64]}”")
    return value


def read_request(args, default_per_page: int = 10) -> SearchRequest:
    """Return the SearchRequest described by query-string `args`; raise BadParameter if unusable."""
    tag = text_param(args, "tag")
    if tag and len(tag) > MAX_TAG_LENGTH:
        raise BadParameter("tag", f"标签过长（最多 {MAX_TAG_LENGTH} 个字）")
    return SearchRequest(
        q=args.get("q") or "",  # any words give a page; the analyzer drops what it cannot use
        area=known(args, "area", Area.slug),
        region=known(args, "region", Region.code),
        tag=tag,
        level=level_param(args),
        year=int_param(args, "year", None, *YEAR_RANGE),
        sort=choice_param(args, "sort", SORTS, "排序方式只能是按相关度或按发布时间") or "relevance",
        page=int_param(args, "page", 1, 1, MAX_PAGE),
        per_page=int_param(args, "per_page", default_per_page, 1, MAX_PER_PAGE),
    )
