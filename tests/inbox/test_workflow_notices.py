"""The inbox changes as the workflow moves: returned and published cases, followed cases, the header count."""

from __future__ import annotations

from datetime import timedelta

from portal.extensions import db
from portal.inbox.models import Notice
from portal.timeutil import utcnow
from tests.helpers.editor import case_data, edit_data
from tests.helpers.inbox import SLUG, TITLE, header_count, notices, titles, write_and_submit

COMMENT = "请在“成效”部分注明资料来源。"


def test_a_returned_case_reaches_its_author_with_the_comment(app, staff):
    author, reviewer = staff("zhang", "editor", "张编辑"), staff("li", "reviewer", "李审核")
    write_and_submit(author)
    assert header_count(author) == 0
    assert reviewer.post(f"/editor/cases/{SLUG}/return", {"comment": COMMENT}).status_code == 302

    [notice] = notices(app, "zhang")
    assert (notice.kind, notice.title, notice.detail) == ("returned", f"《{TITLE}》被退回修改", COMMENT)
    assert header_count(author) == 1
    page = author.get("/inbox/").get_data(as_text=True)
    assert f"《{TITLE}》被退回修改" in page and COMMENT in page and "李审核" in page
    assert notices(app, "li") == []  # nobody is told about their own step


def test_publishing_tells_the_author_and_the_submitter(app, staff):
    author, sender = staff("zhang", "editor"), staff("wang", "reviewer")
    publisher = staff("li", "reviewer")
    assert author.post("/editor/cases/new", case_data()).status_code == 302
    assert sender.post(f"/editor/cases/{SLUG}/submit", {"comment": "代为提交"}).status_code == 302
    assert publisher.post(f"/editor/cases/{SLUG}/publish").status_code == 302
    assert titles(app, "zhang") == titles(app, "wang") == [f"《{TITLE}》已发布"]
    assert titles(app, "li") == []


def test_a_refused_step_leaves_no_notice(app, staff):
    author = staff("zhang", "reviewer")
    write_and_submit(author)
    # Four eyes: the author may not publish their own case; the refused step must not notify anyone.
    follower = staff("zhao", "editor")
    assert follower.post(f"/inbox/follow/{SLUG}", token_url=f"/editor/cases/{SLUG}/edit").status_code == 302
    assert author.post(f"/editor/cases/{SLUG}/publish").status_code == 403
    assert notices(app, "zhao") == []


def test_followers_hear_of_saves_and_steps_and_stop_after_unfollowing(app, staff):
    author, follower = staff("zhang", "editor", "张编辑"), staff("zhao", "editor")
    reviewer = staff("li", "reviewer", "李审核")
    assert author.post("/editor/cases/new", case_data()).status_code == 302
    edit_page = f"/editor/cases/{SLUG}/edit"
    assert "关注此案例" in follower.get(edit_page).get_data(as_text=True)
    assert follower.post(f"/inbox/follow/{SLUG}", token_url=edit_page).status_code == 302
    assert "取消关注" in follower.get(edit_page).get_data(as_text=True)

    changed = author.post(edit_page, edit_data(author, SLUG, summary="改过的摘要。", comment="补充摘要"))
    assert changed.status_code == 302
    assert titles(app, "zhao") == [f"你关注的《{TITLE}》有新版本（第 2 版）"]
    assert notices(app, "zhao")[0].detail == "补充摘要"

    # Saving and submitting in one go is one notice, naming the last step.
    both = author.post(edit_page, edit_data(author, SLUG, summary="再改。", submit_review="保存并提交审核", save=None))
    assert both.status_code == 302
    assert titles(app, "zhao")[0] == f"你关注的《{TITLE}》：张编辑提交审核"
    assert len(notices(app, "zhao")) == 2

    assert reviewer.post(f"/editor/cases/{SLUG}/return", {"comment": COMMENT}).status_code == 302
    assert titles(app, "zhao")[0] == f"你关注的《{TITLE}》：李审核退回修改"
    assert follower.post(f"/inbox/unfollow/{SLUG}", token_url=edit_page).status_code == 302
    assert author.post(edit_page, edit_data(author, SLUG, summary="第三次。")).status_code == 302
    assert len(notices(app, "zhao")) == 3
    assert titles(app, "zhang")[0] == f"《{TITLE}》被退回修改"  # the author's own saves never notify them


def test_opening_a_notice_marks_it_read_and_goes_to_the_case(app, staff):
    author, reviewer = staff("zhang", "editor"), staff("li", "reviewer")
    write_and_submit(author)
    reviewer.post(f"/editor/cases/{SLUG}/return", {"comment": COMMENT})
    [notice] = notices(app, "zhang")
    assert reviewer.get(f"/inbox/{notice.id}").status_code == 404  # not theirs
    opened = author.get(f"/inbox/{notice.id}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/editor/cases/{SLUG}/edit")
    assert notices(app, "zhang")[0].read_at is not None
    assert header_count(author) == 0


def test_mark_one_and_all_read_need_the_csrf_token(app, staff):
    author, reviewer = staff("zhang", "editor"), staff("li", "reviewer")
    write_and_submit(author)
    reviewer.post(f"/editor/cases/{SLUG}/return", {"comment": COMMENT})
    write_and_submit(author, slug="second", title="第二个案例")
    reviewer.post("/editor/cases/second/publish")
    assert header_count(author) == 2
    first = notices(app, "zhang")[-1]
    assert author.client.post(f"/inbox/{first.id}/read").status_code == 400
    assert author.client.post("/inbox/read-all").status_code == 400
    assert header_count(author) == 2
    assert author.post(f"/inbox/{first.id}/read", token_url="/inbox/").status_code == 302
    assert header_count(author) == 1
    unread_only = author.get("/inbox/?show=unread").get_data(as_text=True)
    assert "《第二个案例》已发布" in unread_only and "被退回修改" not in unread_only
    assert author.post("/inbox/read-all", token_url="/inbox/").status_code == 302
    assert header_count(author) == 0
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Notice.id)).where(Notice.read_at.is_(None))) == 0


def test_the_inbox_needs_an_account_and_following_needs_an_editor(app, client, staff):
    assert client.get("/inbox/").status_code == 302  # to the login page
    assert 'class="nav-inbox"' not in client.get("/").get_data(as_text=True)
    trainer = staff("sun", "trainer")
    assert trainer.get("/inbox/").status_code == 200
    author = staff("zhang", "editor")
    author.post("/editor/cases/new", case_data())
    assert trainer.post(f"/inbox/follow/{SLUG}", token_url="/inbox/").status_code == 403
    assert trainer.get("/inbox/").headers["Cache-Control"].startswith("private")


def test_an_author_who_follows_their_case_gets_one_notice_in_the_authors_words(app, staff):
    author, reviewer = staff("zhang", "editor"), staff("li", "reviewer", "李审核")
    author.post("/editor/cases/new", case_data())
    author.post(f"/inbox/follow/{SLUG}", token_url=f"/editor/cases/{SLUG}/edit")
    author.post(f"/editor/cases/{SLUG}/submit", {"comment": "请审核"})
    reviewer.post(f"/editor/cases/{SLUG}/return", {"comment": COMMENT})
    [notice] = notices(app, "zhang")
    assert (notice.kind, notice.title, notice.detail) == ("returned", f"《{TITLE}》被退回修改", COMMENT)


def test_prune_deletes_old_read_notices_and_keeps_unread_ones(app, staff, runner):
    author, reviewer = staff("zhang", "editor"), staff("li", "reviewer")
    write_and_submit(author)
    reviewer.post(f"/editor/cases/{SLUG}/return", {"comment": COMMENT})
    write_and_submit(author, slug="second", title="第二个案例")
    reviewer.post("/editor/cases/second/publish")
    old_read, old_unread = notices(app, "zhang")
    with app.app_context():
        for notice_id, read in ((old_read.id, True), (old_unread.id, False)):
            row = db.session.get(Notice, notice_id)
            row.created_at = utcnow() - timedelta(days=400)
            row.read_at = utcnow() if read else None
        db.session.commit()
    result = runner.invoke(args=["inbox", "prune", "--days", "365"])
    assert result.exit_code == 0 and "已删除 1 条" in result.output
    assert [n.id for n in notices(app, "zhang")] == [old_unread.id]
