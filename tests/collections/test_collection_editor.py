"""Editors build collections in the browser: create, add, reorder, annotate, remove; all with CSRF."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.collections.models import Collection
from portal.extensions import db
from tests.factories import make_case, make_taxonomy
from tests.helpers import csrf_token, extract_csrf_token, login
from tests.helpers.collections import make_collection, page_form


@pytest.fixture
def editor(app, client, make_user):
    """A logged-in editor and three published cases to choose from."""
    with app.app_context():
        make_taxonomy()
        for slug, title in (("alpha", "甲案例：民事村了"), ("beta", "乙案例：十台合一"), ("gamma", "丙案例：域外网格")):
            make_case(title, slug=slug)
    make_user("editor1", "editor")
    login(client, "editor1")
    return client


def case_id(app, slug: str) -> int:
    from portal.cases.models import Case

    with app.app_context():
        return db.session.scalar(select(Case.id).where(Case.slug == slug))


def collection_state(app, slug: str = "training") -> dict:
    with app.app_context():
        collection = db.session.scalar(select(Collection).where(Collection.slug == slug))
        return {"items": [item.case.slug for item in collection.items],
                "positions": [item.position for item in collection.items],
                "notes": {item.case.slug: item.note_md for item in collection.items},
                "questions": {item.case.slug: item.questions for item in collection.items},
                "item_ids": {item.case.slug: item.id for item in collection.items},
                "id": collection.id}


def create_collection(client) -> str:
    token = csrf_token(client, "/editor/collections/new")
    response = client.post("/editor/collections/new", data={
        "csrf_token": token, "title": "培训用合集", "slug": "training", "audience": "新任干部",
        "intro_md": "**导言**正文", "published": "y"})
    assert response.status_code == 302
    return response.headers["Location"]


def add(client, edit_url: str, app, slug: str):
    token = extract_csrf_token(client.get(edit_url).get_data(as_text=True))
    return client.post(f"{edit_url}/items", data={"add-csrf_token": token, "add-case_id": case_id(app, slug)})


def test_an_editor_builds_a_collection_in_the_browser(app, editor):
    edit_url = create_collection(editor)
    assert edit_url.endswith("/editor/collections/" + str(collection_state(app)["id"]))
    for slug in ("alpha", "beta", "gamma"):
        assert add(editor, edit_url, app, slug).status_code == 302
    assert collection_state(app)["items"] == ["alpha", "beta", "gamma"]

    ids = collection_state(app)["item_ids"]
    response = editor.post(edit_url, data=page_form(editor, edit_url, move=f"{ids['gamma']}:up"))
    assert response.status_code == 302
    editor.post(edit_url, data=page_form(editor, edit_url, move=f"{ids['alpha']}:down"))
    state = collection_state(app)
    assert state["items"] == ["gamma", "alpha", "beta"]
    assert state["positions"] == [0, 1, 2]

    prefix = f"item{ids['alpha']}-"
    editor.post(edit_url, data=page_form(editor, edit_url, **{
        f"{prefix}note": "先请学员说说**本地**的纠纷。", f"{prefix}questions": "第一题？\r\n\r\n  第二题？  \r\n"}))
    state = collection_state(app)
    assert state["notes"]["alpha"] == "先请学员说说**本地**的纠纷。"
    assert state["questions"]["alpha"] == ["第一题？", "第二题？"]

    editor.post(edit_url, data=page_form(editor, edit_url, remove=str(ids["beta"])))
    state = collection_state(app)
    assert state["items"] == ["gamma", "alpha"] and state["positions"] == [0, 1]

    # What readers now see: the new order, the note rendered, the questions listed.
    public = editor.get("/collections/training").get_data(as_text=True)
    assert public.index("丙案例：域外网格") < public.index("甲案例：民事村了")
    assert "乙案例：十台合一</a>" not in public
    assert "先请学员说说<strong>本地</strong>的纠纷。" in public
    assert "<li>第一题？</li><li>第二题？</li>" in public
    assert "<strong>导言</strong>正文" in public


def test_the_edit_page_offers_only_cases_not_yet_added_and_filters_by_title(app, editor):
    edit_url = create_collection(editor)
    add(editor, edit_url, app, "alpha")
    html = editor.get(edit_url).get_data(as_text=True)
    options = re.findall(r"<option[^>]*>([^<]+)</option>", html)
    assert options == ["丙案例：域外网格（已发布）", "乙案例：十台合一（已发布）"]
    filtered = editor.get(f"{edit_url}?q=十台").get_data(as_text=True)
    assert re.findall(r"<option[^>]*>([^<]+)</option>", filtered) == ["乙案例：十台合一（已发布）"]


def test_adding_a_case_twice_is_refused_with_a_message(app, editor):
    edit_url = create_collection(editor)
    add(editor, edit_url, app, "alpha")
    response = add(editor, edit_url, app, "alpha")
    assert response.status_code == 400
    assert "请选择一个尚未加入本合集的案例" in response.get_data(as_text=True)
    assert collection_state(app)["items"] == ["alpha"]


def test_too_many_questions_are_refused_and_nothing_is_saved(app, editor):
    edit_url = create_collection(editor)
    add(editor, edit_url, app, "alpha")
    item_id = collection_state(app)["item_ids"]["alpha"]
    prefix = f"item{item_id}-"
    response = editor.post(edit_url, data=page_form(editor, edit_url, **{
        f"{prefix}note": "导读", f"{prefix}questions": "\n".join(f"第{n}题？" for n in range(11))}))
    assert response.status_code == 400
    assert "讨论题最多 10 道" in response.get_data(as_text=True)
    assert collection_state(app)["questions"]["alpha"] == []


def test_a_slug_already_taken_is_refused(app, editor):
    create_collection(editor)
    token = csrf_token(editor, "/editor/collections/new")
    response = editor.post("/editor/collections/new", data={"csrf_token": token, "title": "另一个", "slug": "training"})
    assert response.status_code == 400
    assert "这个网址名已被其他合集使用" in response.get_data(as_text=True)
    bad = editor.post("/editor/collections/new", data={"csrf_token": token, "title": "另一个", "slug": "中文"})
    assert bad.status_code == 400 and "只能用小写拼音字母、数字和连字符" in bad.get_data(as_text=True)


def test_editing_the_fields_saves_them(app, editor):
    edit_url = create_collection(editor)
    token = csrf_token(editor, edit_url)
    response = editor.post(edit_url, data={"csrf_token": token, "title": "改过的标题", "slug": "training",
                                           "audience": "", "intro_md": "新导言", "featured": "y"})
    assert response.status_code == 302
    with app.app_context():
        collection = db.session.scalar(select(Collection).where(Collection.slug == "training"))
        # Featuring and publishing are a reviewer's decision: an editor's ticks change nothing.
        assert (collection.title, collection.featured, collection.published) == ("改过的标题", False, False)
        assert collection.intro_html == "<p>新导言</p>"


def test_posts_without_a_csrf_token_are_refused(app, editor):
    edit_url = create_collection(editor)
    add(editor, edit_url, app, "alpha")
    item_id = collection_state(app)["item_ids"]["alpha"]
    for url, data in ((f"{edit_url}/items", {"add-case_id": case_id(app, "beta")}),
                      (f"{edit_url}/items/{item_id}/remove", {}),
                      (f"{edit_url}/items/{item_id}/move", {"direction": "down"})):
        response = editor.post(url, data=data)
        assert response.status_code == 400
        assert "CSRF" in response.get_data(as_text=True)
    assert collection_state(app)["items"] == ["alpha"]


def test_anonymous_visitors_are_sent_to_login_and_change_nothing(app, client):
    with app.app_context():
        make_taxonomy()
        collection = make_collection([make_case("案例甲", slug="a")], slug="training")
        item_id, collection_id = collection.items[0].id, collection.id
    for url in ("/editor/collections", "/editor/collections/new", f"/editor/collections/{collection_id}"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    token = csrf_token(client, "/login")
    response = client.post(f"/editor/collections/{collection_id}/items/{item_id}/remove", data={"csrf_token": token})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert collection_state(app)["items"] == ["a"]


def test_notes_typed_for_several_cases_are_all_saved_by_one_button(app, editor):
    edit_url = create_collection(editor)
    for slug in ("alpha", "beta", "gamma"):
        add(editor, edit_url, app, slug)
    ids = collection_state(app)["item_ids"]
    typed = {f"item{ids[slug]}-note": f"{slug} 的导读" for slug in ("alpha", "beta", "gamma")}
    typed[f"item{ids['beta']}-questions"] = "乙的讨论题？"
    response = editor.post(edit_url, data=page_form(editor, edit_url, **typed))
    assert response.status_code == 302
    state = collection_state(app)
    assert state["notes"] == {slug: f"{slug} 的导读" for slug in ("alpha", "beta", "gamma")}
    assert state["questions"]["beta"] == ["乙的讨论题？"]


def test_moving_a_case_keeps_the_notes_typed_before_pressing_it(app, editor):
    edit_url = create_collection(editor)
    for slug in ("alpha", "beta"):
        add(editor, edit_url, app, slug)
    ids = collection_state(app)["item_ids"]
    editor.post(edit_url, data=page_form(editor, edit_url, move=f"{ids['beta']}:up", **{
        f"item{ids['alpha']}-note": "甲的导读", f"item{ids['beta']}-note": "乙的导读"}))
    state = collection_state(app)
    assert state["items"] == ["beta", "alpha"]
    assert state["notes"] == {"alpha": "甲的导读", "beta": "乙的导读"}


def test_the_edit_page_has_one_form_for_the_fields_and_every_note(app, editor):
    edit_url = create_collection(editor)
    for slug in ("alpha", "beta"):
        add(editor, edit_url, app, slug)
    fields = page_form(editor, edit_url)
    ids = collection_state(app)["item_ids"]
    assert {"title", f"item{ids['alpha']}-note", f"item{ids['beta']}-questions"} <= set(fields)
