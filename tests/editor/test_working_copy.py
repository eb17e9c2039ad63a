"""A reviewer's edit of a published case waits, as a working copy, for a second reviewer to publish it."""

from __future__ import annotations

import json

import pytest

from portal.audit.models import AuditEntry
from portal.cases.models import Case
from portal.editor.models import WorkingCopy
from portal.extensions import db
from tests.editor.test_integration import found
from tests.helpers.editor import BODY, case_data, edit_data

SLUG = "qingtian-wangge"
URL = f"/editor/cases/{SLUG}"
NEW_TEXT = "审核人补写的蜂巢议事做法。"


def live_case(app) -> Case:
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.slug == SLUG))
        db.session.expunge(case)
        return case


def reader_sees(client, text: str) -> bool:
    """True if the public page, the API and search all show `text`; False if none does."""
    page = client.get(f"/cases/{SLUG}").get_data(as_text=True)
    api = json.dumps(client.get(f"/api/v1/cases/{SLUG}").get_json(), ensure_ascii=False)
    seen = {text in page, text in api, found(client, "蜂巢议事", SLUG)}
    assert len(seen) == 1, f"readers' views disagree: page, API, search = {seen}"
    return seen.pop()


@pytest.fixture
def published(app, staff):
    """An editor's case published by reviewer li; zhao is a second reviewer."""
    author = staff("zhang")
    author.post("/editor/cases/new", case_data())
    author.post(f"{URL}/submit")
    reviewer, other = staff("li", "reviewer"), staff("zhao", "reviewer")
    assert reviewer.post(f"{URL}/publish").status_code == 302
    return author, reviewer, other


def edit_live(editor, **changes):
    return editor.post(f"{URL}/edit", edit_data(editor, SLUG, **changes), token_url=f"{URL}/edit")


def test_a_reviewers_edit_of_a_published_case_does_not_reach_readers(app, client, published):
    _, reviewer, _ = published
    version_before = live_case(app).version
    response = edit_live(reviewer, body=BODY + NEW_TEXT + "\n", title="新标题")
    assert response.status_code == 302
    assert not reader_sees(client, NEW_TEXT)
    assert "新标题" not in client.get(f"/cases/{SLUG}").get_data(as_text=True)
    case = live_case(app)
    assert case.status == "published" and case.version == version_before and NEW_TEXT not in case.body_md

    # The editor works on the working copy and sees that it is pending, and how it differs.
    page = reviewer.get(f"{URL}/edit").get_data(as_text=True)
    assert NEW_TEXT in page and "有尚未发布的修改" in page and 'value="新标题"' in page
    changes = reviewer.get(f"{URL}/changes").get_data(as_text=True)
    assert "已发布（读者看到的）" in changes and NEW_TEXT in changes and "新标题" in changes
    assert "你修改过这份修改稿" in changes


def test_a_different_reviewer_publishes_the_changes(app, client, published):
    _, reviewer, other = published
    edit_live(reviewer, body=BODY + NEW_TEXT + "\n")
    assert "已发布案例的待发布修改（1）" in other.get("/editor/").get_data(as_text=True)
    response = other.post(f"{URL}/changes/publish", {"comment": "核对无误"}, token_url=f"{URL}/edit")
    assert response.status_code == 302
    assert reader_sees(client, NEW_TEXT)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(WorkingCopy)) == 0
        entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "case.publish_changes"))
        assert entry.actor.username == "zhao" and entry.target == SLUG and entry.detail["comment"] == "核对无误"
    assert "有尚未发布的修改" not in other.get(f"{URL}/edit").get_data(as_text=True)
    assert "《青田县网格治理服务华侨》的修改已发布" in published[0].get("/inbox/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["reviewer", "admin"])
def test_whoever_changed_the_working_copy_cannot_publish_it(app, client, published, staff, role):
    editor = staff("wu", role)
    edit_live(editor, body=BODY + NEW_TEXT + "\n")
    refused = editor.post(f"{URL}/changes/publish", token_url=f"{URL}/edit")
    assert refused.status_code == 403 and "不能自己发布" in refused.get_data(as_text=True)
    assert not reader_sees(client, NEW_TEXT)
    assert "审核通过并发布修改" not in editor.get(f"{URL}/edit").get_data(as_text=True)


def test_a_second_reviewer_who_also_changed_it_cannot_publish_it_either(app, client, published):
    author, reviewer, other = published
    edit_live(reviewer, body=BODY + NEW_TEXT + "\n")
    edit_live(other, summary="第二位审核人改了摘要。")
    for changer in (reviewer, other):
        assert changer.post(f"{URL}/changes/publish", token_url=f"{URL}/edit").status_code == 403
    assert not reader_sees(client, NEW_TEXT)
    assert author.post(f"{URL}/changes/publish", token_url=f"{URL}/edit").status_code == 403  # editors never


def test_saves_to_the_working_copy_conflict_like_saves_to_a_case(app, published):
    _, reviewer, other = published
    edit_live(reviewer, body=BODY + NEW_TEXT + "\n")
    stale = edit_data(other, SLUG, summary="我基于旧的修改稿改的。")
    edit_live(reviewer, title="又改了标题")
    response = other.post(f"{URL}/edit", stale, token_url=f"{URL}/edit")
    assert response.status_code == 409
    assert 'value="又改了标题"' in reviewer.get(f"{URL}/edit").get_data(as_text=True)


def test_discarding_keeps_what_readers_see_and_the_history(app, client, published):
    _, reviewer, other = published
    edit_live(reviewer, body=BODY + NEW_TEXT + "\n")
    assert other.post(f"{URL}/changes/discard", token_url=f"{URL}/edit").status_code == 302
    assert not reader_sees(client, NEW_TEXT)
    assert NEW_TEXT not in reviewer.get(f"{URL}/edit").get_data(as_text=True)
    assert "放弃修改稿" in reviewer.get(f"{URL}/history").get_data(as_text=True)
    assert other.get(f"{URL}/changes").status_code == 404


def test_unpublishing_keeps_the_working_copy_as_the_draft(app, client, published):
    _, reviewer, other = published
    edit_live(reviewer, body=BODY + NEW_TEXT + "\n")
    assert other.post(f"{URL}/unpublish").status_code == 302
    case = live_case(app)
    assert case.status == "draft" and NEW_TEXT in case.body_md
    assert client.get(f"/cases/{SLUG}").status_code == 404


def test_an_unchanged_save_makes_no_working_copy(app, published):
    _, reviewer, _ = published
    response = edit_live(reviewer)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(WorkingCopy)) == 0
