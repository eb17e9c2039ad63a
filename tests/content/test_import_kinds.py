"""The extension point: a registered kind is validated with the rest and applied in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.cases.models import Case, Tag
from portal.content import pipeline
from portal.content.documents import read_document
from portal.content.pipeline import Counts, import_content_dir
from portal.content.problems import Problem
from portal.extensions import db
from tests.helpers.content import database_state, write_case


@dataclass
class ReadingListKind:
    """A toy kind: reading-lists/*.md name cases in a `cases` list; applying tags those cases."""

    name: str = "reading_lists"
    label: str = "阅读清单"
    seen_slugs: set = field(default_factory=set)

    def validate(self, root: Path, context) -> tuple[list, list[Problem]]:
        self.seen_slugs = set(context.case_slugs)
        parsed, problems = [], []
        for path in sorted((root / "reading-lists").glob("*.md")):
            document, read_problems = read_document(path, context.display(path))
            problems.extend(read_problems)
            for slug in document.meta.get("cases", []) if document else []:
                if slug not in context.case_slugs:
                    problems.append(Problem(document.display, document.meta.line_of("cases"), f"未知案例 '{slug}'"))
            parsed.extend(document.meta.get("cases", []) if document else [])
        return parsed, problems

    def apply(self, parsed: list, context) -> Counts:
        tag = Tag.get_or_create("阅读清单")
        for slug in parsed:
            case = db.session.scalar(select(Case).where(Case.slug == slug))
            case.tags.append(tag)
        return Counts(updated=len(parsed))

    def export(self, root: Path) -> int:
        return 0


@pytest.fixture
def kind(monkeypatch):
    kind = ReadingListKind()
    monkeypatch.setitem(pipeline._registered, kind.name, kind)
    return kind


def write_list(root: Path, *slugs: str) -> None:
    (root / "reading-lists").mkdir(exist_ok=True)
    (root / "reading-lists" / "week1.md").write_text(
        f"---\ntitle: 第一周\ncases: [{', '.join(slugs)}]\n---\n\n读这些。\n", encoding="utf-8")


def test_registered_kind_sees_case_slugs_from_files_and_database(app, imported, kind):
    write_list(imported, "pending-new-case", "huangnidun-yangguang-piaojue")
    with app.app_context():
        report = import_content_dir(imported, progress=False)
        assert report.ok, report.problems
        assert {"pending-new-case", "huangnidun-yangguang-piaojue"} <= kind.seen_slugs
        assert report.counts["reading_lists"] == Counts(updated=2)
        assert report.summary_lines()[-1] == "阅读清单：新增 0，更新 2，未变 0"
        new_case = db.session.scalar(select(Case).where(Case.slug == "pending-new-case"))
        assert "阅读清单" in new_case.tag_names


def test_problem_in_a_registered_kind_blocks_the_whole_import(app, imported, kind):
    write_list(imported, "no-such-case")
    write_case(imported, "another-new-case.md")
    with app.app_context():
        before = database_state()
        report = import_content_dir(imported, progress=False)
        assert [str(p) for p in report.problems] == [
            f"{imported.as_posix()}/reading-lists/week1.md:3: 未知案例 'no-such-case'"]
        assert database_state() == before
