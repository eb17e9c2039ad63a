"""Fixtures for the editor tests: the taxonomy and staff accounts with logged-in clients."""

from __future__ import annotations

import pytest

from tests.factories import make_taxonomy
from tests.helpers.editor import staff_factory


@pytest.fixture
def taxonomy(app):
    with app.app_context():
        make_taxonomy()


@pytest.fixture
def staff(app, make_user, taxonomy):
    """Return a function logging a new account of a role in on its own client."""
    return staff_factory(app, make_user)
