"""Fixtures for the editor tests: the taxonomy and staff accounts with logged-in clients."""

from __future__ import annotations

import pytest

from tests.factories import make_taxonomy
from tests.helpers import login
from tests.helpers.editor import Staff


@pytest.fixture
def taxonomy(app):
    with app.app_context():
        make_taxonomy()


@pytest.fixture
def staff(app, make_user, taxonomy):
    """Return a function logging a new account of a role in on its own client."""

    def create(username: str, role: str = "editor", display_name: str = "") -> Staff:
        user = make_user(username, role, display_name=display_name or username)
        client = app.test_client()
        login(client, username)
        return Staff(client, username, user.id)

    return create
