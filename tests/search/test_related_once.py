"""Related lists live in the shared database: an instance applying entries to its own index does not
compute again the lists another instance already stored as of those entries."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

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
