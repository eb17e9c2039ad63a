"""Read and validate the query-string parameters of case lists (pages and API alike)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from portal.cases.models import LEVELS, Area, Region, Tag
from portal.extensions import db

MAX_PER_PAGE = 100
MAX_PARAM_LENGTH = 120
YEAR_RANGE = (1949, 2100)
SCOPES = ("self",)
# What each query parameter is called in a message a person reads; the JSON API adds the raw name.
PARAMETER_LABELS = {
    "page": "页码", "per_page": "每页条数", "area": "统筹领域", "region": "地区", "tag": "标签",
    "level": "层级", "year": "年份", "scope": "范围", "sort": "排序方式", "q": "搜索词",
    "from": "起始版本号", "to": "对比版本号",
}


def parameter_label(name: str) -> str:
    """The Chinese name of a query parameter, for messages."""
    return PARAMETER_LABELS.get(name, "查询条件")


class BadParameter(ValueError):
    """A query parameter is malformed: the caller answers 400 naming it."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name
        self.message = message


class UnknownValue(LookupError):
    """A filter names an area, region or tag that does not exist."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name
        self.message = message


@dataclass
class Paging:
    page: int = 1
    per_page: int = 20


@dataclass
class CaseFilters:
    """The active filters of a case list, resolved to rows."""

    area: Area | None = None
    region: Region | None = None
    tag: Tag | None = None
    level: str | None = None
    year: int | None = None
    scope: str | None = None
    raw: dict[str, str] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return bool(self.raw)


def text_param(args: MultiDict, name: str) -> str | None:
    """Return a trimmed text parameter, or None when absent or blank."""
    value = args.get(name)
    if value is None or not value.strip():
        return None
    # NUL bytes make PostgreSQL raise and overlong values are never valid names or codes.
    if "\x00" in value or len(value) > MAX_PARAM_LENGTH:
        raise BadParameter(name, f"{parameter_label(name)}的值无效（含有不可用的字符或过长）")
    return value.strip()


def int_param(args: MultiDict, name: str, default: int | None, low: int, high: int | None) -> int | None:
    """Return an integer parameter within [low, high], or raise BadParameter."""
    value = text_param(args, name)
    if value is None:
        return default
    bounds = f"{low} 到 {high} 之间的整数" if high is not None else f"不小于 {low} 的整数"
    if not value.isascii() or not value.isdigit():
        raise BadParameter(name, f"{parameter_label(name)}必须是{bounds}，收到的是“{value[:20]}”")
    number = int(value)
    if number < low or (high is not None and number > high):
        raise BadParameter(name, f"{parameter_label(name)}必须是{bounds}，收到的是 {number}")
    return number


def choice_param(args: MultiDict, name: str, choices, message: str) -> str | None:
    """Return a parameter that must be one of `choices`, or None when absent."""
    value = text_param(args, name)
    if value is not None and value not in choices:
        raise BadParameter(name, message)
    return value


def parse_paging(args: MultiDict, default_per_page: int = 20) -> Paging:
    """Read page and per_page; both are positive and per_page is at most 100."""
    page = int_param(args, "page", 1, 1, 100_000)
    per_page = int_param(args, "per_page", min(default_per_page, MAX_PER_PAGE), 1, MAX_PER_PAGE)
    return Paging(page=page, per_page=per_page)


def parse_filters(args: MultiDict) -> CaseFilters:
    """Resolve area, region, tag, level, year and scope to a CaseFilters, validating each."""
    filters = CaseFilters()
    filters.area = _lookup(args, "area", Area.slug, Area)
    filters.region = _lookup(args, "region", Region.code, Region)
    filters.tag = _lookup(args, "tag", Tag.name, Tag)
    filters.level = level_param(args)
    filters.year = int_param(args, "year", None, *YEAR_RANGE)
    filters.scope = _scope(args, filters.region)
    filters.raw = {name: args[name].strip() for name in ("area", "region", "tag", "level", "year", "scope")
                   if text_param(args, name) is not None}
    return filters


def _lookup(args: MultiDict, name: str, column, model):
    """Find the row a filter names, or raise UnknownValue."""
    value = text_param(args, name)
    if value is None:
        return None
    row = db.session.scalar(select(model).where(column == value))
    if row is None:
        raise UnknownValue(name, f"没有找到{parameter_label(name)}“{value}”")
    return row


def level_param(args: MultiDict) -> str | None:
    """Read the level filter, one of the four fixed levels."""
    return choice_param(args, "level", LEVELS, f"层级必须是以下之一：{'、'.join(LEVELS)}")


def _scope(args: MultiDict, region: Region | None) -> str | None:
    """Read scope=self, which only makes sense beside a region."""
    value = text_param(args, "scope")
    if value is None:
        return None
    if value not in SCOPES or region is None:
        raise BadParameter("scope", "范围只能是“仅本级”，且须与一个地区一起使用")
    return value
