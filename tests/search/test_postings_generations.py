"""A publish's generation takes each word's postings over the unchanged segments from the previous
generation's cache and reads only the new segment, with the same postings as read afresh."""

from __future__ import annotations

import numpy
from sqlalchemy import select

from portal.cases.models import Case
from portal.extensions import db
from portal.search import ranking, state
from tests.factories import make_case
from tests.helpers.search import slugs

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
