"""Readers never see an error when PostgreSQL drops the portal's pooled connections (a restart, a
failover): public pages read their version again on a fresh connection, and a connection that sat
idle is pinged and replaced before use. Pooled connections are not pinged on every checkout."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import event, select

from portal import create_app
from portal.cases.models import Case
from portal.extensions import db
from tests.factories import make_case, make_taxonomy


def on_postgresql(database_url: str) -> bool:
    return database_url.startswith("postgresql")


def app_on(database_url: str, instance_dir, **settings):
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                      "INSTANCE_DIR": str(instance_dir), **settings})
    backends = app.extensions["test_backends"] = set()
    with app.app_context():
        event.listen(db.engine, "connect", lambda connection, _record: backends.add(connection.info.backend_pid))
    return app


def drop_connections(app, database_url: str) -> None:
    """Terminate, from outside, every server connection the app's pool has opened."""
    plain_url = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain_url, autocommit=True) as outsider:
        for pid in app.extensions["test_backends"]:
            outsider.execute("SELECT pg_terminate_backend(%s)", (pid,))


@pytest.fixture
def server_app(app, database_url, tmp_path):
    if not on_postgresql(database_url):
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL): a local SQLite file drops no connections")
    with app.app_context():
        make_taxonomy()
        make_case("庆元县廊桥议事", slug="langqiao", body="廊桥下议事。")
    return app


def test_a_public_page_answers_after_the_server_dropped_every_connection(server_app, database_url, tmp_path):
    reader = app_on(database_url, tmp_path / "reader", DATABASE_PING_AFTER_IDLE=3600.0)
    client = reader.test_client()
    assert client.get("/cases").status_code == 200
    drop_connections(reader, database_url)
    page = client.get("/cases/langqiao")
    assert page.status_code == 200 and "庆元县廊桥议事" in page.get_data(as_text=True)
    drop_connections(reader, database_url)
    assert client.get("/cases/langqiao", headers={"If-None-Match": page.headers["ETag"]}).status_code == 304


def test_a_connection_idle_past_the_limit_is_pinged_and_replaced_before_use(server_app, database_url, tmp_path):
    staff = app_on(database_url, tmp_path / "staff", DATABASE_PING_AFTER_IDLE=0.0)
    with staff.app_context():
        assert db.session.scalar(select(Case.slug)) == "langqiao"
        db.session.remove()
        drop_connections(staff, database_url)
        assert db.session.scalar(select(Case.slug)) == "langqiao"


def test_a_connection_in_use_is_not_pinged_on_every_checkout(server_app, database_url, tmp_path):
    busy = app_on(database_url, tmp_path / "busy")
    pings = []
    with busy.app_context():
        original = db.engine.dialect.do_ping
        db.engine.dialect.do_ping = lambda connection: pings.append(1) or original(connection)
        try:
            client = busy.test_client()
            for _ in range(5):
                assert client.get("/cases").status_code == 200
        finally:
            db.engine.dialect.do_ping = original
    assert pings == []
