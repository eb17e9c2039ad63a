"""The case's fields are declared once (portal/cases/fields.py): everything else derives from that list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from portal.cases import fields
from portal.cases.fieldtypes import TextField
from portal.cases.models import Case, Revision
from portal.content.export import case_file_text
from portal.content.pipeline import import_content_dir
from portal.editor.diffing import compare
from portal.editor.forms import CaseForm, with_case_fields
from portal.extensions import db
from portal.search.documents import case_document
from tests.factories import area, make_case, make_taxonomy
from tests.helpers.content import taxonomy_only
from tests.helpers.library import TOWNSHIP_CODE, add_township

MEMOS: dict[str, str | None] = {}


@dataclass(frozen=True)
class MemoField(TextField):
    """A field only this test declares; a dict stands in for its column."""

    def read(self, case):
        return MEMOS.get(case.slug)

    def assign(self, case, resolved):
        MEMOS[case.slug] = resolved


@pytest.fixture
def memo_declared(monkeypatch):
    """Declare one more case field, `memo`, after `source`, searched with the summary."""
    memo = MemoField("memo", "调研札记", max_length=50, search_part="summary")
    declared = list(fields.CASE_FIELDS)
    declared.insert(declared.index(fields.field_named("source")) + 1, memo)
    monkeypatch.setattr(fields, "CASE_FIELDS", tuple(declared))
    MEMOS.clear()
    return memo


@pytest.fixture
def content_root(tmp_path):
    """A content/ directory holding the real taxonomy and one case file with a memo."""
    return taxonomy_only(tmp_path)


def write_memo_case(root, memo_line: str) -> None:
    front = f"title: 札记案例\narea: 区域统筹\nregion: 莲都区\n{memo_line}\nsource: 调研报告\n"
    (root / "cases" / "memo-case.md").write_text(f"---\n{front}---\n\n## 背景\n\n正文。\n", encoding="utf-8")


def test_a_declared_field_is_imported_snapshotted_and_exported(app, memo_declared, content_root):
    write_memo_case(content_root, "memo: 村里先试点")
    with app.app_context():
        assert import_content_dir(content_root, progress=False).ok
        case = db.session.scalar(select(Case).where(Case.slug == "memo-case"))
        assert MEMOS["memo-case"] == "村里先试点"
        assert case.snapshot()["memo"] == "村里先试点"
        revision = db.session.scalar(select(Revision).where(Revision.case_id == case.id))
        assert revision.snapshot["memo"] == "村里先试点"
        text = case_file_text(case)
        assert "source: 调研报告\nmemo: 村里先试点\n" in text
        assert import_content_dir(content_root, progress=False).counts["cases"].unchanged == 1


def test_a_declared_field_is_validated_at_its_line(app, memo_declared, content_root):
    write_memo_case(content_root, "memo: [不是文本]")
    with app.app_context():
        report = import_content_dir(content_root, progress=False)
    assert not report.ok
    assert [(problem.line, problem.message) for problem in report.problems] == [(5, "字段 'memo' 应为文本，实际是 列表")]


def test_a_declared_field_appears_in_the_form_diff_api_and_search(app, memo_declared):
    with app.app_context(), app.test_request_context():
        make_taxonomy()
        case = make_case("札记案例", slug="memo-case", summary="摘要。")
        MEMOS["memo-case"] = "先在村里试点"
        form_class = with_case_fields(type("MemoForm", (CaseForm,), {}))
        form = form_class(meta={"csrf": False}, case=case)
        form.fill_from(case)
        assert form.memo.label.text == "调研札记" and form.memo.data == "先在村里试点"
        assert fields.form_values(form)["memo"] == "先在村里试点"
        changes = compare(case.snapshot(), {**case.snapshot(), "memo": "改了"}).changed_fields
        assert [(change.label, change.old, change.new) for change in changes] == [("调研札记", "先在村里试点", "改了")]
        assert fields.api_values(case)["memo"] == "先在村里试点"
        assert fields.api_schema(summary_only=False)["memo"] == {"type": "string", "nullable": True}
        assert case_document(case)["summary"] == "摘要。 先在村里试点"


def test_search_document_keeps_its_shape(app):
    """The document derived from the declaration is the one the index has always held."""
    with app.app_context():
        make_taxonomy()
        add_township()
        case = make_case("紫金街道调解室", slug="zijin", area_slug="pingtai", region_code=TOWNSHIP_CODE,
                         tags=("网格", "调解"), level="乡镇级", place="紫金村", summary="一站式调解。",
                         body="## 背景\n\n**调解**室设在[村委](http://example.org)。")
        case.secondary_areas = [area("fuwu")]
        case.year, case.published_at = 2021, datetime(2024, 1, 2, tzinfo=UTC)
        db.session.commit()
        document = case_document(case)
    assert {key: value for key, value in document.items() if key not in ("id", "fingerprint")} == {
        "slug": "zijin", "version": 2, "title": "紫金街道调解室", "tags_text": "网格 调解",
        "place": "紫金村 丽水市 莲都区 紫金街道", "meta": "平台统筹 服务统筹 乡镇级", "summary": "一站式调解。",
        "body": "背景\n 调解 室设在村委。", "area": "pingtai", "area_name": "平台统筹",
        "region": f"331100,331102,{TOWNSHIP_CODE}", "region_code": TOWNSHIP_CODE, "region_name": "紫金街道",
        "region_names": "丽水市,莲都区,紫金街道", "tags": "网格,调解", "level": "乡镇级", "year": 2021,
        "published_at": 1704153600,
    }
