"""Collections get the same care as cases: reviewers publish, nobody publishes their own changes,
published collections change only through a reviewer, and publish/unpublish/feature are audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.collections.models import Collection
from portal.extensions import db
from tests.factories import make_case, make_taxonomy
from tests.helpers import login
from tests.helpers.collections import make_collection, page_form


@pytest.fixture
def setup(app, make_user):
    with app.app_context():
        make_taxonomy()
        collection = make_collection([make_case("甲案例", slug="alpha")], slug="training", published=False)
        url = f"/editor/collections/{collection.id}"
    clients = {}
    for name, role in (("editor1", "editor"), ("rev1", "reviewer"), ("rev2", "reviewer")):
        make_user(name, role)
        clients[name] = app.test_client()
        login(clients[name], name)
    return url, clients


def state(app) -> Collection:
    with app.app_context():
        collection = db.session.scalar(select(Collection).where(Collection.slug == "training"))
        db.session.expunge(collection)
        return collection


def actions(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(e.action, e.actor.username) for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action != "collection.update").order_by(AuditEntry.id))]


def test_an_editor_cannot_publish_or_feature(app, setup):
    url, clients = setup
    editor = clients["editor1"]
    page = editor.get(url).get_data(as_text=True)
    assert 'name="published"' not in page and 'name="featured"' not in page and "由审核人决定" in page
    editor.post(url, data=page_form(editor, url, published="y", featured="y"))
    assert (state(app).published, state(app).featured) == (False, False)
    assert actions(app) == []


def test_a_reviewer_publishes_an_editors_changes_and_it_is_audited(app, setup, client):
    url, clients = setup
    clients["editor1"].post(url, data=page_form(clients["editor1"], url, title="编辑改过的标题"))
    reviewer = clients["rev1"]
    response = reviewer.post(url, data=page_form(reviewer, url, published="y", featured="y"))
    assert response.status_code == 302
    assert (state(app).published, state(app).featured) == (True, True)
    assert actions(app) == [("collection.publish", "rev1"), ("collection.feature", "rev1")]
    assert client.get("/collections/training").status_code == 200
    fields = page_form(reviewer, url)
    fields.pop("published")
    reviewer.post(url, data=fields)
    assert actions(app)[-1] == ("collection.unpublish", "rev1")


def test_whoever_changed_a_collection_cannot_publish_it(app, setup):
    url, clients = setup
    reviewer = clients["rev1"]
    refused = reviewer.post(url, data=page_form(reviewer, url, title="审核人自己改的", published="y"))
    assert refused.status_code == 403 and "不能自己发布" in refused.get_data(as_text=True)
    assert state(app).published is False and state(app).title != "审核人自己改的"
    reviewer.post(url, data=page_form(reviewer, url, title="审核人自己改的"))
    assert reviewer.post(url, data=page_form(reviewer, url, published="y")).status_code == 403
    other = clients["rev2"]
    assert other.post(url, data=page_form(other, url, published="y")).status_code == 302
    assert state(app).published is True


def test_an_editors_change_to_a_published_collection_waits_as_a_working_copy(app, setup, client):
    url, clients = setup
    clients["rev2"].post(url, data=page_form(clients["rev2"], url, published="y"))
    editor = clients["editor1"]
    assert "修改会先存为修改稿" in editor.get(url).get_data(as_text=True)
    assert editor.post(url, data=page_form(editor, url, title="未经审核的标题")).status_code == 302
    assert state(app).title == "测试合集"
    assert "未经审核的标题" not in client.get("/collections/training").get_data(as_text=True)
