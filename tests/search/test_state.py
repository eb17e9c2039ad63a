"""The search state lives in one object per app: two apps in one process never share an index or a cache."""

from __future__ import annotations

import threading

from portal import create_app
from portal.search import state
from tests.factories import make_case
from tests.helpers.search import search, slugs


def second_app(database_url, tmp_path, **config):
    return create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                       "INSTANCE_DIR": str(tmp_path / "second"), **config})


def test_each_app_owns_its_index_and_caches(taxonomy, database_url, tmp_path):
    other = second_app(database_url, tmp_path)
    assert other.extensions["search"] is not taxonomy.extensions["search"]
    with taxonomy.app_context():
        make_case("云和梯田共富", slug="titian", tags=("梯田",))
        assert slugs("梯田") == ["titian"]
        mine = state.current().snapshot()
    with other.app_context():
        # The second app's index lives in its own instance dir: built from the database on first use.
        assert slugs("梯田") == ["titian"]
        theirs = state.current().snapshot()
    assert mine.searcher is not theirs.searcher and mine.derived is not theirs.derived
    other.extensions["search"].forget_indexes()


def test_facet_counts_follow_a_new_generation(taxonomy):
    with taxonomy.app_context():
        make_case("第一个", slug="one", tags=("网格",))
        assert search("").facets["tag"] == [{"name": "网格", "count": 1}]
        before = state.current().snapshot().generation
        make_case("第二个", slug="two", tags=("网格",))
        assert state.current().snapshot().generation != before
        assert search("").facets["tag"] == [{"name": "网格", "count": 2}]


def test_derived_data_is_not_kept_on_whoosh_searchers(taxonomy):
    with taxonomy.app_context():
        make_case("缙云县包乡走村", slug="zoucun", tags=("走村",))
        assert search("走村", tag="走村").total == 1
        snapshot = state.current().snapshot()
    assert not [name for name in vars(snapshot.searcher) if name.startswith("_portal")]
    assert {"facet_rows", "facet_sets", "lengths:text"} <= set(snapshot.derived)


def poller_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "search-sync"]


def test_the_poller_starts_once_per_process_on_the_first_request(database_url, tmp_path):
    app = second_app(database_url, tmp_path, SEARCH_BACKGROUND_SYNC=True, SEARCH_SYNC_INTERVAL=3600)
    before = len(poller_threads())
    client = app.test_client()
    client.get("/healthz")
    client.get("/healthz")
    assert len(poller_threads()) == before + 1


def test_threads_asking_for_the_same_derived_value_compute_it_once(taxonomy):
    with taxonomy.app_context():
        make_case("第一个", slug="one", tags=("网格",))
        search("网格")
        searcher = state.current().snapshot().searcher
    calls, started, release = [], threading.Event(), threading.Event()

    def slow() -> str:
        calls.append(1)
        started.set()
        release.wait(5)
        return "value"

    results = []

    def ask() -> None:
        with taxonomy.app_context():
            results.append(state.memo(searcher, "test:slow", slow))

    first = threading.Thread(target=ask)
    first.start()
    started.wait(5)
    second = threading.Thread(target=ask)
    second.start()
    second.join(0.3)  # gives it time to ask (on the old code it computed the value again meanwhile)
    release.set()
    first.join(5)
    second.join(5)
    assert results == ["value", "value"] and len(calls) == 1
