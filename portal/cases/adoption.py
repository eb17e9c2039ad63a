"""Reading adoption records: a case's lineage both ways, adoptions by region, and the city-wide overview.

Readers only ever see published cases here: a draft neither shows as a source nor as a learner.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from portal.cases.models import Area, Case, CaseAdoption, CaseLearnedFrom, Region
from portal.cases.queries import PUBLISHED, region_tree
from portal.extensions import db


@dataclass
class Lineage:
    """What a case learned from (cases and places) and what learned from it, for its page."""

    sources: list[tuple[Case | None, CaseLearnedFrom]]
    learners: list[Case]
    adoptions: list[CaseAdoption]

    @property
    def empty(self) -> bool:
        return not (self.sources or self.learners or self.adoptions)


def lineage(case: Case) -> Lineage:
    """Return the case's lineage as readers may see it."""
    slugs = [row.source_slug for row in case.learned_from_rows if row.source_slug]
    published = {found.slug: found for found in db.session.scalars(
        select(Case).where(Case.slug.in_(slugs), Case.status == PUBLISHED))} if slugs else {}
    sources = [(published.get(row.source_slug), row) for row in case.learned_from_rows
               if row.source_slug is None or row.source_slug in published]
    learners = db.session.scalars(
        select(Case).join(CaseLearnedFrom, CaseLearnedFrom.case_id == Case.id)
        .where(CaseLearnedFrom.source_slug == case.slug, Case.status == PUBLISHED)
        .order_by(Case.title).distinct()).all()
    return Lineage(sources, list(learners), list(case.adoptions))


def published_adoptions(*, region: Region | None = None, area: Area | None = None,
                        own_only: bool = False) -> list[CaseAdoption]:
    """Adoptions of published cases, in the region (or its whole subtree) and the case's area if given."""
    stmt = (select(CaseAdoption).join(Case, CaseAdoption.case_id == Case.id).where(Case.status == PUBLISHED)
            .order_by(Case.title, CaseAdoption.position))
    if region is not None:
        stmt = stmt.where(CaseAdoption.region_id.in_([region.id] if own_only else region.subtree_ids()))
    if area is not None:
        stmt = stmt.where(Case.area_id == area.id)
    return list(db.session.scalars(stmt))


@dataclass
class Flow:
    """Practices travelling from one region column to another (or across the whole city)."""

    origin: Region
    target: Region
    cases: list[Case] = field(default_factory=list)


def top_level(region: Region, root: Region | None) -> Region:
    """The city or the county a region belongs to: the ten places the overview draws."""
    chain = [*region.ancestors(), region]
    return chain[1] if root is not None and len(chain) > 1 and chain[0].id == root.id else chain[0]


def flows() -> list[Flow]:
    """Every adoption and every case-to-case borrowing, grouped by (origin, target) among the ten regions."""
    roots = region_tree()
    root = roots[0] if roots else None
    grouped: dict[tuple[int, int], Flow] = {}

    def add(origin_case: Case, target_region: Region, learner: Case) -> None:
        origin, target = top_level(origin_case.region, root), top_level(target_region, root)
        flow = grouped.setdefault((origin.id, target.id), Flow(origin, target))
        if learner not in flow.cases:
            flow.cases.append(learner)

    for adoption in published_adoptions():
        add(adoption.case, adoption.region, adoption.case)
    for learner, source in learned_pairs():
        add(source, learner.region, source)
    return list(grouped.values())


def learned_pairs() -> list[tuple[Case, Case]]:
    """(learner, source) for every published case that learned from another published case."""
    source = db.aliased(Case)
    rows = db.session.execute(
        select(Case, source).join(CaseLearnedFrom, CaseLearnedFrom.case_id == Case.id)
        .join(source, source.slug == CaseLearnedFrom.source_slug)
        .where(Case.status == PUBLISHED, source.status == PUBLISHED).order_by(source.title, Case.title))
    return [(learner, origin) for learner, origin in rows]

