"""Staff discussion under a case's history: sanitized Markdown, audited, @mentions to the inbox, never published."""

from __future__ import annotations

from portal.audit.models import AuditEntry
from portal.editor.mentions import mentioned
from portal.extensions import db
from tests.helpers.editor import case_data
from tests.helpers.inbox import SLUG, TITLE, notices

HISTORY = f"/editor/cases/{SLUG}/history"


def comment(user, text: str):
    return user.post(f"/editor/cases/{SLUG}/comments", {"body": text}, token_url=HISTORY)


def test_a_comment_appears_under_the_history_and_is_audited(app, staff):
    author = staff("zhang", "editor", "张编辑")
    assert author.post("/editor/cases/new", case_data()).status_code == 302
    posted = comment(author, "**数据**来源需要核对。")
    assert posted.status_code == 302 and "#comment-" in posted.headers["Location"]
    page = author.get(HISTORY).get_data(as_text=True)
    assert "<strong>数据</strong>来源需要核对。" in page and "张编辑" in page
    with app.app_context():
        entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "case.comment"))
        assert (entry.actor.username, entry.target, entry.detail["comment"]) == ("zhang", SLUG, "**数据**来源需要核对。")


def test_comment_markdown_is_sanitized_and_never_reaches_readers(app, client, staff):
    author, reviewer = staff("zhang", "editor"), staff("li", "reviewer")
    author.post("/editor/cases/new", case_data())
    comment(author, '<script>alert(1)</script>[点我](javascript:alert(2)) <b id="main">x</b> 内部意见：暂缓')
    page = author.get(HISTORY).get_data(as_text=True)
    discussion = page.split('id="discussion-title"')[1]
    assert "<script>alert" not in discussion and "javascript:" not in discussion and 'id="main"' not in discussion
    author.post(f"/editor/cases/{SLUG}/submit", {"comment": ""})
    reviewer.post(f"/editor/cases/{SLUG}/publish")
    public = client.get(f"/cases/{SLUG}").get_data(as_text=True)
    assert TITLE in public and "内部意见" not in public


def test_mentions_reach_the_inbox_of_staff_and_others_are_named_not_dropped(app, staff):
    author = staff("zhang", "editor", "张编辑")
    staff("li", "reviewer", "李审核"), staff("sun", "trainer", "孙培训")
    author.post("/editor/cases/new", case_data())
    posted = comment(author, "@李审核请看**第二段**，@sun 也可参考。")
    flashed = author.get(HISTORY).get_data(as_text=True)
    assert posted.status_code == 302
    assert "已提醒：李审核" in flashed and "孙培训不是编辑人员" in flashed
    [notice] = notices(app, "li")
    assert (notice.kind, notice.title) == ("mention", f"张编辑在《{TITLE}》的讨论中提到了你")
    assert notice.detail == "@李审核请看第二段，@sun 也可参考。"
    assert notice.link.startswith(f"{HISTORY}#comment-")
    assert notices(app, "sun") == [] and notices(app, "zhang") == []


def test_followers_hear_of_new_comments(app, staff):
    author, follower = staff("zhang", "editor", "张编辑"), staff("zhao", "editor")
    author.post("/editor/cases/new", case_data())
    follower.post(f"/inbox/follow/{SLUG}", token_url=HISTORY)
    comment(author, "补充了来源。")
    assert [n.title for n in notices(app, "zhao")] == [f"你关注的《{TITLE}》有新讨论（张编辑）"]


def test_an_empty_or_forged_comment_is_refused_and_the_text_kept(app, staff):
    author = staff("zhang", "editor")
    author.post("/editor/cases/new", case_data())
    empty = comment(author, "   ")
    assert empty.status_code == 400 and "请先写下讨论内容。" in empty.get_data(as_text=True)
    too_long = comment(author, "长" * 5001)
    assert too_long.status_code == 400 and "长" * 5001 in too_long.get_data(as_text=True)
    forged = author.client.post(f"/editor/cases/{SLUG}/comments", data={"body": "无令牌"})
    assert forged.status_code == 400 and "表单已过期" in forged.get_data(as_text=True)
    assert "无令牌" not in author.get(HISTORY).get_data(as_text=True).split('id="discussion-title"')[1].split("<form")[0]


def test_only_editors_may_comment(app, client, staff):
    author, trainer = staff("zhang", "editor"), staff("sun", "trainer")
    author.post("/editor/cases/new", case_data())
    assert trainer.post(f"/editor/cases/{SLUG}/comments", {"body": "培训师的意见"}, token_url="/inbox/").status_code == 403
    assert client.post(f"/editor/cases/{SLUG}/comments", data={"body": "匿名"}).status_code in (302, 400)


def test_mentions_take_the_longest_name_after_an_at_sign(app, make_user):
    with app.app_context():
        make_user("li", "reviewer", display_name="李审核")
        make_user("liming", "editor", display_name="李明")
        from portal.auth.models import User

        users = list(db.session.scalars(db.select(User)))
        named = mentioned("请＠李明看看，@LI 也看看，邮箱 li@example.com 不算提醒 @李审核。", users)
        assert [user.username for user in named] == ["liming", "li"]
