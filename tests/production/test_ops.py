"""Operations in one process: /healthz, the JSON request log, proxy headers, security headers, gzip."""

from __future__ import annotations

import gzip
import json
import logging
import os
import runpy
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from portal import create_app
from portal.config import PROJECT_ROOT, normalize_database_url
from portal.ops.requestlog import LOGGER_NAME, JsonLineFormatter
from portal.search.models import SearchOutbox
from portal.search.rebuild import rebuild_lock
from tests.factories import make_case, make_taxonomy
from tests.helpers.production import wait_for


class JsonLines(logging.Handler):
    """Collect what the request logger writes, formatted exactly as on stderr."""

    def __init__(self):
        super().__init__()
        self.setFormatter(JsonLineFormatter())
        self.lines: list[dict] = []

    def emit(self, record):
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def request_log():
    handler = JsonLines()
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


def logging_client(database_url, instance_dir, **config):
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                      "INSTANCE_DIR": str(instance_dir), "REQUEST_LOG": True, **config})
    return app.test_client()


def test_healthz_reports_the_database_and_the_index(app, client, runner):
    with app.app_context():
        make_taxonomy()
        make_case("松阳县一人一事一档", slug="yidang")
        make_case("仍是草稿", slug="draft", status="draft")
    assert runner.invoke(args=["search", "reindex", "--quiet"]).exit_code == 0
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"] == {"reachable": True, "backend": app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0]
                                .split("+")[0]}
    search = body["search"]
    assert (search["documents"], search["pending_outbox"], search["rebuilding"], search["usable"]) == (1, 0, False, True)
    assert search["last_applied_id"] >= 2 and search["generation"] >= 0


def test_healthz_stays_ok_while_a_reindex_builds_beside_the_live_index(app, client, runner):
    with app.app_context():
        make_taxonomy()
        make_case("龙泉市陈尸陈案专项攻坚", slug="gongjian")
    assert runner.invoke(args=["search", "reindex", "--quiet"]).exit_code == 0
    with rebuild_lock(app.config["SEARCH_INDEX_DIR"]):
        response = client.get("/healthz")
    body = response.get_json()
    assert response.status_code == 200
    assert (body["search"]["rebuilding"], body["search"]["usable"], body["search"]["documents"]) == (True, True, 1)


def test_healthz_is_503_while_a_lost_index_is_being_rebuilt(app, client, runner):
    with app.app_context():
        make_taxonomy()
        make_case("景宁域外网格", slug="yuwai")
    assert runner.invoke(args=["search", "reindex", "--quiet"]).exit_code == 0
    index_dir = Path(app.config["SEARCH_INDEX_DIR"])
    shutil.rmtree(index_dir.resolve())
    with rebuild_lock(index_dir):  # another worker is rebuilding it right now
        response = client.get("/healthz")
        page = client.get("/search?q=网格")
    body = response.get_json()
    assert response.status_code == 503
    assert body["status"] == "degraded" and body["database"]["reachable"] is True
    assert (body["search"]["rebuilding"], body["search"]["usable"]) == (True, False)
    assert page.status_code == 200 and "正在重建" in page.get_data(as_text=True)  # a notice, not an error
    # Once the lock is released, the next look starts a rebuild in the background and says so...
    first_look = client.get("/healthz")
    assert first_look.status_code == 503 and first_look.get_json()["search"]["rebuilding"] is True
    # ...and soon all is well again.
    wait_for(lambda: client.get("/healthz").status_code == 200, timeout=60, message="index rebuilt")


def test_healthz_never_rebuilds_inline(app, client, runner):
    with app.app_context():
        make_taxonomy()
        make_case("庆元县廊桥议事", slug="langqiao")
    assert runner.invoke(args=["search", "reindex", "--quiet"]).exit_code == 0
    index_dir = Path(app.config["SEARCH_INDEX_DIR"])
    shutil.rmtree(index_dir.resolve())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["search"]["rebuilding"] is True
    wait_for(lambda: client.get("/healthz").status_code == 200, timeout=60, message="index rebuilt")
    assert client.get("/healthz").get_json()["search"]["documents"] == 1


def test_healthz_counts_outbox_entries_this_index_has_not_applied(app, client, runner, database_url):
    with app.app_context():
        make_taxonomy()
        case_id = make_case("缙云县包乡走村", slug="zoucun").id
    assert runner.invoke(args=["search", "reindex", "--quiet"]).exit_code == 0
    # Another instance's edit, committed on its own connection: the row is in the shared outbox,
    # and nothing in this process has applied it yet (the test app runs no poller).
    other_instance = create_engine(normalize_database_url(database_url))
    with Session(other_instance) as session:
        session.add(SearchOutbox(case_id=case_id, slug="zoucun", op="upsert"))
        session.commit()
    other_instance.dispose()
    body = client.get("/healthz").get_json()
    assert (body["status"], body["search"]["pending_outbox"]) == ("ok", 1)
    assert runner.invoke(args=["search", "sync"]).exit_code == 0
    assert client.get("/healthz").get_json()["search"]["pending_outbox"] == 0


def test_healthz_is_degraded_when_the_database_is_unreachable(tmp_path):
    # Port 9 on loopback: nothing listens, so the connection is refused at once.
    app = create_app({"ENV_NAME": "testing", "INSTANCE_DIR": str(tmp_path),
                      "SQLALCHEMY_DATABASE_URI": "postgresql://postgres@127.0.0.1:9/none"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "degraded"
    assert body["database"]["reachable"] is False
    assert body["search"]["usable"] is False


def test_every_request_writes_one_json_line(app, database_url, instance_dir, request_log):
    client = logging_client(database_url, instance_dir)
    client.get("/")
    client.get("/no-such-page")
    assert [(line["method"], line["path"], line["status"]) for line in request_log] == [
        ("GET", "/", 200), ("GET", "/no-such-page", 404)]
    for line in request_log:
        assert line["event"] == "request"
        assert isinstance(line["pid"], int)
        assert line["duration_ms"] >= 0
        assert len(line["request_id"]) == 32


def test_request_id_is_echoed_and_reused_only_when_well_formed(app, database_url, instance_dir, request_log):
    client = logging_client(database_url, instance_dir)
    good = client.get("/", headers={"X-Request-ID": "edge-42.a"})
    forged = client.get("/", headers={"X-Request-ID": 'x", "status": 200'})
    assert good.headers["X-Request-ID"] == "edge-42.a"
    assert request_log[0]["request_id"] == "edge-42.a"
    assert forged.headers["X-Request-ID"] != 'x", "status": 200'
    assert request_log[1]["request_id"] == forged.headers["X-Request-ID"]


def test_forwarded_for_is_trusted_only_behind_a_configured_proxy(app, database_url, instance_dir, request_log):
    headers = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    logging_client(database_url, instance_dir).get("/", headers=headers)
    logging_client(database_url, instance_dir, PROXY_FIX=1).get("/", headers=headers)
    assert [line["remote_addr"] for line in request_log] == ["127.0.0.1", "203.0.113.7"]


def test_request_log_is_off_in_tests_by_default(client, request_log):
    client.get("/")
    assert request_log == []


@pytest.mark.parametrize("path", ["/", "/no-such-page", "/healthz", "/api/v1/openapi.json", "/api/v1/nothing"])
def test_security_headers_on_pages_errors_and_api(client, path):
    headers = client.get(path).headers
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_large_pages_are_gzipped_for_clients_that_accept_it(app, client):
    with app.app_context():
        make_taxonomy()
        for number in range(12):
            make_case(f"压缩测试案例{number}", summary="网格员走村入户，把矛盾纠纷化解在村里。" * 8)
    plain = client.get("/")
    zipped = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    html = gzip.decompress(zipped.data).decode()
    assert html == plain.get_data(as_text=True)
    assert "压缩测试案例11" in html
    assert len(zipped.data) < len(plain.data) / 2


def test_small_responses_are_not_compressed(client):
    response = client.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in response.headers


def test_gunicorn_config_takes_its_knobs_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("PORTAL_THREADS", "4")
    monkeypatch.setenv("PORTAL_BIND", "127.0.0.1:8123")
    settings = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
    assert (settings["workers"], settings["threads"], settings["worker_class"]) == (3, 4, "gthread")
    assert settings["bind"] == "127.0.0.1:8123"
    # Loaded once in the master (jieba included), then forked; each worker redoes what cannot be shared.
    assert settings["preload_app"] is True
    assert callable(settings["post_fork"])
    assert settings["accesslog"] is None


def test_gunicorn_runs_threaded_workers_each_listening_on_its_own_socket_by_default(monkeypatch):
    """Kept-alive connections save a connection per request; on one shared socket the worker that woke
    first kept most of them (one worker held 32 of 50 readers while the others idled), so each worker
    listens on its own SO_REUSEPORT socket and the kernel spreads the connections."""
    monkeypatch.delenv("PORTAL_THREADS", raising=False)
    monkeypatch.setenv("PORTAL_BIND", "127.0.0.1:8123")
    settings = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
    assert (settings["worker_class"], settings["reuse_port"]) == ("gthread", True) and settings["threads"] > 1
    assert settings["keepalive"] > 0


def test_threaded_workers_default_to_one_per_core(monkeypatch):
    """More processes than cores time-slice the renders a publish sets off against each other (worst
    page p95 298 ms with 5 workers against 184 ms with 2 on a 2-core machine, bench/load.py)."""
    monkeypatch.delenv("PORTAL_THREADS", raising=False)
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))["workers"] == 4
    monkeypatch.setenv("PORTAL_THREADS", "1")
    assert runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))["workers"] == 9


def test_gunicorn_shares_one_socket_where_it_cannot_be_split(monkeypatch):
    monkeypatch.setenv("PORTAL_BIND", "unix:/run/portal.sock")
    assert runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))["reuse_port"] is False
    monkeypatch.setenv("PORTAL_THREADS", "1")
    monkeypatch.setenv("PORTAL_BIND", "127.0.0.1:8123")
    settings = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
    assert (settings["threads"], settings["worker_class"], settings["reuse_port"]) == (1, "sync", False)
