"""Fixtures for tests that start real gunicorn processes on the suite's database (helpers: tests/helpers/production.py)."""

from __future__ import annotations

import pytest

from portal.config import database_url_for_tests
from tests.helpers.production import Instances


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


@pytest.fixture
def instances(tmp_path, fresh_database):
    started = Instances(tmp_path, fresh_database)
    yield started
    started.stop_all()
