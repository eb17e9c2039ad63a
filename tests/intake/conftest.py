"""Fixtures for the intake tests: the taxonomy, a contributor and an editor, each logged in."""

from __future__ import annotations

import pytest

from tests.factories import make_taxonomy
from tests.helpers import login
from tests.helpers.editor import Staff


@pytest.fixture
def people(app, make_user):
    """Return (contributor, editor): logged-in clients on the taxonomy."""
    with app.app_context():
        make_taxonomy()
    result = []
    for username, role in (("county", "contributor"), ("editor", "editor")):
        user = make_user(username, role, display_name=f"{username}-姓名")
        client = app.test_client()
        login(client, username)
        result.append(Staff(client, username, user.id))
    return tuple(result)
