"""A collection's 网址名 is proposed from its title in pinyin, and its text gets Chinese punctuation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.collections.models import Collection
from portal.extensions import db
from tests.factories import make_case, make_taxonomy
from tests.helpers import csrf_token, login
from tests.helpers.collections import make_collection, page_form


@pytest.fixture
def trainer(app, client, make_user):
    """A signed-in trainer and one published case."""
    with app.app_context():
        make_taxonomy()
        make_case("丙案例：域外网格", slug="gamma")
    make_user("trainer1", "trainer")
    login(client, "trainer1")
    return client


def stored(app, **where) -> Collection:
    with app.app_context():
        collection = db.session.scalar(select(Collection).filter_by(**where))
        db.session.expunge_all()
        return collection


def test_a_blank_slug_is_spelled_from_the_title_on_save(app, trainer):
    token = csrf_token(trainer, "/editor/collections/new")
    response = trainer.post("/editor/collections/new", data={"csrf_token": token, "title": "域外网格", "slug": ""})
    assert response.status_code == 302
    assert stored(app, title="域外网格").slug == "yuwai-wangge"


def test_the_live_check_proposes_and_checks_a_collection_slug(app, trainer):
    with app.app_context():
        make_collection([], slug="yuwai-wangge", title="旧合集")
    proposal = trainer.get("/editor/collections/slug-check?title=域外网格").get_json()
    assert proposal["slug"] == "yuwai-wangge-2" and proposal["ok"]  # the plain spelling is taken
    taken = trainer.get("/editor/collections/slug-check?title=域外网格&slug=yuwai-wangge").get_json()
    assert not taken["ok"] and "yuwai-wangge-2" in taken["message"]
    chinese = trainer.get("/editor/collections/slug-check?title=域外网格&slug=域外").get_json()
    assert not chinese["ok"] and "小写" in chinese["message"]


def test_the_live_check_is_for_staff_only(app, client):
    response = client.get("/editor/collections/slug-check?title=域外网格")
    assert response.status_code in (302, 401, 403)


def test_the_new_collection_page_wires_the_live_check(app, trainer):
    html = trainer.get("/editor/collections/new").get_data(as_text=True)
    assert 'data-slug-check="/editor/collections/slug-check"' in html and "slug.js" in html


def test_saved_text_gets_chinese_quotes_and_brackets(app, trainer):
    token = csrf_token(trainer, "/editor/collections/new")
    trainer.post("/editor/collections/new", data={
        "csrf_token": token, "title": '学习"域外网格"(景宁)', "slug": "yuwai", "audience": '新任"网格员"',
        "intro_md": '本合集讲"域外网格"。'})
    collection = stored(app, slug="yuwai")
    assert collection.title == "学习“域外网格”（景宁）"
    assert collection.audience == "新任“网格员”" and collection.intro_md == "本合集讲“域外网格”。"
    edit_url = f"/editor/collections/{collection.id}"
    gamma = trainer.post(f"{edit_url}/items", data={"add-csrf_token": csrf_token(trainer, edit_url),
                                                        "add-case_id": _case_id(app)})
    assert gamma.status_code == 302
    item_id = _item_id(app, collection.id)
    prefix = f"item{item_id}-"
    trainer.post(edit_url, data=page_form(trainer, edit_url, **{
        f"{prefix}note": '先读"做法"一节。', f"{prefix}questions": '"域外"指什么？\n如何借鉴(本县)？'}))
    item = _item(app, item_id)
    assert item.note_md == "先读“做法”一节。"
    assert item.questions == ["“域外”指什么？", "如何借鉴（本县）？"]


def _case_id(app) -> int:
    from portal.cases.models import Case

    with app.app_context():
        return db.session.scalar(select(Case.id).where(Case.slug == "gamma"))


def _item_id(app, collection_id: int) -> int:
    from portal.collections.models import CollectionItem

    with app.app_context():
        return db.session.scalar(select(CollectionItem.id).where(CollectionItem.collection_id == collection_id))


def _item(app, item_id: int):
    from portal.collections.models import CollectionItem

    with app.app_context():
        item = db.session.get(CollectionItem, item_id)
        db.session.expunge_all()
        return item
