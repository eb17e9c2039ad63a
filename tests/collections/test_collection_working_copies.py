"""Changes to a published collection (title, notes, questions, cases, order) wait as a working copy
that readers do not see until a different reviewer publishes it; publish and discard are audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.cases.models import Case
from portal.collections.models import Collection, CollectionWorkingCopy
from portal.extensions import db
from tests.factories import make_case, make_taxonomy
from tests.helpers import csrf_token, login
from tests.helpers.collections import make_collection, page_form


@pytest.fixture
def setup(app, make_user):
    with app.app_context():
        make_taxonomy()
        alpha, beta = make_case("甲案例", slug="alpha"), make_case("乙案例", slug="beta")
        make_case("丙案例", slug="gamma")
        collection = make_collection([alpha, beta], slug="training", notes={"alpha": "原来的导读"},
                                     questions={"alpha": ["原来的讨论题"]})
        url = f"/editor/collections/{collection.id}"
    clients = {}
    for name, role in (("trainer1", "trainer"), ("editor1", "editor"), ("rev1", "reviewer"), ("rev2", "reviewer")):
        make_user(name, role)
        clients[name] = app.test_client()
        login(clients[name], name)
    return url, clients


def live(app) -> dict:
    with app.app_context():
        collection = db.session.scalar(select(Collection).where(Collection.slug == "training"))
        return {"title": collection.title, "published": collection.published,
                "cases": [item.case.slug for item in collection.items],
                "notes": [item.note_md for item in collection.items],
                "questions": [item.questions for item in collection.items]}


def audit_actions(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(entry.action, entry.actor.username) for entry in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action.like("collection.%_changes")).order_by(AuditEntry.id))]


def item_field(client, url: str, case_position: int, name: str) -> str:
    """The posted name of the n-th item's field on the edit page."""
    fields = [key for key in page_form(client, url) if key.endswith(f"-{name}")]
    return fields[case_position]


def step(client, url: str, action: str, comment: str = ""):
    return client.post(f"{url}/changes/{action}", data={"csrf_token": csrf_token(client, url), "comment": comment})


def test_an_editors_change_to_a_published_collection_waits_for_a_reviewer(app, setup, client):
    url, clients = setup
    editor = clients["editor1"]
    note = item_field(editor, url, 0, "note")
    response = editor.post(url, data=page_form(editor, url, title="改过的标题", **{note: "新的导读"}))
    assert response.status_code == 302
    assert live(app)["title"] == "测试合集" and live(app)["notes"][0] == "原来的导读"
    public = client.get("/collections/training").get_data(as_text=True)
    assert "改过的标题" not in public and "测试合集" in public
    # The editor sees the working copy, not the published text, when coming back.
    page = editor.get(url).get_data(as_text=True)
    assert "改过的标题" in page and "新的导读" in page and "有尚未发布的修改" in page
    changes = clients["rev1"].get(f"{url}/changes").get_data(as_text=True)
    assert "改过的标题" in changes and "新的导读" in changes and "原来的导读" in changes
    assert step(clients["rev1"], url, "publish", "看过了").status_code == 302
    assert live(app)["title"] == "改过的标题" and live(app)["notes"][0] == "新的导读"
    assert "改过的标题" in client.get("/collections/training").get_data(as_text=True)
    assert audit_actions(app) == [("collection.publish_changes", "rev1")]


def test_a_reviewer_cannot_publish_their_own_change(app, setup):
    url, clients = setup
    reviewer = clients["rev1"]
    response = reviewer.post(url, data=page_form(reviewer, url, title="审核人自己改的"))
    assert response.status_code == 302
    assert live(app)["title"] == "测试合集"
    refused = step(reviewer, url, "publish")
    assert refused.status_code == 403 and "不能自己发布" in refused.get_data(as_text=True)
    assert live(app)["title"] == "测试合集"
    assert step(clients["rev2"], url, "publish").status_code == 302
    assert live(app)["title"] == "审核人自己改的"


def test_an_editor_cannot_publish_changes(app, setup):
    url, clients = setup
    clients["rev1"].post(url, data=page_form(clients["rev1"], url, title="待发布"))
    assert step(clients["editor1"], url, "publish").status_code == 403
    assert live(app)["title"] == "测试合集"


def test_cases_and_their_order_wait_too(app, setup):
    url, clients = setup
    editor = clients["editor1"]
    with app.app_context():
        gamma_id = db.session.scalar(select(Case.id).where(Case.slug == "gamma"))
    editor.post(f"{url}/items", data={"add-csrf_token": csrf_token(editor, url), "add-case_id": gamma_id})
    editor.post(url, data=page_form(editor, url, move=f"{gamma_id}:up"))
    form = page_form(editor, url)
    first_item = [key for key in form if key.endswith("-note")][0].split("-")[0].removeprefix("item")
    editor.post(url, data=page_form(editor, url, remove=first_item))
    assert live(app)["cases"] == ["alpha", "beta"]
    changes = clients["rev1"].get(f"{url}/changes").get_data(as_text=True)
    assert "丙案例" in changes
    step(clients["rev1"], url, "publish")
    assert live(app)["cases"] == ["gamma", "beta"]


def test_discarding_keeps_the_published_version_and_is_audited(app, setup, client):
    url, clients = setup
    clients["editor1"].post(url, data=page_form(clients["editor1"], url, title="不要的修改"))
    assert step(clients["rev1"], url, "discard", "不需要").status_code == 302
    assert live(app)["title"] == "测试合集"
    assert "不要的修改" not in clients["editor1"].get(url).get_data(as_text=True)
    assert audit_actions(app) == [("collection.discard_changes", "rev1")]


def test_the_dashboard_lists_pending_collection_changes(app, setup):
    url, clients = setup
    clients["editor1"].post(url, data=page_form(clients["editor1"], url, title="待发布的标题"))
    dashboard = clients["rev1"].get("/editor/").get_data(as_text=True)
    assert "已发布合集的待发布修改（1）" in dashboard and f"{url}/changes" in dashboard
    assert "有待发布的修改" in clients["editor1"].get("/editor/collections").get_data(as_text=True)


def test_trainers_notes_in_a_working_copy_stay_private(app, setup, client):
    url, clients = setup
    editor = clients["editor1"]
    note = item_field(editor, url, 0, "note")
    editor.post(url, data=page_form(editor, url, **{note: "只给培训者看的新导读"}))
    step(clients["rev1"], url, "publish")
    assert "只给培训者看的新导读" not in client.get("/collections/training").get_data(as_text=True)
    assert client.get(f"{url}/changes").status_code in (302, 401, 403)


def test_unpublishing_keeps_the_pending_changes(app, setup):
    url, clients = setup
    clients["editor1"].post(url, data=page_form(clients["editor1"], url, title="未发布的修改"))
    reviewer = clients["rev1"]
    form = page_form(reviewer, url)
    form.pop("published")
    assert reviewer.post(url, data=form).status_code == 302
    assert live(app)["published"] is False and live(app)["title"] == "未发布的修改"
    with app.app_context():
        assert db.session.scalar(select(CollectionWorkingCopy)) is None


def test_a_page_loaded_before_publication_is_refused(app, setup):
    url, clients = setup
    editor = clients["editor1"]
    with app.app_context():
        collection = db.session.scalar(select(Collection).where(Collection.slug == "training"))
        collection.published = False
        db.session.commit()
    stale = page_form(editor, url)
    with app.app_context():
        collection = db.session.scalar(select(Collection).where(Collection.slug == "training"))
        collection.published = True
        db.session.commit()
    assert editor.post(url, data={**stale, "title": "过期页面"}).status_code == 409
    assert live(app)["title"] == "测试合集"


def test_an_import_onto_a_collection_with_a_working_copy_loses_neither_side(app, setup, runner, tmp_path):
    url, clients = setup
    editor = clients["editor1"]
    editor.post(url, data=page_form(editor, url, title="编辑改的标题"))
    folder = tmp_path / "content"
    assert runner.invoke(args=["content", "export", str(folder)]).exit_code == 0
    collection_file = folder / "collections" / "training.md"
    collection_file.write_text(collection_file.read_text(encoding="utf-8").replace("测试学员", "导入改的对象"),
                               encoding="utf-8")
    result = runner.invoke(args=["content", "import", str(folder)])
    assert result.exit_code == 0, result.output
    assert f"{folder.as_posix()}/collections/training.md:1: " in result.output
    assert "修改稿没改过的适用对象已随导入更新" in result.output
    with app.app_context():
        collection = db.session.scalar(select(Collection).where(Collection.slug == "training"))
        assert collection.audience == "导入改的对象" and collection.title == "测试合集"
    assert "编辑改的标题" in editor.get(url).get_data(as_text=True)
    changes = clients["rev1"].get(f"{url}/changes").get_data(as_text=True)
    assert "导入改动了已发布版本" in changes and "导入改的对象" in changes
    refused = step(clients["rev1"], url, "publish")
    assert refused.status_code == 403 and "导入更新了读者看到的版本" in refused.get_data(as_text=True)
    assert step(editor, url, "confirm-import").status_code == 302
    assert step(clients["rev1"], url, "publish").status_code == 302
    assert live(app)["title"] == "编辑改的标题"
    with app.app_context():  # the copy left the audience alone, so it took the imported one
        assert db.session.scalar(select(Collection.audience).where(Collection.slug == "training")) == "导入改的对象"
