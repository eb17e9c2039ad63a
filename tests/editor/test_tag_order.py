"""Tags keep the order the editor gave; the diff compares tag sets, so re-saving shows no tag change."""

from __future__ import annotations

from portal.cases.models import Case
from portal.editor.diffing import compare
from portal.extensions import db
from tests.helpers.editor import case_data, edit_data

SLUG_DEFAULT = case_data()["slug"]
ORDER = ["数字赋能", "网格治理", "平安建设", "服务群众"]


def tag_names(app) -> list[str]:
    with app.app_context():
        return db.session.scalar(db.select(Case).where(Case.slug == SLUG_DEFAULT)).tag_names


def test_tag_order_survives_a_save_and_shows_on_the_page(app, staff):
    author = staff("zhang")
    assert author.post("/editor/cases/new", case_data(tags="、".join(ORDER))).status_code == 302
    assert tag_names(app) == ORDER
    assert author.post(f"/editor/cases/{SLUG_DEFAULT}/edit", edit_data(author, SLUG_DEFAULT)).status_code == 302
    assert tag_names(app) == ORDER
    page = author.get(f"/cases/{SLUG_DEFAULT}").get_data(as_text=True)
    assert [page.index(f">{name}</a>") for name in ORDER] == sorted(page.index(f">{name}</a>") for name in ORDER)


def test_reordering_tags_is_kept_but_is_no_tag_change_in_the_diff(app, staff):
    author = staff("zhang")
    author.post("/editor/cases/new", case_data(tags="、".join(ORDER)))
    author.post(f"/editor/cases/{SLUG_DEFAULT}/edit", edit_data(author, SLUG_DEFAULT, tags="、".join(reversed(ORDER))))
    assert tag_names(app) == list(reversed(ORDER))
    html = author.get(f"/editor/cases/{SLUG_DEFAULT}/diff?from=1&to=2").get_data(as_text=True)
    assert "两个版本的内容完全相同" in html and "<th scope=\"row\">标签</th>" not in html


def test_the_diff_compares_tag_sets_not_strings():
    old = {"tags": ["乙", "甲"], "body": "正文"}
    assert compare(old, {"tags": ["甲", "乙"], "body": "正文"}).identical
    assert [change.key for change in compare(old, {"tags": ["甲"], "body": "正文"}).changed_fields] == ["tags"]
