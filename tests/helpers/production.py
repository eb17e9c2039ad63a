"""Real gunicorn instances on the suite's database, and waiting for them to catch up."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from bench.procs import Gunicorn, portal_command, portal_env


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
