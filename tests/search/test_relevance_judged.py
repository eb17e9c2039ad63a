"""The judged relevance set (tests/search/judged_queries.py) and the thresholds the portal is held to.

`make bench-relevance` prints the full comparison with the FTS5 and LIKE baselines.
"""

from __future__ import annotations

from collections import Counter

import pytest

from bench.relevance_lib import Fts5Engine, LikeEngine, case_rows, evaluate, portal_answer
from portal.config import PROJECT_ROOT
from tests.search.judged_queries import HELD_OUT, JUDGED, KINDS

CASE_SLUGS = {path.stem for path in (PROJECT_ROOT / "content" / "cases").glob("*.md")}


def test_the_judged_set_has_every_kind_of_query_and_enough_negatives():
    kinds = Counter(item.kind for item in JUDGED)
    assert len(JUDGED) >= 150
    assert kinds["negative"] >= 10
    assert set(kinds) == set(KINDS) and min(kinds.values()) >= 10, kinds
    assert len({item.query for item in JUDGED}) == len(JUDGED), "a query is judged twice"


def test_every_judgement_names_a_real_case_and_every_answerable_query_has_a_relevant_one():
    for item in JUDGED:
        assert set(item.grades) <= CASE_SLUGS, item.query
        assert set(item.grades.values()) <= {1, 2, 3}, item.query
        assert bool(item.relevant()) == item.answerable, item.query


@pytest.fixture(scope="module")
def reports(database_url, tmp_path_factory):
    """Every engine's answers to every judged query, on the seed content (imported once for the module)."""
    from portal import create_app
    from portal.content.pipeline import import_content_dir
    from portal.extensions import db
    from tests.helpers.database import empty_all_tables

    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                      "INSTANCE_DIR": str(tmp_path_factory.mktemp("relevance-instance"))})
    with app.app_context():
        empty_all_tables()
        assert import_content_dir(PROJECT_ROOT / "content", progress=False).ok
        rows = case_rows()
        found = {"portal": evaluate(JUDGED, portal_answer), "fts5": evaluate(JUDGED, Fts5Engine(rows).answer),
                 "like": evaluate(JUDGED, LikeEngine(rows).answer)}
        empty_all_tables()
        db.session.remove()
        db.engine.dispose()
    return found


@pytest.fixture(scope="module")
def portal_report(reports):
    return reports["portal"]


def test_the_portal_ranks_better_than_fts5_and_like_overall(reports):
    portal, fts5, like = (reports[name]["all"]["nDCG@5"] for name in ("portal", "fts5", "like"))
    assert portal > fts5 and portal > like, (portal, fts5, like)


def test_no_topic_the_library_does_not_cover_is_answered_as_a_full_match(portal_report):
    answers = portal_report["_answers"]
    full = [item.query for item in JUDGED if not item.answerable and answers[item.query].full_match]
    assert full == []


def test_every_place_name_and_traditional_character_query_finds_its_case_first(portal_report):
    answers = portal_report["_answers"]
    wrong = [(item.query, answers[item.query].slugs[:1]) for item in JUDGED
             if item.kind in ("place", "traditional") and not item.relevant() & set(answers[item.query].slugs[:1])]
    assert wrong == []


def test_every_answerable_query_finds_something(portal_report):
    answers = portal_report["_answers"]
    empty = [item.query for item in JUDGED if item.answerable and not answers[item.query].found]
    assert empty == []


def test_a_relevant_case_is_in_the_top_three_for_at_least_97_percent_of_answerable_queries(portal_report):
    answers = portal_report["_answers"]
    missed = [item.query for item in JUDGED
              if item.answerable and not item.relevant() & set(answers[item.query].slugs[:3])]
    assert portal_report["all"]["S@3"] >= 0.97, missed


def test_the_held_out_queries_pass_the_same_thresholds(portal_report):
    held_out = evaluate(HELD_OUT, lambda query: portal_report["_answers"][query])
    assert held_out["all"]["S@3"] >= 0.97 and held_out["all"]["zero"] == 0, held_out["all"]
    assert held_out["all"]["neg_full"] == 0
