"""Revision history, diffs between any two revisions, and restoring an old revision."""

from __future__ import annotations

import pytest

from portal.cases.models import Case, Revision
from portal.extensions import db
from tests.helpers.editor import BODY, case_data, edit_data

SLUG = "qingtian-wangge"
URL = f"/editor/cases/{SLUG}"
NEW_LINE = "新增：网格员每月走访一次<script>alert('x')</script>"


@pytest.fixture
def three_revisions(app, staff):
    """A case saved three times: created, retitled (by another editor), then a body line added."""
    first = staff("zhang", display_name="张编辑")
    second = staff("wang", display_name="王编辑")
    first.post("/editor/cases/new", case_data())
    second.post(f"{URL}/edit", edit_data(second, SLUG, title="青田县警侨驿站", comment="改标题"),
                token_url=f"{URL}/edit")
    first.post(f"{URL}/edit", edit_data(first, SLUG, body=BODY + NEW_LINE + "\n", comment="补一行"),
               token_url=f"{URL}/edit")
    return first, second


def test_history_lists_every_revision_with_who_when_and_comment(app, three_revisions):
    first, _ = three_revisions
    html = first.get(f"{URL}/history").get_data(as_text=True)
    for text in ("第 1 版", "第 2 版", "第 3 版", "初稿", "改标题", "补一行", "张编辑", "王编辑", "共 3 个版本"):
        assert text in html
    assert html.index("第 3 版") < html.index("第 1 版")  # newest first
    assert "恢复此版" in html


def test_diff_shows_the_changed_field(app, three_revisions):
    first, _ = three_revisions
    response = first.get(f"{URL}/diff?from=1&to=2")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<del>青田县网格治理服务华侨</del>" in html and "<ins>青田县警侨驿站</ins>" in html
    assert "正文没有改动" in html


def test_diff_shows_the_changed_body_line_escaped(app, three_revisions):
    first, _ = three_revisions
    html = first.get(f"{URL}/diff?from=1&to=3").get_data(as_text=True)
    assert "<ins>新增：网格员每月走访一次&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</ins>" in html
    assert "<script>alert" not in html
    assert "<ins>青田县警侨驿站</ins>" in html  # the title change is in this range too


def test_diff_can_run_backwards_and_defaults_to_the_last_two(app, three_revisions):
    first, _ = three_revisions
    backwards = first.get(f"{URL}/diff?from=3&to=1").get_data(as_text=True)
    assert "<del>新增：网格员每月走访一次" in backwards
    latest = first.get(f"{URL}/diff").get_data(as_text=True)
    assert "比较第 2 版与第 3 版" in latest


@pytest.mark.parametrize("query, status", [
    ("from=abc&to=2", 400), ("from=0&to=2", 400), ("from=-1&to=2", 400), ("from=%C2%B2&to=1", 400),
    ("from=1&to=99", 404), ("from=99999999999999999999&to=1", 404),
])
def test_bad_diff_parameters_get_a_clear_error_not_a_crash(app, three_revisions, query, status):
    first, _ = three_revisions
    response = first.get(f"{URL}/diff?{query}")
    assert response.status_code == status
    assert "版" in response.get_data(as_text=True)


def test_restoring_an_old_revision_makes_a_new_one(app, three_revisions):
    first, _ = three_revisions
    response = first.post(f"{URL}/revisions/1/restore", {"comment": "第 2、3 版的改动有误"},
                          token_url=f"{URL}/history")
    assert response.status_code == 302
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.slug == SLUG))
        assert case.title == "青田县网格治理服务华侨" and NEW_LINE not in case.body_md
        assert "网格员每月走访" not in case.body_html
        latest = db.session.scalar(db.select(Revision).order_by(Revision.number.desc()).limit(1))
        assert (latest.number, latest.comment, latest.author.username) == (4, "恢复自第 1 版：第 2、3 版的改动有误", "zhang")
    assert "恢复自第 1 版" in first.get(f"{URL}/history").get_data(as_text=True)
    assert "<del>青田县警侨驿站</del>" in first.get(f"{URL}/diff?from=3&to=4").get_data(as_text=True)


def test_restore_follows_the_editing_rules(app, three_revisions):
    first, _ = three_revisions
    assert first.post(f"{URL}/revisions/42/restore").status_code == 404
    first.post(f"{URL}/submit")
    refused = first.post(f"{URL}/revisions/1/restore", {"comment": "退回旧版"}, token_url=f"{URL}/history")
    assert refused.status_code == 403 and "正在审核中" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Revision.id))) == 3


def test_reviewers_see_what_changed_since_the_case_was_last_published(app, staff, three_revisions):
    first, _ = three_revisions
    reviewer = staff("li", "reviewer")
    first.post(f"{URL}/submit")
    reviewer.post(f"{URL}/publish")
    reviewer.post(f"{URL}/unpublish", {"comment": "标题要再斟酌"})
    first.post(f"{URL}/edit", edit_data(first, SLUG, title="青田县警侨驿站服务侨胞", comment="改标题"),
               token_url=f"{URL}/edit")
    first.post(f"{URL}/submit")
    page = reviewer.get(f"{URL}/edit").get_data(as_text=True)
    assert f'href="{URL}/diff?from=3&amp;to=4"' in page and "自上次发布（第 3 版）以来的改动" in page
