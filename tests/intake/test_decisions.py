"""Editors accept (a draft they own), ask for more (the contributor resubmits) or decline; all audited."""

from __future__ import annotations

import re

import pytest

from portal.audit.models import AuditEntry
from portal.cases.models import Case, Revision
from portal.extensions import db
from portal.intake.models import Submission
from portal.intake.signals import intake_decided
from tests.helpers.intake import TITLE, form_data, with_file, word_file


def submit(contributor, data) -> int:
    response = contributor.post("/my/submissions/new", data, token_url="/my/submissions/new",
                                content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def editor_post(editor, submission_id: int, action: str, data: dict):
    return editor.post(f"/editor/intake/{submission_id}/{action}", data, token_url=f"/editor/intake/{submission_id}")


@pytest.fixture
def decided():
    """Collect every intake_decided signal sent during the test."""
    received = []

    def receiver(submission, **kwargs):
        received.append((submission.id, kwargs["action"], kwargs["actor"].username, kwargs["message"]))

    intake_decided.connect(receiver)
    yield received
    intake_decided.disconnect(receiver)


def test_the_queue_lists_waiting_submissions_for_editors(app, people):
    contributor, editor = people
    submit(contributor, form_data())
    page = editor.get("/editor/intake").get_data(as_text=True)
    assert "青田县侨乡网格服务" in page and "待处理（1）" in page and "county-姓名" in page


def test_accepting_makes_a_draft_owned_by_the_editor_with_suggested_tags(app, people, decided):
    contributor, editor = people
    submission_id = submit(contributor, with_file(form_data(title="", area=""), word_file()))
    review = editor.get(f"/editor/intake/{submission_id}").get_data(as_text=True)
    assert "下载原文件" in review and "<table>" in review  # the draft body preview carries the table
    response = editor_post(editor, submission_id, "accept",
                           {"area": "liliang", "region": "331122", "tags": "村民说事、矛盾调解", "comment": "谢谢"})
    assert response.status_code == 302
    with app.app_context():
        submission = db.session.get(Submission, submission_id)
        case = submission.case
        assert (submission.status, case.status, case.author_id, case.title) == (
            "accepted", "draft", editor.user_id, TITLE)
        assert case.area.slug == "liliang" and case.region.name == "缙云县" and case.level == "县级"
        assert case.tag_names == ["村民说事", "矛盾调解"]
        assert "## 背景" in case.body_md and "## 主要做法" in case.body_md and "<table>" in case.body_html
        assert case.slug and re.fullmatch(r"[a-z0-9-]+", case.slug)
        assert db.session.scalars(db.select(Revision).where(Revision.case_id == case.id)).one().number == 1
        entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "intake.accept")).one()
        assert entry.actor_id == editor.user_id and entry.target == case.slug
    assert response.headers["Location"].endswith(f"/editor/cases/{case.slug}/edit")
    assert decided == [(submission_id, "accept", "editor", "谢谢")]
    mine = contributor.get(f"/my/submissions/{submission_id}").get_data(as_text=True)
    assert "已采纳" in mine and "谢谢" in mine


def test_review_page_suggests_area_region_and_tags_from_the_text(app, people):
    contributor, editor = people
    submission_id = submit(contributor, form_data(region="", area="", title="缙云县网格治理",
                                                  actions="缙云县推行网格治理，网格员每天走访。网格治理覆盖全县。"))
    page = editor.get(f"/editor/intake/{submission_id}").get_data(as_text=True)
    assert re.search(r'<option selected value="331122">', page) or 'value="331122" selected' in page


def test_asking_for_more_shows_the_message_and_the_contributor_can_resubmit(app, people, decided):
    contributor, editor = people
    submission_id = submit(contributor, form_data())
    response = editor_post(editor, submission_id, "ask", {"message": "请补充走访的频次和覆盖户数。"})
    assert response.status_code == 302
    page = contributor.get(f"/my/submissions/{submission_id}").get_data(as_text=True)
    assert "待补充" in page and "请补充走访的频次和覆盖户数。" in page and "重新提交" in page
    response = contributor.post(f"/my/submissions/{submission_id}",
                                form_data(actions="网格员每周上门走访 2 次，覆盖 300 户。", reply="已补充频次。"),
                                token_url=f"/my/submissions/{submission_id}", content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        submission = db.session.get(Submission, submission_id)
        assert submission.status == "submitted" and "300 户" in submission.actions
        assert [message.kind for message in submission.messages] == ["ask", "reply"]
        assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)
                                 .where(AuditEntry.action == "intake.ask")) == 1
    assert decided == [(submission_id, "ask", "editor", "请补充走访的频次和覆盖户数。")]
    assert "已补充频次。" in editor.get(f"/editor/intake/{submission_id}").get_data(as_text=True)


def test_declining_needs_a_reason_the_contributor_sees(app, people, decided):
    contributor, editor = people
    submission_id = submit(contributor, form_data())
    refused = editor_post(editor, submission_id, "decline", {"reason": ""})
    assert refused.status_code == 400 and "请写明不采纳的原因" in refused.get_data(as_text=True)
    editor_post(editor, submission_id, "decline", {"reason": "与已有案例重复。"})
    page = contributor.get(f"/my/submissions/{submission_id}").get_data(as_text=True)
    assert "未采纳" in page and "与已有案例重复。" in page
    assert "重新提交" not in page
    with app.app_context():
        assert db.session.get(Submission, submission_id).decision_reason == "与已有案例重复。"
    assert decided == [(submission_id, "decline", "editor", "与已有案例重复。")]


def test_a_decided_submission_cannot_be_decided_again(app, people):
    contributor, editor = people
    submission_id = submit(contributor, form_data())
    editor_post(editor, submission_id, "decline", {"reason": "重复。"})
    again = editor_post(editor, submission_id, "accept", {"area": "fuwu", "region": "331121"})
    assert again.status_code == 409 and "已经处理过" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Case)) == 0


def test_the_original_file_downloads_with_safe_headers_for_editors_only(app, people):
    contributor, editor = people
    original = word_file()
    submission_id = submit(contributor, with_file(form_data(), original, "缙云 做法.docx"))
    response = editor.get(f"/editor/intake/{submission_id}/attachment")
    assert response.status_code == 200 and response.data == original
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "wordprocessingml" in response.headers["Content-Type"]
    assert contributor.get(f"/editor/intake/{submission_id}/attachment").status_code == 403


def test_contributors_see_only_their_own_submissions(app, people, make_user):
    from tests.helpers import login
    from tests.helpers.editor import Staff

    contributor, _ = people
    submission_id = submit(contributor, form_data())
    make_user("other", "contributor")
    other = app.test_client()
    login(other, "other")
    assert other.get(f"/my/submissions/{submission_id}").status_code == 404
    assert "青田县侨乡网格服务" not in other.get("/my/submissions").get_data(as_text=True)
    assert Staff(other, "other", 0).get("/editor/intake").status_code == 403


def test_a_word_submission_resubmits_without_uploading_again_or_with_a_new_file(app, people):
    from pathlib import Path

    contributor, editor = people
    submission_id = submit(contributor, with_file(form_data(title="", problem="", actions="", results=""), word_file()))
    editor_post(editor, submission_id, "ask", {"message": "请补充成效数字。"})
    url = f"/my/submissions/{submission_id}"
    page = contributor.get(url).get_data(as_text=True)
    assert "<table>" in page  # the contributor sees the converted document as editors do
    response = contributor.post(url, form_data(title=TITLE, problem="", actions="", results="化解纠纷 120 件。"),
                                token_url=url, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        first = db.session.get(Submission, submission_id).attachment_stored
    editor_post(editor, submission_id, "ask", {"message": "请换用最新的材料。"})
    newer = word_file("缙云县村民说事（修订稿）")
    response = contributor.post(url, with_file(form_data(title="", problem="", actions=""), newer, "修订稿.docx"),
                                token_url=url, content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        submission = db.session.get(Submission, submission_id)
        assert submission.attachment_name == "修订稿.docx" and submission.status == "submitted"
        assert submission.title == "缙云县村民说事（修订稿）"
    folder = Path(app.config["INTAKE_DIR"])
    assert not (folder / first).exists() and (folder / submission.attachment_stored).read_bytes() == newer


def test_what_a_listener_adds_is_committed_with_the_decision(app, people):
    """The inbox answers intake_decided by adding rows without committing; they must be stored."""
    from portal.audit import record

    contributor, editor = people
    submission_id = submit(contributor, form_data())

    def listener(submission, **kwargs):
        record(None, "test.heard", f"报送 {submission.id}", decision=kwargs["action"])

    intake_decided.connect(listener)
    try:
        editor_post(editor, submission_id, "decline", {"reason": "重复。"})
    finally:
        intake_decided.disconnect(listener)
    with app.app_context():
        heard = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "test.heard")).one()
        assert heard.detail == {"decision": "decline"}


def test_portal_intake_list_shows_submissions_by_status(app, people, runner):
    contributor, editor = people
    first = submit(contributor, form_data())
    submit(contributor, form_data(title="松阳县老屋拯救"))
    editor_post(editor, first, "decline", {"reason": "重复。"})
    everything = runner.invoke(args=["intake", "list"]).output
    assert "青田县侨乡网格服务" in everything and "未采纳" in everything and "松阳县老屋拯救" in everything
    waiting = runner.invoke(args=["intake", "list", "--status", "submitted"]).output
    assert "松阳县老屋拯救" in waiting and "青田县侨乡网格服务" not in waiting


def test_the_dashboard_links_the_queue_with_the_number_waiting(app, people):
    contributor, editor = people
    assert ">报送</a>" in editor.get("/editor/").get_data(as_text=True)
    submit(contributor, form_data())
    submit(contributor, form_data(title="松阳县老屋拯救"))
    assert "报送（2 份待处理）" in editor.get("/editor/").get_data(as_text=True)


def test_script_in_a_submission_is_not_run_on_the_editor_page(app, people):
    contributor, editor = people
    submission_id = submit(contributor, form_data(problem='<script>alert("x")</script><img src=x onerror=alert(1)>'))
    page = editor.get(f"/editor/intake/{submission_id}").get_data(as_text=True)
    assert '<script>alert("x")' not in page and "onerror" not in page
