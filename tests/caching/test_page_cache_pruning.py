"""The page cache on disk stays bounded, and caching one more page never reads the pages already cached."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from portal import create_app
from portal.caching.pruning import prune
from tests.factories import make_case, make_taxonomy

LIMIT = 20


class OpenedFiles:
    """Records which files below one directory are opened while recording (a Python audit hook)."""

    def __init__(self):
        self.directory: str | None = None
        self.opened: list[str] = []
        sys.addaudithook(self.hook)

    def hook(self, event, args):
        if event == "open" and self.directory and isinstance(args[0], str) and args[0].startswith(self.directory):
            self.opened.append(args[0])

    def record(self, directory: Path) -> OpenedFiles:
        self.directory, self.opened = str(directory), []
        return self

    def stop(self) -> list[str]:
        self.directory = None
        return self.opened


@pytest.fixture(scope="module")
def opened_files():
    return OpenedFiles()


@pytest.fixture
def small_cache_app(app, database_url, tmp_path):
    """An app (on the emptied test database) whose page cache keeps LIMIT pages."""
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                      "INSTANCE_DIR": str(tmp_path / "instance"), "PAGE_CACHE_THRESHOLD": LIMIT})
    with app.app_context():
        make_taxonomy()
        make_case("庆元县廊桥议事", slug="langqiao", body="廊桥下议事。")
    return app


def fill(app, count: int) -> Path:
    """Put `count` pages of other readers in the app's page cache; return its directory."""
    state = app.extensions["caching"]
    for number in range(count):
        state.pages.set(f"page:other:{number}", (b"<html></html>", []))
    return Path(app.instance_path) / "page-cache"


def test_caching_a_page_in_a_full_cache_opens_no_other_cached_page(small_cache_app, opened_files):
    directory = fill(small_cache_app, 2 * LIMIT)
    client = small_cache_app.test_client()
    opened_files.record(directory)
    assert client.get("/cases/langqiao").status_code == 200
    opened = opened_files.stop()
    # Looking the page up and writing it: a couple of files, not a pass over the 40 cached ones.
    assert len(opened) <= 3, opened


def test_the_cache_is_pruned_to_its_limit_after_the_response_and_keeps_the_newest_page(small_cache_app):
    directory = fill(small_cache_app, 2 * LIMIT)
    past = time.time() - 600
    for path in directory.iterdir():
        os.utime(path, (past, past))
    client = small_cache_app.test_client()
    first = client.get("/cases/langqiao")
    assert first.status_code == 200
    first.close()  # as a server does once the response is sent: pruning runs then, not before
    assert len(list(directory.iterdir())) <= LIMIT
    again = client.get("/cases/langqiao")
    assert again.data == first.data  # still served: the newest page survived the pruning


def test_prune_removes_expired_files_then_the_oldest_beyond_the_limit(tmp_path):
    now = time.time()
    ages = {"expired": 7200, "old": 300, "older": 400, "new": 10, "newer": 5}
    for name, age in ages.items():
        path = tmp_path / name
        path.write_bytes(b"x")
        os.utime(path, (now - age, now - age))
    removed = prune(tmp_path, keep=3, written_before=now - 3600)
    assert removed == 2
    assert sorted(path.name for path in tmp_path.iterdir()) == ["new", "newer", "old"]


def test_a_limit_of_zero_only_removes_expired_files(tmp_path):
    now = time.time()
    for name, age in {"expired": 7200, "fresh": 10}.items():
        (tmp_path / name).write_bytes(b"x")
        os.utime(tmp_path / name, (now - age, now - age))
    prune(tmp_path, keep=0, written_before=now - 3600)
    assert [path.name for path in tmp_path.iterdir()] == ["fresh"]
