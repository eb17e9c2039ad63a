"""Facet counts and filters (counted with bitsets) agree with counting every matching document's values."""

from __future__ import annotations

from collections import Counter

import pytest

from portal.cases.models import Case
from portal.extensions import db
from portal.search import state
from portal.search.facets import FACETS, filter_and_count, rows_for
from tests.helpers.search import search


def reference_counts(docnums, table: dict, filters: dict) -> tuple[list[int], dict[str, Counter]]:
    """Count the slow, obvious way: every matching document, every facet."""
    wanted = {facet: value for facet, value in filters.items() if value not in (None, "")}

    def passes(row, skip=None) -> bool:
        return all(value in values(row, facet) for facet, value in wanted.items() if facet != skip)

    counts = {facet: Counter() for facet in FACETS}
    for docnum in docnums:
        row = table.get(docnum)
        for facet in FACETS:
            if row is not None and passes(row, skip=facet):
                counts[facet].update(value for value in values(row, facet) if value)
    passing = sorted(docnum for docnum in docnums if docnum in table and passes(table[docnum]))
    return passing, counts


def values(row, facet: str) -> tuple:
    value = row.value(facet)
    return value if isinstance(value, tuple) else (value,)


def current_searcher():
    search("网格")  # opens this thread's snapshot
    return state.current().snapshot().searcher


@pytest.mark.parametrize("filters", [
    {},
    {"area": "liliang"},
    {"level": "县级", "area": "pingtai"},
    {"region": "331127", "tag": "网格"},
    {"year": 2019, "area": "nowhere"},
])
def test_bitset_counts_equal_counting_each_document(seeded_app, filters):
    with seeded_app.app_context():
        case = db.session.scalar(db.select(Case).order_by(Case.id))
        case.summary += "（修订）"  # leaves a deleted document in the index
        db.session.commit()
        searcher = current_searcher()
        table = rows_for(searcher)
        everything = list(range(searcher.reader().doc_count_all()))
        for docnums in (everything, everything[::3], []):
            full = {facet: None for facet in FACETS} | filters
            assert filter_and_count(docnums, searcher, table, full) == reference_counts(docnums, table, full)
