"""Read and validate search parameters from a request (shared by the page and the JSON API)."""

from __future__ import annotations

from sqlalchemy import select

from portal.cases.models import LEVELS, Area, Region
from portal.cases.params import parameter_label
from portal.extensions import db
from portal.search.searching import SORTS, SearchRequest

MAX_PER_PAGE = 100
MAX_PAGE = 1000


class BadSearchParameter(ValueError):
    """A search parameter the portal cannot use; `name` says which."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name
        self.message = message


def integer(args, name: str, default: int | None, low: int, high: int) -> int | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise BadSearchParameter(name, f"{parameter_label(name)}应为 {low} 到 {high} 之间的整数")
    return int(raw)


def known(model, column, name: str, value: str | None) -> str | None:
    if not value:
        return None
    if len(value) > 64 or db.session.scalar(select(model.id).where(column == value)) is None:
        raise BadSearchParameter(name, f"没有找到{parameter_label(name)}“{value[:64]}”")
    return value


def read_request(args, default_per_page: int = 10) -> SearchRequest:
    """Return the SearchRequest described by query-string `args`; raise BadSearchParameter if unusable."""
    sort = (args.get("sort") or "relevance").strip()
    if sort not in SORTS:
        raise BadSearchParameter("sort", "排序方式只能是按相关度或按发布时间")
    level = (args.get("level") or "").strip() or None
    if level and level not in LEVELS:
        raise BadSearchParameter("level", f"层级只能是：{'、'.join(LEVELS)}")
    tag = (args.get("tag") or "").strip() or None
    if tag and len(tag) > 64:
        raise BadSearchParameter("tag", "标签过长（最多 64 个字）")
    return SearchRequest(
        q=args.get("q") or "",
        area=known(Area, Area.slug, "area", (args.get("area") or "").strip()),
        region=known(Region, Region.code, "region", (args.get("region") or "").strip()),
        tag=tag, level=level,
        year=integer(args, "year", None, 1949, 2100),
        sort=sort,
        page=integer(args, "page", 1, 1, MAX_PAGE),
        per_page=integer(args, "per_page", default_per_page, 1, MAX_PER_PAGE),
    )
