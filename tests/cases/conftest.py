"""Fixtures for the reading-page tests."""

from __future__ import annotations

import pytest

from tests.helpers.library import build_library


@pytest.fixture
def library(app) -> dict[str, str]:
    """Taxonomy plus four published cases and one draft (see tests/cases/library.py)."""
    return build_library(app)
