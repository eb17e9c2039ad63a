"""Fixtures for the inbox tests: the editor tests' taxonomy and logged-in staff."""

from tests.editor.conftest import staff, taxonomy  # noqa: F401
