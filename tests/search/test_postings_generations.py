"""A publish's generation builds on the previous generation's postings and facet tables, reading only
the new segment, and finds what tables read afresh find."""

from __future__ import annotations

import numpy
from sqlalchemy import select

from portal.cases.models import Case
from portal.extensions import db
from portal.search import facets, ranking, state
from tests.factories import make_case
from tests.helpers.search import search, slugs

WORDS = ("梯田", "议事", "网格", "矛盾")


def postings_now() -> tuple[ranking.GenerationPostings, dict]:
    """This thread's postings cache of the live generation, and each word's postings from it."""
    searcher = state.current().snapshot().searcher
    found = {word: ranking.cached_postings(searcher, word) for word in WORDS}
    for word, postings in found.items():
        fresh = ranking.live_postings(searcher, word)
        assert numpy.array_equal(postings.docs, fresh.docs) and numpy.array_equal(postings.weights, fresh.weights)
        assert postings.docs.dtype == fresh.docs.dtype and postings.weights.dtype == fresh.weights.dtype
    return state.memo(searcher, "postings", lambda: None), found


def test_a_publish_reads_only_the_new_segment_and_finds_the_same(taxonomy):
    with taxonomy.app_context():
        make_case("梯田议事会", slug="titian", body="网格员召集梯田议事。")
        make_case("矛盾纠纷调处", slug="maodun", body="网格化解矛盾。")
        postings_now()
        make_case("第二个梯田议事", slug="titian-2", body="梯田议事，矛盾不出村。")  # a new segment
        cache, found = postings_now()
        assert cache.previous is not None  # built on the previous generation's postings
        assert len(found["梯田"]) == 2 and len(found["矛盾"]) == 2
        assert sorted(slugs("梯田议事")) == ["titian", "titian-2"]


def test_a_change_to_an_older_segment_reads_everything_again(taxonomy):
    with taxonomy.app_context():
        make_case("梯田议事会", slug="titian", body="网格员召集梯田议事。")
        make_case("矛盾纠纷调处", slug="maodun", body="网格化解矛盾。")
        postings_now()
        case = db.session.scalar(select(Case).where(Case.slug == "titian"))
        case.status = "draft"  # unpublished: deleted from its old segment
        db.session.commit()
        cache, found = postings_now()
        assert cache.previous is None
        assert len(found["梯田"]) == 0 and len(found["矛盾"]) == 1


def facet_tables(searcher) -> tuple:
    table = facets.rows_for(searcher)
    return table, facets.value_sets(searcher), facets.value_bits(searcher), facets.names(searcher, table)


def test_a_publishs_facet_tables_built_on_the_previous_equal_tables_built_afresh(taxonomy):
    with taxonomy.app_context():
        make_case("梯田议事会", slug="titian", tags=("议事",), body="网格员召集梯田议事。")
        make_case("矛盾纠纷调处", slug="maodun", tags=("网格",), region_code="331121", body="网格化解矛盾。")
        facet_tables(state.current().snapshot().searcher)
        make_case("第二个梯田议事", slug="titian-2", tags=("议事", "梯田"), area_slug="quyu", body="梯田议事。")
        searcher = state.current().snapshot().searcher
        assert facets.inherited(searcher, "facet_bits")[0] is not None  # built on the previous generation's
        built_on_previous = facet_tables(searcher)
        with state.current().open_index().searcher() as fresh:  # a searcher the state did not open
            assert facet_tables(fresh) == built_on_previous
        assert search("", tag="议事").total == 2
        assert {item["name"]: item["count"] for item in search("").facets["tag"]} == {"议事": 2, "网格": 1, "梯田": 1}
