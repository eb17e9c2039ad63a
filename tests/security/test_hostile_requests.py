"""Hostile Markdown and hostile numbers: DOM clobbering in every Markdown field, huge ids, newline slugs."""

from __future__ import annotations

import re

import pytest

from portal.cases.models import Case
from portal.collections.models import Collection, CollectionItem
from portal.config import PROJECT_ROOT
from portal.extensions import db
from portal.markdown import render_markdown
from portal.slugs import slug_problem
from tests.factories import make_case, make_taxonomy
from tests.helpers import csrf_token, login, post_form

# Elements named like the links training mode's keys follow, pointing outside.
CLOBBER = ('<a id="present-next" name="present-next" href="https://evil.example/next">下一页</a>'
           '<a id="present-prev" href="https://evil.example/prev">上一页</a>'
           '<form id="present-exit" name="present-exit"></form><img name="present-exit" src="/x.png">')
HUGE = str(2**64 + 1)


@pytest.fixture
def clobbered(app, make_user):
    """A published case, collection intro and trainer note, each carrying the clobbering payload."""
    make_user("editor1", "editor")
    with app.app_context():
        make_taxonomy()
        first = make_case("第一个案例", slug="first", body=f"## 做法\n\n{CLOBBER}\n\n## 成效\n\n好。")
        second = make_case("第二个案例", slug="second")
        intro = f"导言。\n\n{CLOBBER}\n"
        collection = Collection(slug="training", title="培训合集", intro_md=intro,
                                intro_html=render_markdown(intro).html, published=True)
        collection.items.append(CollectionItem(case=first, position=0, note_md=f"导读 {CLOBBER}", questions=[]))
        collection.items.append(CollectionItem(case=second, position=1, note_md="导读", questions=[]))
        db.session.add(collection)
        db.session.commit()
        return collection.id


def own_ids(html: str, name: str) -> list[str]:
    """Every element in `html` carrying `name` as its id or name attribute."""
    return re.findall(rf'<[^>]*\b(?:id|name)="{name}"[^>]*>', html)


@pytest.mark.parametrize("url", ["/cases/first", "/collections/training", "/collections/training/present",
                                 "/collections/training/present/1", "/collections/training/present/2"])
def test_markdown_cannot_take_over_the_ids_the_page_scripts_use(client, clobbered, url):
    html = client.get(url).get_data(as_text=True)
    assert 'id="user-content-present-next"' in html or "/present" in url
    for name in ("present-next", "present-prev", "present-exit"):
        found = own_ids(html, name)
        assert all("data-present-key" in tag for tag in found), found
    assert "data-present-key" not in html.split('<nav class="present-nav"')[0]


def test_the_editor_preview_prefixes_ids_too(client, clobbered):
    login(client, "editor1")
    response = post_form(client, "/editor/preview", {"body": CLOBBER}, form_url="/editor/cases/new")
    html = response.get_json()["html"]
    assert own_ids(html, "present-next") == [] and "user-content-present-next" in html


def test_training_mode_follows_only_links_users_cannot_mark():
    script = (PROJECT_ROOT / "portal/collections/static/present.js").read_text(encoding="utf-8")
    assert 'getElementById("present-' not in script and "data-present-key" in script


@pytest.mark.parametrize("url", [f"/admin/users/{HUGE}", f"/editor/collections/{HUGE}",
                                 f"/editor/cases/x/revisions/{HUGE}/restore",
                                 f"/collections/training/present/{HUGE}"])
def test_huge_ids_in_paths_are_not_found(client, clobbered, make_user, url):
    make_user("root", "admin")
    login(client, "root")
    response = client.get(url) if "restore" not in url else client.post(url)
    assert response.status_code in (404, 405)


@pytest.mark.parametrize("query", [f"page={HUGE}", f"page=-{HUGE}", f"page={HUGE}&action=user.create"])
def test_huge_numbers_in_query_strings_are_refused(client, make_user, query):
    make_user("root", "admin")
    login(client, "root")
    assert client.get(f"/admin/audit?{query}").status_code in (200, 400, 404)


def test_huge_item_ids_in_forms_are_refused(client, clobbered, make_user):
    make_user("root", "admin")
    login(client, "root")
    url = f"/editor/collections/{clobbered}"
    response = client.post(f"{url}/items", data={"csrf_token": csrf_token(client, url), "add-case_id": HUGE})
    assert response.status_code == 400


def test_a_slug_with_a_trailing_newline_is_not_well_formed():
    assert slug_problem("look-alike\n") is not None and slug_problem("look-alike") is None


def test_a_case_slug_typed_with_a_trailing_newline_is_stored_without_it(client, app, make_user):
    make_user("editor1", "editor")
    with app.app_context():
        make_taxonomy()
    login(client, "editor1")
    response = post_form(client, "/editor/cases/new", {
        "title": "新案例", "slug": "look-alike\n", "area": "quyu", "region": "331100", "level": "市级",
        "body": "## 背景\n\n正文。", "save": "保存"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(db.select(Case.slug)).all() == ["look-alike"]


def test_a_collection_slug_typed_with_a_trailing_newline_is_stored_without_it(client, app, make_user):
    make_user("editor1", "editor")
    login(client, "editor1")
    response = post_form(client, "/editor/collections/new", {"title": "合集", "slug": "look-alike\n"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(db.select(Collection.slug)).all() == ["look-alike"]
