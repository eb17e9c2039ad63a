"""Trainers build and annotate their own collections; cases stay editors' work; editors decide publication."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.cases.models import Case
from portal.collections.models import Collection
from portal.extensions import db
from tests.factories import make_case, make_taxonomy
from tests.helpers import csrf_token, extract_csrf_token, login
from tests.helpers.collections import make_collection


@pytest.fixture
def trainer(app, client, make_user):
    """A logged-in trainer, a published and a draft case, and an editor's collection."""
    with app.app_context():
        make_taxonomy()
        published = make_case("已发布的案例", slug="public-case")
        make_case("编辑的草稿案例", slug="draft-case", status="draft")
        make_collection([published], slug="editors-own", title="编辑的合集")
    make_user("zhaojiao", "trainer")
    login(client, "zhaojiao")
    return client


def stored(app, slug: str) -> Collection | None:
    with app.app_context():
        collection = db.session.scalar(select(Collection).where(Collection.slug == slug))
        if collection is not None:
            items = [item.case.slug for item in collection.items]
            db.session.expunge(collection)
            collection.case_slugs = items
        return collection


def case_id(app, slug: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Case.id).where(Case.slug == slug))


def create(client, slug="my-course", **extra):
    token = csrf_token(client, "/editor/collections/new")
    return client.post("/editor/collections/new", data={
        "csrf_token": token, "title": "我的培训课", "slug": slug, "intro_md": "导言", **extra})


def test_a_trainer_creates_an_unpublished_collection_even_when_asking_to_publish(app, trainer):
    form = trainer.get("/editor/collections/new").get_data(as_text=True)
    assert 'name="published"' not in form and 'name="featured"' not in form
    response = create(trainer, published="y", featured="y")
    assert response.status_code == 302
    collection = stored(app, "my-course")
    assert (collection.published, collection.featured) == (False, False)
    # Readers cannot see it yet; its author can.
    assert app.test_client().get("/collections/my-course").status_code == 404
    assert trainer.get("/collections/my-course").status_code == 200


def test_a_trainer_adds_published_cases_only(app, trainer):
    edit_url = create(trainer).headers["Location"]
    page = trainer.get(edit_url).get_data(as_text=True)
    assert "已发布的案例" in page and "编辑的草稿案例" not in page
    token = extract_csrf_token(page)
    refused = trainer.post(f"{edit_url}/items", data={"add-csrf_token": token,
                                                      "add-case_id": case_id(app, "draft-case")})
    assert refused.status_code == 400
    added = trainer.post(f"{edit_url}/items", data={"add-csrf_token": token,
                                                    "add-case_id": case_id(app, "public-case")})
    assert added.status_code == 302
    assert stored(app, "my-course").case_slugs == ["public-case"]


def test_a_trainer_sees_and_edits_only_their_own_collections(app, trainer):
    create(trainer)
    listing = trainer.get("/editor/collections").get_data(as_text=True)
    assert "我的培训课" in listing and "编辑的合集" not in listing
    others = stored(app, "editors-own")
    assert trainer.get(f"/editor/collections/{others.id}").status_code == 403
    token = csrf_token(trainer, "/editor/collections/new")
    response = trainer.post(f"/editor/collections/{others.id}", data={
        "csrf_token": token, "title": "被改掉的标题", "slug": "editors-own"})
    assert response.status_code == 403
    assert stored(app, "editors-own").title == "编辑的合集"


def test_trainers_cannot_write_cases(trainer):
    assert trainer.get("/editor/cases/new").status_code == 403
    assert trainer.get("/editor/").status_code == 403


def test_a_reviewer_publishes_a_trainers_collection(app, trainer, make_user):
    create(trainer)
    collection = stored(app, "my-course")
    make_user("reviewer1", "reviewer")
    editor = app.test_client()
    login(editor, "reviewer1")
    assert "我的培训课" in editor.get("/editor/collections").get_data(as_text=True)
    token = csrf_token(editor, f"/editor/collections/{collection.id}")
    editor.post(f"/editor/collections/{collection.id}", data={
        "csrf_token": token, "title": "我的培训课", "slug": "my-course", "published": "y"})
    assert stored(app, "my-course").published is True
