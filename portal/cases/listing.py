"""What a case-list page needs besides the rows: filter chips, facet links, page links."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from portal.cases.params import CaseFilters

# Parameters that survive when a filter is added or removed (the page number never does).
FILTER_KEYS = ("area", "region", "scope", "tag", "level", "year")


@dataclass
class Chip:
    label: str
    remove_url: str


def filter_label(filters: CaseFilters, key: str) -> str:
    """Describe one active filter in Chinese."""
    if key == "area":
        return f"领域：{filters.area.name}"
    if key == "region":
        suffix = "（仅本级）" if filters.scope == "self" else "（含下辖地区）"
        return f"地区：{filters.region.name}{suffix}"
    if key == "tag":
        return f"标签：{filters.tag.name}"
    if key == "level":
        return f"层级：{filters.level}"
    return f"年份：{filters.year}"


def list_args(filters: CaseFilters, per_page: int | None = None, **changes) -> dict:
    """Return the query arguments of the current list with `changes` applied (None removes a key)."""
    args = {key: value for key, value in filters.raw.items() if key in FILTER_KEYS}
    if per_page:
        args["per_page"] = per_page
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return args


def filter_chips(filters: CaseFilters, per_page: int | None = None) -> list[Chip]:
    """Return a chip per active filter, each with a link that drops just that filter."""
    chips = []
    for key in FILTER_KEYS:
        if key not in filters.raw or key == "scope":
            continue
        dropped = {key: None, "scope": None} if key == "region" else {key: None}
        chips.append(Chip(filter_label(filters, key),
                          url_for("cases.case_list", **list_args(filters, per_page, **dropped))))
    return chips


def filter_url(filters: CaseFilters, per_page: int | None = None, **changes) -> str:
    """Link to the case list with one filter set or replaced."""
    if "region" in changes:
        changes.setdefault("scope", None)
    return url_for("cases.case_list", **list_args(filters, per_page, **changes))


def page_numbers(page: int, pages: int, around: int = 2) -> list[int | None]:
    """Return the page numbers to link, with None where a gap of pages is skipped."""
    wanted = {1, pages} | set(range(max(1, page - around), min(pages, page + around) + 1))
    numbers: list[int | None] = []
    for number in sorted(wanted):
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers
