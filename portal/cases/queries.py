"""Queries over published cases: filtered lists, pages of results, counts for the home page."""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask import g, has_request_context
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from portal.caching import per_generation
from portal.cases.models import Area, Case, Region, Tag, case_tags
from portal.cases.params import CaseFilters, Paging
from portal.extensions import db

PUBLISHED = "published"


@dataclass
class ResultPage:
    """One page of a case list."""

    items: list[Case]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def beyond_end(self) -> bool:
        return self.page > self.pages


def published_cases() -> Select:
    """Select published cases, newest first, with tags and secondary areas loaded in bulk."""
    return (select(Case).where(Case.status == PUBLISHED)
            .options(selectinload(Case.tags), selectinload(Case.secondary_areas))
            .order_by(Case.published_at.desc().nulls_last(), Case.id.desc()))


def apply_filters(stmt: Select, filters: CaseFilters) -> Select:
    """Narrow a case select by the active filters; a region includes everything below it."""
    if filters.area is not None:
        stmt = stmt.where(Case.area_id == filters.area.id)
    if filters.region is not None:
        stmt = stmt.where(Case.region_id.in_(region_ids(filters.region, filters.scope)))
    if filters.tag is not None:
        stmt = stmt.where(Case.id.in_(select(case_tags.c.case_id).where(case_tags.c.tag_id == filters.tag.id)))
    if filters.level is not None:
        stmt = stmt.where(Case.level == filters.level)
    if filters.year is not None:
        stmt = stmt.where(Case.year == filters.year)
    return stmt


def region_ids(region: Region, scope: str | None = None) -> list[int]:
    """Return the region's own id for scope "self", else its whole subtree."""
    return [region.id] if scope == "self" else region.subtree_ids()


def paginate(stmt: Select, paging: Paging) -> ResultPage:
    """Run one page of `stmt` and count all its rows.

    Two statements, not a window count in one: `count(*) OVER ()` makes the database carry every
    matching row, wide columns and all, through the window before the LIMIT (a 10k list page took 3×
    as long to render)."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    offset = (paging.page - 1) * paging.per_page
    items = db.session.scalars(stmt.limit(paging.per_page).offset(offset)).unique().all()
    return ResultPage(items=list(items), total=total or 0, page=paging.page, per_page=paging.per_page)


def filtered_page(filters: CaseFilters, paging: Paging) -> ResultPage:
    """Return one page of published cases matching the filters."""
    return paginate(apply_filters(published_cases(), filters), paging)


def recently_updated(filters: CaseFilters | None = None) -> Select:
    """Select published cases (matching the filters), the most recently published or changed first."""
    stmt = published_cases().order_by(None).order_by(Case.updated_at.desc(), Case.id.desc())
    return apply_filters(stmt, filters) if filters is not None else stmt


def recent_updates(filters: CaseFilters | None, limit: int) -> list[Case]:
    """Return the `limit` most recently published or changed cases matching the filters."""
    return list(db.session.scalars(recently_updated(filters).limit(limit)).unique())


def latest_published(limit: int = 6) -> list[Case]:
    """Return the most recently published cases."""
    return list(db.session.scalars(published_cases().limit(limit)).unique())


def published_count() -> int:
    """Count the published cases (once per content generation)."""
    return per_generation("published-count", lambda: db.session.scalar(
        select(func.count(Case.id)).where(Case.status == PUBLISHED)) or 0)


def counts_by_area() -> list[tuple[Area, int]]:
    """Return every area with its number of published cases (primary area), in display order."""
    counts = per_generation("area-counts", lambda: dict(db.session.execute(
        select(Case.area_id, func.count(Case.id)).where(Case.status == PUBLISHED).group_by(Case.area_id)).all()))
    return [(area, counts.get(area.id, 0)) for area in all_areas()]


def all_areas() -> list[Area]:
    """Return the five areas in display order (read once per request: the home page shows them twice)."""
    if not has_request_context():
        return list(db.session.scalars(select(Area).order_by(Area.position, Area.id)))
    if "all_areas" not in g:
        g.all_areas = list(db.session.scalars(select(Area).order_by(Area.position, Area.id)))
    return g.all_areas


def all_published() -> list[Case]:
    """Return every published case, newest first."""
    return list(db.session.scalars(published_cases()).unique())


def all_regions() -> list[Region]:
    """Return every region, tree roots first."""
    return list(db.session.scalars(select(Region).order_by(Region.parent_id.is_not(None), Region.position,
                                                           Region.id)))


def region_tree() -> list[Region]:
    """Return the tree roots with every level below loaded, from one statement (walking a county's
    subtree lazily cost one query per region, loading it level by level one per level)."""
    regions = list(db.session.scalars(select(Region).order_by(Region.position, Region.id)))
    by_id = {region.id: region for region in regions}
    below: dict[int | None, list[Region]] = {}
    for region in regions:
        below.setdefault(region.parent_id, []).append(region)
    for region in regions:
        set_committed_value(region, "children", below.get(region.id, []))
        set_committed_value(region, "parent", by_id.get(region.parent_id))
    return below.get(None, [])


def tag_has_published_cases(tag: Tag) -> bool:
    """Tell whether any published case carries this tag."""
    stmt = (select(func.count()).select_from(case_tags).join(Case, Case.id == case_tags.c.case_id)
            .where(case_tags.c.tag_id == tag.id, Case.status == PUBLISHED))
    return bool(db.session.scalar(stmt))


def published_tags() -> list[tuple[Tag, int]]:
    """Return the tags used by published cases, with counts, most used first."""
    counted = per_generation("tag-counts", count_tags)
    tags = {tag.id: tag for tag in db.session.scalars(select(Tag).where(Tag.id.in_([i for i, _ in counted])))}
    return [(tags[tag_id], count) for tag_id, count in counted if tag_id in tags]


def count_tags() -> list[tuple[int, int]]:
    """Return (tag id, published cases) pairs, most used first (once per content generation)."""
    stmt = (select(Tag.id, func.count(Case.id)).join(case_tags, case_tags.c.tag_id == Tag.id)
            .join(Case, Case.id == case_tags.c.case_id).where(Case.status == PUBLISHED)
            .group_by(Tag.id, Tag.name).order_by(func.count(Case.id).desc(), Tag.name))
    return [(tag_id, count) for tag_id, count in db.session.execute(stmt).all()]


def same_area_cases(case: Case, limit: int = 5) -> list[Case]:
    """Return other published cases from the same primary area."""
    stmt = published_cases().where(Case.area_id == case.area_id, Case.id != case.id).limit(limit)
    return list(db.session.scalars(stmt).unique())


def find_case(slug: str, *, published_only: bool) -> Case | None:
    """Return the case with this slug; drafts only when the reader may preview them."""
    if "\x00" in slug or len(slug) > 120:
        return None
    stmt = select(Case).where(Case.slug == slug)
    if published_only:
        stmt = stmt.where(Case.status == PUBLISHED)
    return db.session.scalar(stmt)


def find_area(slug: str) -> Area | None:
    """Return the area with this slug."""
    return None if "\x00" in slug else db.session.scalar(select(Area).where(Area.slug == slug))


def find_region(code: str) -> Region | None:
    """Return the region with this code."""
    return None if "\x00" in code else db.session.scalar(select(Region).where(Region.code == code))


def find_tag(name: str) -> Tag | None:
    """Return the tag with this name."""
    return None if "\x00" in name else db.session.scalar(select(Tag).where(Tag.name == name))
