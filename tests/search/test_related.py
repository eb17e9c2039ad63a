"""Related cases are computed when cases change and stored; neighbours follow; lagging instances never win."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.cases.models import Case, RelatedCase
from portal.extensions import db
from portal.search import related
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
