"""gunicorn's master builds what every worker reads before it forks them (--preload), and starts no thread doing so."""

from __future__ import annotations

import gc
import logging
import os
import subprocess
import sys
import threading

import pytest

from portal import create_app
from portal.config import PROJECT_ROOT
from portal.ops.lifecycle import before_forking, warm_up
from portal.ops.requestlog import LOGGER_NAME
from portal.search import completion, facets, pinyin, warmup
from tests.factories import make_case, make_taxonomy
from tests.helpers.search import search, slugs


@pytest.fixture
def library(app, database_url, instance_dir):
    """A production-like app (request log and search poller on) over a small published library."""
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                      "INSTANCE_DIR": str(instance_dir), "REQUEST_LOG": True, "SEARCH_BACKGROUND_SYNC": True})
    with app.app_context():
        make_taxonomy()
        make_case("缙云县“包乡走村”", slug="zoucun", tags=("走村",), body="干部每月走访农户。")
        make_case("景宁畲族自治县“阳光票决制”", slug="piaojue", tags=("票决",), body="村级重大事项票决。")
    return app


def never(*args, **kwargs):
    raise AssertionError("a worker rebuilt what the master had built before forking")


def test_the_master_builds_the_search_tables_so_a_worker_builds_none(library, monkeypatch):
    assert warm_up(library) is True
    # What a worker forked now does on its first searches: every table comes from the master.
    for module, name in ((facets, "read_segment"), (pinyin, "build"), (completion, "build")):
        monkeypatch.setattr(module, name, never)
    with library.test_request_context():
        assert slugs("走村") == ["zoucun"]
        assert slugs("yangguangpiaojue") == ["piaojue"]  # pinyin: the master built the spellings
        assert search("", tag="票决").total == 1
        assert "包乡走村" in [found.text for found in completion.complete("包乡")]


def test_warming_up_starts_no_thread_and_logs_no_request(library):
    """A worker forked while a master thread holds a lock can hang; the poller starts in each worker."""
    lines: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = lines.append
    logging.getLogger(LOGGER_NAME).addHandler(handler)
    before = set(threading.enumerate())
    try:
        assert warm_up(library) is True
    finally:
        logging.getLogger(LOGGER_NAME).removeHandler(handler)
    assert set(threading.enumerate()) == before
    assert lines == []  # the master's own reads are not readers' requests
    assert library.config["SEARCH_BACKGROUND_SYNC"] is True  # the workers still start their poller
    assert library.test_client().get("/").status_code == 200


def test_without_a_usable_index_the_master_builds_nothing_and_rebuilds_nothing(app):
    """A fresh install: the index is rebuilt by a worker's first search, never in the master."""
    with app.app_context():
        make_taxonomy()
    before = set(threading.enumerate())
    assert warm_up(app) is False
    assert set(threading.enumerate()) == before


def test_the_preloaded_app_leaves_out_what_only_editors_use_and_copies_no_pinyin_table(tmp_path):
    """Everything the master loads sits in every worker's share of it: jieba's keyword and
    part-of-speech tables (taxonomy suggestions for editors) load on first use, and pypinyin keeps
    one phrase table, which still knows the portal's own readings (莲都 is Liándū)."""
    env = {**os.environ, "PORTAL_ENV": "production", "SECRET_KEY": "test", "PORTAL_INSTANCE_DIR": str(tmp_path),
           "PYTHONPATH": str(PROJECT_ROOT)}
    env.pop("DATABASE_URL", None)
    loaded = subprocess.run([sys.executable, "-c", "import sys, wsgi, pypinyin.constants as c, pypinyin.phrases_dict as p; "
                             "from pypinyin import lazy_pinyin; import portal.slugs; "
                             "print(sorted(m for m in ('jieba.analyse', 'jieba.posseg') if m in sys.modules), "
                             "c.PHRASES_DICT is p.phrases_dict, ''.join(lazy_pinyin('莲都')))"],
                            capture_output=True, text=True, env=env, cwd=PROJECT_ROOT, timeout=300)
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    assert loaded.stdout.strip().splitlines()[-1] == "[] True liandu"


def test_a_failing_warm_up_still_lets_the_master_fork_its_workers(library, monkeypatch, caplog):
    def broken():
        raise RuntimeError("database gone")

    monkeypatch.setattr(warmup, "prepare", broken)
    try:
        before_forking(library)
    finally:
        gc.unfreeze()
    assert "warming up before forking the workers failed" in caplog.text
    with library.test_request_context():
        assert slugs("走村") == ["zoucun"]  # the worker builds the tables itself
