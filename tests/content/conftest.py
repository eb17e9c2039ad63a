"""Fixtures for the content importer tests: a copy of content/ to break, and a rejecting import."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from portal.content.pipeline import ImportReport, import_content_dir
from tests.helpers.content import CONTENT_DIR, SAMPLE_SLUG, database_state, write_case


@pytest.fixture
def content_dir(tmp_path) -> Path:
    """A private copy of the real content/ directory."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


@pytest.fixture
def imported(app, content_dir) -> Path:
    """content_dir imported, then edited so that a further import has real work to do."""
    with app.app_context():
        assert import_content_dir(content_dir, progress=False).ok
    sample = content_dir / "cases" / f"{SAMPLE_SLUG}.md"
    sample.write_text(sample.read_text(encoding="utf-8").replace("阳光票决制", "阳光票决"), encoding="utf-8")
    write_case(content_dir, "pending-new-case.md")
    return content_dir


@pytest.fixture
def reject(app, imported) -> Callable[..., ImportReport]:
    """Run the import expecting problems; assert each expected one and that the database is unchanged."""

    def run(*expected: tuple[str, int, str]) -> ImportReport:
        with app.app_context():
            before = database_state()
            report = import_content_dir(imported, progress=False)
            after = database_state()
        assert not report.ok
        assert report.counts == {}
        assert after == before
        shown = [str(problem) for problem in report.problems]
        for relative, line, fragment in expected:
            prefix = f"{imported.as_posix()}/{relative}:{line}: "
            assert any(text.startswith(prefix) and fragment in text for text in shown), (prefix, fragment, shown)
        return report

    return run


@pytest.fixture
def staff_for_typography(app, make_user):
    """Log an editor in on its own client (with the taxonomy the case form needs)."""
    from tests.factories import make_taxonomy
    from tests.helpers import login
    from tests.helpers.editor import Staff

    with app.app_context():
        make_taxonomy()

    def create(username: str) -> Staff:
        user = make_user(username, "editor")
        client = app.test_client()
        login(client, username)
        return Staff(client, username, user.id)

    return create
