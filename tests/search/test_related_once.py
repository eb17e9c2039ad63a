"""Related lists live in the shared database: an instance applying entries to its own index does not
compute again the lists another instance already stored as of those entries."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from portal.cases.models import RelatedCase
from portal.extensions import db
from portal.search import related, state
from portal.search.models import SearchOutbox
from tests.factories import make_case


@pytest.fixture
def neighbours(taxonomy):
    with taxonomy.app_context():
        make_case("莲都区矛盾纠纷调解", slug="liandu", tags=("调解",), body="矛盾纠纷调解。")
        newest = make_case("青田县矛盾纠纷调解", slug="qingtian", tags=("调解",), body="矛盾纠纷调解。").id
    return taxonomy, newest


def computing(monkeypatch) -> list:
    calls = []
    original = related.similarity_of
    monkeypatch.setattr(related, "similarity_of", lambda searcher: calls.append(1) or original(searcher))
    return calls


def test_lists_stored_as_of_the_applied_entries_are_not_computed_again(neighbours, monkeypatch):
    app, newest = neighbours
    with app.app_context():
        position = db.session.scalar(select(func.max(SearchOutbox.id)))
        calls = computing(monkeypatch)
        assert related.refresh(db.engine, state.current().open_index(), [(position, newest)]) == 0
        assert calls == []


def test_lists_older_than_the_applied_entries_are_computed(neighbours, monkeypatch):
    app, newest = neighbours
    with app.app_context():
        position = db.session.scalar(select(func.max(SearchOutbox.id)))
        calls = computing(monkeypatch)
        related.refresh(db.engine, state.current().open_index(), [(position + 1, newest)])
        assert calls == [1]


def test_two_instances_storing_the_same_list_at_once_take_turns(neighbours, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL): SQLite lets one writer in at a time")
    app, newest = neighbours
    paused, resume, failures = threading.Event(), threading.Event(), []

    class PausedBeforeCommit(Session):
        def commit(self):
            paused.set()
            resume.wait(10)
            super().commit()

    def store(session_class, as_of: int) -> None:
        try:
            with session_class(engine) as session:
                related.store(session, {newest: [newest - 1]}, as_of=as_of)
        except Exception as error:  # noqa: BLE001  (the test reports it)
            failures.append(error)

    with app.app_context():
        engine = db.engine
        db.session.execute(delete(RelatedCase).where(RelatedCase.case_id == newest))
        db.session.commit()
        first = threading.Thread(target=store, args=(PausedBeforeCommit, 50))
        first.start()
        assert paused.wait(10), failures
        second = threading.Thread(target=store, args=(Session, 50))
        second.start()
        time.sleep(0.3)  # the second instance reaches the same rows meanwhile
        resume.set()
        first.join(10)
        second.join(10)
        assert failures == []
        assert db.session.scalars(select(RelatedCase.related_id).where(RelatedCase.case_id == newest)).all() == [newest - 1]
