"""A collection's fields are declared once (portal/collections/fields.py): everything else derives from it."""

from __future__ import annotations

import shutil
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from portal.collections import fields
from portal.collections.fieldtypes import TextField
from portal.collections.forms import CollectionForm
from portal.collections.import_export import collection_file_text
from portal.collections.models import Collection
from portal.config import PROJECT_ROOT
from portal.content.pipeline import import_content_dir
from portal.extensions import db
from tests.helpers import csrf_token, login
from tests.helpers.collections import make_collection

MEMOS: dict[str, str | None] = {}
ITEM = "  - case: yingcun-minshi-cunliao\n    note: 导读。\n"


@dataclass(frozen=True)
class MemoField(TextField):
    """A field only this test declares; a dict stands in for its column."""

    def read(self, row):
        return MEMOS.get(row.slug, "")

    def write(self, row, value, cases):
        MEMOS[row.slug] = self.comparable(value)


@pytest.fixture
def memo_declared(monkeypatch):
    """Declare one more collection field, `memo`, after the audience."""
    memo = MemoField("memo", "备课札记", max_length=50, description="只有本测试声明的字段")
    declared = list(fields.COLLECTION_FIELDS)
    declared.insert(declared.index(fields.field_named("audience")) + 1, memo)
    monkeypatch.setattr(fields, "COLLECTION_FIELDS", tuple(declared))
    monkeypatch.setattr(CollectionForm, "memo", memo.form_field(), raising=False)
    MEMOS.clear()
    return memo


@pytest.fixture
def content_root(tmp_path):
    """A copy of the real content/ directory, its collections replaced by the test's own."""
    root = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", root)
    shutil.rmtree(root / "collections")
    (root / "collections").mkdir()
    return root


def test_a_declared_field_is_imported_snapshotted_exported_and_compared(app, memo_declared, content_root):
    (content_root / "collections" / "memo-set.md").write_text(
        f"---\ntitle: 札记合集\naudience: 新任干部\nmemo: 先讲\"背景\"\nitems:\n{ITEM}---\n\n导言。\n", encoding="utf-8")
    with app.app_context():
        assert import_content_dir(content_root, progress=False).ok
        collection = db.session.scalar(select(Collection).where(Collection.slug == "memo-set"))
        assert MEMOS["memo-set"] == "先讲“背景”"
        assert fields.snapshot(collection)["memo"] == "先讲“背景”"
        assert "audience: 新任干部\nmemo: 先讲“背景”\nfeatured: false\n" in collection_file_text(collection)
        assert import_content_dir(content_root, progress=False).counts["collections"].unchanged == 1
        (content_root / "collections" / "memo-set.md").write_text(
            f"---\ntitle: 札记合集\naudience: 新任干部\nmemo: 改过\nitems:\n{ITEM}---\n\n导言。\n", encoding="utf-8")
        assert import_content_dir(content_root, progress=False).counts["collections"].updated == 1
        assert MEMOS["memo-set"] == "改过"


def test_a_declared_field_is_checked_at_its_line_in_either_kind_of_file(app, memo_declared, content_root):
    (content_root / "collections" / "long.yml").write_text(
        f"title: 札记合集\nintroduction: 导言\nmemo: {'长' * 51}\nitems:\n{ITEM}", encoding="utf-8")
    (content_root / "collections" / "list.md").write_text(
        f"---\ntitle: 札记合集\nitems:\n{ITEM}memo: [不是文本]\n---\n", encoding="utf-8")
    with app.app_context():
        report = import_content_dir(content_root, progress=False)
    found = {(problem.path.rsplit("/", 1)[1], problem.line, problem.message) for problem in report.problems}
    assert found == {("long.yml", 3, "字段 'memo' 过长（51 字），最多 50 字"),
                     ("list.md", 6, "字段 'memo' 应为文本，实际是 列表")}


def test_a_declared_field_is_in_the_form_the_four_eyes_state_the_diff_and_the_api(
        app, client, make_user, memo_declared):
    with app.app_context():
        from tests.factories import make_case, make_taxonomy

        make_taxonomy()
        collection = make_collection([make_case("甲案例", slug="alpha")], slug="memo-set", published=False)
        collection_id, before = collection.id, fields.content_state(collection)
        old = fields.snapshot(collection)
    make_user("editor1", "editor")
    login(client, "editor1")
    edit = f"/editor/collections/{collection_id}"
    page = client.get(edit).get_data(as_text=True)
    assert "备课札记" in page and 'name="memo"' in page
    response = client.post(edit, data={"csrf_token": csrf_token(client, edit), "title": "测试合集",
                                       "slug": "memo-set", "audience": "测试学员", "intro_md": "导言。",
                                       "memo": "第二讲再用"})
    assert response.status_code == 302
    assert MEMOS["memo-set"] == "第二讲再用"
    with app.app_context():
        collection = db.session.get(Collection, collection_id)
        assert fields.content_state(collection) != before
        assert fields.changes(old, fields.snapshot(collection)) == [("备课札记", "", "第二讲再用")]
        assert fields.api_values(collection)["memo"] == "第二讲再用"
        assert fields.api_schema()["memo"] == {"type": "string"}


def test_the_api_values_leave_out_the_trainers_notes(app):
    """Teaching notes are the trainers', not the trainees': the declaration keeps them out of the API."""
    with app.app_context():
        from tests.factories import make_case, make_taxonomy

        make_taxonomy()
        collection = make_collection([make_case("甲案例", slug="alpha")], notes={"alpha": "只给培训者看的导读"},
                                     questions={"alpha": ["讨论题一？"]})
        values = fields.api_values(collection)
    assert values["items"] == [{"case": "alpha", "title": "甲案例", "questions": ["讨论题一？"]}]
    assert "note" not in fields.api_schema()["items"]["items"]["properties"]
