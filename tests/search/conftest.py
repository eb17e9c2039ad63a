"""Fixtures for the search tests; their helpers live in tests/helpers/search.py."""

from __future__ import annotations

import pytest


@pytest.fixture
def taxonomy(app):
    from tests.factories import make_taxonomy

    with app.app_context():
        make_taxonomy()
    return app
