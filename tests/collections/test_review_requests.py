"""A trainer asks for review; the collection waits in the reviewers' queue until it is published or returned."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.auth.models import User
from portal.collections.models import Collection
from portal.collections.signals import collection_review_event
from portal.extensions import db
from tests.factories import make_case, make_taxonomy
from tests.helpers import csrf_token, login
from tests.helpers.collections import make_collection, page_form

TITLE = "新任干部培训课"
COMMENT = "第二个案例的讨论题太笼统，请改成可以讨论的具体问题。"


@pytest.fixture
def course(app, make_user):
    """A trainer's unpublished collection with one case; two reviewers and an editor, each logged in."""
    clients = {}
    for name, role in (("teacher", "trainer"), ("rev1", "reviewer"), ("rev2", "reviewer"), ("editor1", "editor")):
        make_user(name, role, display_name={"teacher": "王老师"}.get(name, name))
        clients[name] = client_of(app, name)
    with app.app_context():
        make_taxonomy()
        collection = make_collection([make_case("甲案例", slug="alpha")], slug="course", title=TITLE, published=False)
        collection.author_id = db.session.scalar(select(User.id).where(User.username == "teacher"))
        db.session.commit()
        clients["url"] = f"/editor/collections/{collection.id}"
    return clients


def client_of(app, username: str):
    client = app.test_client()
    login(client, username)
    return client


def step(client, url: str, name: str, comment: str = ""):
    return client.post(f"{url}/{name}", data={"csrf_token": csrf_token(client, url), "comment": comment})


def published(app) -> bool:
    with app.app_context():
        return db.session.scalar(select(Collection.published).where(Collection.slug == "course"))


def test_a_submitted_collection_waits_in_the_reviewers_queue_and_a_reviewer_publishes_it(app, client, course):
    url, teacher, reviewer = course["url"], course["teacher"], course["rev1"]
    assert "提交审核" in teacher.get(url).get_data(as_text=True)
    assert step(teacher, url, "submit", "请在下周培训前审核").status_code == 302
    assert "等待审核" in teacher.get(url).get_data(as_text=True)

    dashboard = reviewer.get("/editor/").get_data(as_text=True)
    assert "等待审核的培训合集（1）" in dashboard and TITLE in dashboard
    queue = reviewer.get("/editor/collections/review").get_data(as_text=True)
    assert TITLE in queue and "王老师" in queue and "请在下周培训前审核" in queue
    assert "等待审核的培训合集" not in course["editor1"].get("/editor/").get_data(as_text=True)
    assert client.get("/collections/course").status_code == 404

    assert step(reviewer, url, "publish").status_code == 302
    assert published(app) and client.get("/collections/course").status_code == 200
    assert TITLE not in reviewer.get("/editor/collections/review").get_data(as_text=True)
    with app.app_context():
        audited = [(e.action, e.actor.username) for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action != "collection.update").order_by(AuditEntry.id))]
    assert audited == [("collection.submit", "teacher"), ("collection.publish", "rev1")]


def test_a_returned_collection_shows_the_comment_to_its_trainer(app, course):
    url, teacher, reviewer = course["url"], course["teacher"], course["rev1"]
    step(teacher, url, "submit")
    refused = step(reviewer, url, "return", "  ")
    assert refused.status_code == 409 and "请写明意见" in refused.get_data(as_text=True)
    assert step(reviewer, url, "return", COMMENT).status_code == 302
    assert not published(app)
    for page in (teacher.get("/editor/collections"), teacher.get(url), teacher.get("/inbox/")):
        html = page.get_data(as_text=True)
        assert COMMENT in html and "被退回修改" in html
    assert TITLE not in reviewer.get("/editor/collections/review").get_data(as_text=True)
    # The trainer can change it again and send it back.
    assert teacher.post(url, data=page_form(teacher, url, title="新任干部培训课（修订）")).status_code == 302
    assert step(teacher, url, "submit").status_code == 302
    assert "新任干部培训课（修订）" in reviewer.get("/editor/collections/review").get_data(as_text=True)


def test_a_submitted_collection_is_locked_until_withdrawn(app, course):
    url, teacher = course["url"], course["teacher"]
    step(teacher, url, "submit")
    refused = teacher.post(url, data=page_form(teacher, url, title="审核期间偷偷改的"))
    assert refused.status_code == 403 and "等待审核" in refused.get_data(as_text=True)
    assert step(teacher, url, "withdraw").status_code == 302
    assert "新任干部培训课" not in course["rev1"].get("/editor/collections/review").get_data(as_text=True)
    assert teacher.post(url, data=page_form(teacher, url, title="撤回后改的")).status_code == 302


def test_four_eyes_hold_for_submitted_collections(app, course):
    url, teacher, reviewer, other = course["url"], course["teacher"], course["rev1"], course["rev2"]
    step(teacher, url, "submit")
    for role_refused in ("publish", "return"):
        assert step(teacher, url, role_refused, COMMENT).status_code == 403
    assert reviewer.post(url, data=page_form(reviewer, url, title="审核人改过的标题")).status_code == 302
    refused = step(reviewer, url, "publish")
    assert refused.status_code == 409 and "不能自己发布" in refused.get_data(as_text=True)
    assert "审核通过并发布" not in reviewer.get(url).get_data(as_text=True)
    assert not published(app)
    assert step(other, url, "publish").status_code == 302 and published(app)


def test_review_steps_are_announced_for_the_inbox(app, course):
    url, teacher, reviewer = course["url"], course["teacher"], course["rev1"]
    heard = []

    def listen(collection, *, event, actor):
        heard.append((collection.slug, event.action, event.comment, actor.username))

    with collection_review_event.connected_to(listen):
        step(teacher, url, "submit", "请审核")
        step(reviewer, url, "return", COMMENT)
        step(teacher, url, "submit")
        step(reviewer, url, "publish")
    assert heard == [("course", "submit", "请审核", "teacher"), ("course", "return", COMMENT, "rev1"),
                     ("course", "submit", "", "teacher"), ("course", "publish", "", "rev1")]


def test_an_empty_collection_cannot_be_submitted(app, course):
    url, teacher = course["url"], course["teacher"]
    with app.app_context():
        collection = db.session.scalar(select(Collection).where(Collection.slug == "course"))
        collection.items.clear()
        db.session.commit()
    refused = step(teacher, url, "submit")
    assert refused.status_code == 409 and "还没有案例" in refused.get_data(as_text=True)
