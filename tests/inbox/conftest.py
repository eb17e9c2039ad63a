"""Fixtures for the inbox tests: the taxonomy and staff accounts with logged-in clients, as for the editor."""

from __future__ import annotations

import pytest

from tests.factories import make_taxonomy
from tests.helpers.editor import staff_factory


@pytest.fixture
def staff(app, make_user):
    """Return a function logging a new account of a role in on its own client (taxonomy created)."""
    with app.app_context():
        make_taxonomy()
    return staff_factory(app, make_user)
