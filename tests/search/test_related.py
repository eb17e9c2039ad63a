"""Related cases are computed when cases change and stored; neighbours follow; lagging instances never win."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from whoosh.query import Or, Term

from portal.cases.models import Case, RelatedCase
from portal.extensions import db
from portal.search import related, similarity, state
from portal.search.engine import TEXT
from tests.factories import make_case


def stored(slug: str) -> list[str]:
    """Return the stored related list of `slug`, as slugs, best first."""
    case_id = db.session.scalar(select(Case.id).where(Case.slug == slug))
    rows = db.session.execute(select(Case.slug).join(RelatedCase, RelatedCase.related_id == Case.id)
                              .where(RelatedCase.case_id == case_id).order_by(RelatedCase.rank))
    return list(rows.scalars())


def test_a_publish_updates_the_new_case_and_its_neighbours(taxonomy):
    with taxonomy.app_context():
        make_case("莲都区矛盾纠纷调解", slug="liandu", tags=("调解",), body="矛盾纠纷调解。")
        make_case("城市报表", slug="report", tags=("报表",), body="报表。")
        assert "qingtian" not in stored("liandu")
        make_case("青田县矛盾纠纷调解", slug="qingtian", tags=("调解",), body="矛盾纠纷调解。")
        assert stored("qingtian")[0] == "liandu"
        assert stored("liandu")[0] == "qingtian"  # a neighbour, recomputed without being edited


def test_an_unpublish_leaves_the_neighbours_lists(taxonomy):
    with taxonomy.app_context():
        make_case("莲都区矛盾纠纷调解", slug="liandu", tags=("调解",))
        gone = make_case("青田县矛盾纠纷调解", slug="qingtian", tags=("调解",))
        assert stored("liandu") == ["qingtian"]
        gone.status = "draft"
        db.session.commit()
        assert "qingtian" not in stored("liandu") and stored("qingtian") == []


def test_a_lagging_instance_never_overwrites_a_newer_list(taxonomy):
    with taxonomy.app_context():
        first = make_case("第一个", slug="first").id
        other = make_case("第二个", slug="second").id
        with Session(db.engine) as session:
            related.store(session, {first: [other]}, as_of=10)
        with Session(db.engine) as session:
            assert related.store(session, {first: []}, as_of=7) == 0
        assert stored("first") == ["second"]


def whoosh_more_like_this(searcher, case: Case) -> list[int]:
    """The related list as Whoosh's own key terms and query score it (the case itself left out after
    scoring: Whoosh's AndNot over this Or dropped some of the best matches)."""
    text = " ".join([case.title or "", " ".join(case.tag_names), case.summary or ""])
    terms = [term for term, _ in searcher.key_terms_from_text(TEXT, text, numterms=similarity.KEY_TERMS)]
    clauses = [Term("tags", tag, boost=similarity.TAG_BOOST) for tag in case.tag_names]
    clauses += [Term(TEXT, term) for term in terms]
    results = searcher.search(Or(clauses), limit=related.LIMIT + 1)
    return [int(hit["id"]) for hit in results if hit["id"] != str(case.id)][:related.LIMIT]


def test_bulk_lists_equal_whooshs_more_like_this_on_the_seed_cases(seeded_app):
    with seeded_app.app_context():
        cases = db.session.scalars(select(Case).where(Case.status == "published")).all()
        with state.current().open_index().searcher() as searcher:
            scorer = similarity.Similarity(searcher)
            for case in cases:
                expected = whoosh_more_like_this(searcher, case)
                assert scorer.similar(case.id, case.title, case.tag_names, case.summary, related.LIMIT) == expected
                assert [word for word, _ in searcher.key_terms_from_text(TEXT, case.summary, numterms=12)] \
                    == scorer.key_terms(case.summary)


def test_lists_are_the_same_whether_a_terms_scores_are_dense_or_sparse(seeded_app, monkeypatch):
    with seeded_app.app_context():
        cases = db.session.scalars(select(Case).where(Case.status == "published")).all()
        arguments = [(case.id, case.title, case.tag_names, case.summary, related.LIMIT) for case in cases]
        with state.current().open_index().searcher() as searcher:
            monkeypatch.setattr(similarity, "DENSE_COLUMNS", 0)
            sparse = similarity.Similarity(searcher)
            expected = [sparse.similar(*args) for args in arguments]
            monkeypatch.setattr(similarity, "DENSE_SHARE", 0.0)
            monkeypatch.setattr(similarity, "DENSE_COLUMNS", 7)  # some dense, the rest sparse once 7 are
            mixed = similarity.Similarity(searcher)
            assert [mixed.similar(*args) for args in arguments] == expected
            assert expected == [whoosh_more_like_this(searcher, case) for case in cases]
            assert mixed.dense_columns == 7 and sparse.dense_columns == 0
            assert {docnums is None for docnums, _ in mixed.columns.values()} == {True, False}


def test_seed_cases_list_cases_sharing_their_subject(seeded_app):
    with seeded_app.app_context():
        # The two cases sharing two of its tags (乡村治理, 品牌培育) come first; the old query lost one.
        assert set(stored("xitou-sanhua-zhili")[:2]) == {"huangnidun-yangguang-piaojue", "yingcun-minshi-cunliao"}
        for slug in db.session.scalars(select(Case.slug).where(Case.status == "published")):
            assert len(stored(slug)) == related.LIMIT and slug not in stored(slug), slug


def test_lists_computed_in_worker_processes_equal_those_computed_in_one(taxonomy, monkeypatch):
    with taxonomy.app_context():
        slugs = [f"case-{number}" for number in range(12)]
        for number, slug in enumerate(slugs):
            make_case(f"第{number}个矛盾纠纷调解案例", slug=slug, tags=("调解", f"标签{number % 3}"),
                      body=f"矛盾纠纷调解，网格{number % 4}，平安建设{number % 5}。")
        ix = state.current().open_index()
        monkeypatch.setattr(related, "CHUNK", 5)  # several chunks, so both workers get some
        computed = {}
        for procs in (1, 2):
            db.session.execute(RelatedCase.__table__.delete())
            db.session.commit()
            assert related.refresh_missing(db.engine, ix, procs=procs) == 12
            db.session.expire_all()
            computed[procs] = {slug: stored(slug) for slug in slugs}
        assert computed[2] == computed[1] and all(computed[1].values())
