"""`portal content import` onto a published case with a working copy loses neither side: the import says
so per file, and the working copy shows the imported change and waits until someone has compared them."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.audit.models import AuditEntry
from portal.cases.models import Case
from portal.editor.models import WorkingCopy
from portal.extensions import db
from tests.editor.test_working_copy import NEW_TEXT, SLUG, URL, edit_live, published  # noqa: F401
from tests.helpers.editor import BODY

IMPORTED_TEXT = "导入文件里补充的一句新做法。"


@pytest.fixture
def imported(app, runner, tmp_path, published):  # noqa: F811
    """The reviewer's working copy is pending; then a content import changes the published case's body."""
    _, reviewer, other = published
    edit_live(reviewer, body=BODY + NEW_TEXT + "\n")
    folder = tmp_path / "content"
    assert runner.invoke(args=["content", "export", str(folder)]).exit_code == 0
    case_file = folder / "cases" / f"{SLUG}.md"
    case_file.write_text(case_file.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{IMPORTED_TEXT}\n", encoding="utf-8")
    result = runner.invoke(args=["content", "import", str(folder)])
    return reviewer, other, result, folder


def test_the_import_reports_the_case_with_a_working_copy_and_keeps_both(app, imported):
    _, _, result, folder = imported
    assert result.exit_code == 0, result.output
    assert f"{Path(folder).as_posix()}/cases/{SLUG}.md:1: " in result.output
    assert "有尚未发布的修改稿" in result.output and "正文两边都改过，修改稿保留自己的内容" in result.output
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.slug == SLUG))
        copy = db.session.get(WorkingCopy, case.id)
        assert IMPORTED_TEXT in case.body_md and NEW_TEXT not in case.body_md
        assert NEW_TEXT in copy.revision.snapshot["body"]


def test_the_working_copy_waits_until_the_import_is_compared(app, imported):
    reviewer, other, _, _ = imported
    changes = other.get(f"{URL}/changes").get_data(as_text=True)
    assert "导入改动了已发布版本" in changes and IMPORTED_TEXT in changes and NEW_TEXT in changes
    refused = other.post(f"{URL}/changes/publish", {}, token_url=f"{URL}/edit")
    assert refused.status_code == 403 and "导入更新了读者看到的版本" in refused.get_data(as_text=True)
    assert reviewer.post(f"{URL}/changes/confirm-import", {}, token_url=f"{URL}/edit").status_code == 302
    assert other.post(f"{URL}/changes/publish", {}, token_url=f"{URL}/edit").status_code == 302
    with app.app_context():
        actions = set(db.session.scalars(db.select(AuditEntry.action)))
        assert {"case.confirm_import", "case.publish_changes"} <= actions


def test_an_unchanged_case_with_a_working_copy_is_not_reported(app, runner, tmp_path, published):  # noqa: F811
    _, reviewer, other = published
    edit_live(reviewer, body=BODY + NEW_TEXT + "\n")
    folder = tmp_path / "content"
    runner.invoke(args=["content", "export", str(folder)])
    result = runner.invoke(args=["content", "import", str(folder)])
    assert result.exit_code == 0 and "修改稿" not in result.output
    assert other.post(f"{URL}/changes/publish", {}, token_url=f"{URL}/edit").status_code == 302


def test_a_field_only_the_import_changed_is_carried_into_the_working_copy(app, runner, tmp_path, published):  # noqa: F811
    _, reviewer, other = published
    edit_live(reviewer, body=BODY + NEW_TEXT + "\n")
    folder = tmp_path / "content"
    runner.invoke(args=["content", "export", str(folder)])
    case_file = folder / "cases" / f"{SLUG}.md"
    text = case_file.read_text(encoding="utf-8")
    assert "网格员上门服务华侨家庭。" in text
    case_file.write_text(text.replace("网格员上门服务华侨家庭。", "导入改写的摘要。"), encoding="utf-8")
    result = runner.invoke(args=["content", "import", str(folder)])
    assert "修改稿没改过的摘要已随导入更新" in result.output and "两边都改过" not in result.output
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.slug == SLUG))
        snapshot = db.session.get(WorkingCopy, case.id).revision.snapshot
        assert snapshot["summary"] == "导入改写的摘要。" and NEW_TEXT in snapshot["body"]
    other.post(f"{URL}/changes/confirm-import", {}, token_url=f"{URL}/edit")
    assert other.post(f"{URL}/changes/publish", {}, token_url=f"{URL}/edit").status_code == 302
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.slug == SLUG))
        assert case.summary == "导入改写的摘要。" and NEW_TEXT in case.body_md
