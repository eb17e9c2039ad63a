"""Fixtures for tests that start real gunicorn processes on the suite's database."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from bench.procs import Gunicorn, portal_command, portal_env
from portal.config import database_url_for_tests


@pytest.fixture
def fresh_database(app, database_url) -> str:
    """The suite's database (SQLite file or TEST_DATABASE_URL), emptied by the `app` fixture."""
    return database_url


@pytest.fixture
def shared_postgres(fresh_database) -> str:
    """The suite's PostgreSQL; scale-out needs a server several instances can share."""
    if not database_url_for_tests():
        pytest.skip("needs a shared PostgreSQL: set TEST_DATABASE_URL (.ci/run does; locally e.g. "
                    "postgresql://postgres@127.0.0.1:55433/portal_prod)")
    return fresh_database


class Instances:
    """Start gunicorn instances and `portal` commands, each with its own instance dir; stop them all."""

    def __init__(self, root: Path, database_url: str):
        self.root, self.database_url = root, database_url
        self.servers: list[Gunicorn] = []

    def env(self, name: str, **extra: str) -> dict:
        instance_dir = self.root / name
        instance_dir.mkdir(exist_ok=True)
        return portal_env(self.database_url, instance_dir, **extra)

    def portal(self, name: str, *args: str, check: bool = True, stdin: str | None = None):
        return portal_command(self.env(name), *args, check=check, stdin=stdin)

    def start(self, name: str, workers: int = 2, wait: bool = True, **extra_env: str) -> Gunicorn:
        server = Gunicorn(self.env(name, **extra_env), self.root / f"{name}-gunicorn.log", workers=workers).start()
        self.servers.append(server)
        if wait:
            server.wait_until_serving(timeout=90)
        return server

    def stop_all(self) -> None:
        for server in self.servers:
            server.stop()


@pytest.fixture
def instances(tmp_path, fresh_database):
    started = Instances(tmp_path, fresh_database)
    yield started
    started.stop_all()


def wait_for(predicate, timeout: float, interval: float = 0.2, message: str = "condition"):
    """Poll `predicate` until it returns something truthy; return that, or fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(f"{message} not reached within {timeout} s")


def searchable(server: Gunicorn, query: str, slug: str) -> bool:
    """Does /api/v1/search on `server` return the case `slug` for `query`?"""
    status, body = server.get_json(f"/api/v1/search?q={query}")
    return status == 200 and slug in {item["slug"] for item in body["results"]}


def caught_up(server: Gunicorn) -> dict | None:
    """Return /healthz when the instance is healthy and has applied the whole outbox."""
    status, body = server.get_json("/healthz")
    if status == 200 and body["search"]["pending_outbox"] == 0 and not body["search"]["rebuilding"]:
        return body
    return None


# `portal search verify` prints one line per kind of drift: 缺失 (missing), 过期 (stale), 多余 (extra).
DRIFT = re.compile(r"^(缺失|过期|多余)：(\d+)", re.MULTILINE)
