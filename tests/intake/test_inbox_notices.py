"""Each editor's decision on a submission reaches the contributor's inbox, linked to the submission."""

from __future__ import annotations

from portal.extensions import db
from portal.intake.models import Submission
from tests.helpers import csrf_token, login
from tests.helpers.inbox import header_count, notices
from tests.helpers.intake import form_data


def submit(contributor) -> int:
    response = contributor.post("/my/submissions/new", form_data(), token_url="/my/submissions/new",
                                content_type="multipart/form-data")
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def test_asking_and_accepting_reach_the_contributor_inbox(app, people):
    contributor, editor = people
    submission_id = submit(contributor)
    assert header_count(contributor) == 0
    editor.post(f"/editor/intake/{submission_id}/ask", {"message": "请补充走访户数。"},
                token_url=f"/editor/intake/{submission_id}")
    [notice] = notices(app, "county")
    assert (notice.kind, notice.title, notice.detail) == ("intake", "你报送的《青田县侨乡网格服务》需要补充材料",
                                                          "请补充走访户数。")
    assert notice.link == f"/my/submissions/{submission_id}"
    assert header_count(contributor) == 1
    inbox = contributor.get("/inbox/").get_data(as_text=True)
    assert "需要补充材料" in inbox and "请补充走访户数。" in inbox

    editor.post(f"/editor/intake/{submission_id}/accept", {"area": "fuwu", "region": "331121"},
                token_url=f"/editor/intake/{submission_id}")
    assert [n.title for n in notices(app, "county")][0] == "你报送的《青田县侨乡网格服务》已采纳"
    assert notices(app, "editor") == []  # the deciding editor is not told of their own step


def test_a_decline_reaches_the_contributor_with_its_reason(app, people):
    contributor, editor = people
    submission_id = submit(contributor)
    editor.post(f"/editor/intake/{submission_id}/decline", {"reason": "与已有案例重复。"},
                token_url=f"/editor/intake/{submission_id}")
    [notice] = notices(app, "county")
    assert notice.title == "你报送的《青田县侨乡网格服务》未被采纳" and notice.detail == "与已有案例重复。"


def test_a_resubmission_tells_the_editor_who_asked(app, people):
    contributor, editor = people
    submission_id = submit(contributor)
    url = f"/my/submissions/{submission_id}"
    editor.post(f"/editor/intake/{submission_id}/ask", {"message": "请补充走访户数。"}, token_url=f"/editor/intake/{submission_id}")
    contributor.post(url, form_data(reply="已补充：300 户。"), token_url=url, content_type="multipart/form-data")
    [notice] = notices(app, "editor")
    assert (notice.title, notice.detail) == ("报送《青田县侨乡网格服务》已补充，等待处理", "已补充：300 户。")
    assert notice.link == f"/editor/intake/{submission_id}"


def test_the_contributor_hears_when_their_practice_is_published(app, people, make_user):
    contributor, editor = people
    submission_id = submit(contributor)
    editor.post(f"/editor/intake/{submission_id}/accept", {"area": "fuwu", "region": "331121"},
                token_url=f"/editor/intake/{submission_id}")
    with app.app_context():
        slug = db.session.get(Submission, submission_id).case.slug
    assert editor.post(f"/editor/cases/{slug}/submit", {"comment": ""}).status_code == 302
    make_user("reviewer", "reviewer")
    reviewer = app.test_client()
    login(reviewer, "reviewer")
    assert reviewer.post(f"/editor/cases/{slug}/publish", data={"csrf_token": csrf_token(reviewer, "/editor/")}
                         ).status_code == 302
    notice = notices(app, "county")[0]
    assert (notice.kind, notice.link) == ("published", f"/cases/{slug}")
    assert notice.title.startswith("你报送的《青田县侨乡网格服务》已作为案例《") and notice.title.endswith("》发布")
    assert contributor.get(notice.link).status_code == 200
