"""The coverage matrix: published cases (or their recorded adoptions) per 统筹 area and per region of 丽水."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from portal.caching import per_generation
from portal.cases.models import Area, Case, CaseAdoption, Region
from portal.cases.queries import PUBLISHED, all_areas, region_tree
from portal.extensions import db

# Upper bounds of the heat buckets: 0, 1, 2, 3–4, 5 and more.
BUCKET_LIMITS = (0, 1, 2, 4)
# What a cell counts: the cases written up there, or the adoptions recorded there (?count=adoptions).
COUNTINGS = {"cases": "案例数", "adoptions": "推广次数"}


@dataclass
class Column:
    """One region column; `own_only` means the city's own cases, not its counties'."""

    region: Region
    own_only: bool

    @property
    def label(self) -> str:
        return f"{self.region.name}本级" if self.own_only else self.region.name


@dataclass
class Matrix:
    areas: list[Area]
    columns: list[Column]
    counts: dict[tuple[int, int], int]
    root: Region | None
    counting: str = "cases"

    def count(self, area: Area, column: Column) -> int:
        return self.counts.get((area.id, column.region.id), 0)

    def area_total(self, area: Area) -> int:
        return sum(self.count(area, column) for column in self.columns)

    def column_total(self, column: Column) -> int:
        return sum(self.count(area, column) for area in self.areas)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def empty_cells(self) -> int:
        return sum(1 for area in self.areas for column in self.columns if not self.count(area, column))


def heat_bucket(count: int) -> int:
    """Map a count to a heat level 0–4 for the CSS classes heat-0 … heat-4."""
    for level, limit in enumerate(BUCKET_LIMITS):
        if count <= limit:
            return level
    return len(BUCKET_LIMITS)


def build_matrix(counting: str = "cases") -> Matrix:
    """Count published cases (or adoptions) per area and column, rolling townships and villages up to their county."""
    roots = region_tree()
    root = roots[0] if roots else None
    columns = _columns(root)
    column_of = _column_lookup(root, columns)
    count = count_adoptions if counting == "adoptions" else count_cells
    counts = per_generation(f"matrix-cells-{counting}", lambda: count(column_of))
    return Matrix(areas=all_areas(), columns=columns, counts=counts, root=root, counting=counting)


def count_cells(column_of: dict[int, int]) -> dict[tuple[int, int], int]:
    """Count published cases per (area id, column region id)."""
    return tally(db.session.execute(select(Case.area_id, Case.region_id, func.count(Case.id))
                                    .where(Case.status == PUBLISHED).group_by(Case.area_id, Case.region_id)),
                 column_of)


def count_adoptions(column_of: dict[int, int]) -> dict[tuple[int, int], int]:
    """Count adoptions of published cases per (the case's area id, column of the region it was adopted in)."""
    return tally(db.session.execute(
        select(Case.area_id, CaseAdoption.region_id, func.count(CaseAdoption.id))
        .join(Case, CaseAdoption.case_id == Case.id).where(Case.status == PUBLISHED)
        .group_by(Case.area_id, CaseAdoption.region_id)), column_of)


def tally(rows, column_of: dict[int, int]) -> dict[tuple[int, int], int]:
    """Add up (area id, region id, number) rows into their columns."""
    counts: dict[tuple[int, int], int] = {}
    for area_id, region_id, number in rows:
        column_id = column_of.get(region_id)
        if column_id is not None:
            counts[(area_id, column_id)] = counts.get((area_id, column_id), 0) + number
    return counts


def _columns(root: Region | None) -> list[Column]:
    """Return the city's own column followed by one column per county."""
    if root is None:
        return []
    return [Column(root, own_only=True)] + [Column(child, own_only=False) for child in root.children]


def _column_lookup(root: Region | None, columns: list[Column]) -> dict[int, int]:
    """Map every region id under the root to the id of the column it is counted in."""
    if root is None:
        return {}
    lookup = {root.id: root.id}
    for column in columns[1:]:
        for region_id in column.region.subtree_ids():
            lookup[region_id] = column.region.id
    return lookup
