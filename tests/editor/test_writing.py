"""The writing page: validation, previews, suggestions, and the conflict page when two editors save."""

from __future__ import annotations

import re

from flask_login import login_user
from sqlalchemy import update

from portal.auth.models import User
from portal.cases.fieldtypes import parse_tags
from portal.cases.models import Case, Revision
from portal.editor.forms import CaseForm
from portal.editor.writing import save_case
from portal.extensions import db
from tests.helpers.editor import BODY, case_data, edit_data

SLUG = "qingtian-wangge"


def count_cases(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(Case.id)))


def test_tags_split_on_ascii_and_chinese_separators():
    assert parse_tags("网格治理, 平安建设，服务群众、 网格治理;数字赋能") == ["网格治理", "平安建设", "服务群众", "数字赋能"]
    assert parse_tags("  ") == []


def test_invalid_slug_and_missing_title_are_explained(app, staff):
    author = staff("zhang")
    response = author.post("/editor/cases/new", case_data(slug="青田 网格", title=""))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "网址名不能用汉字，请用拼音，如 qingtian-wangge" in html and "请填写标题" in html
    assert count_cases(app) == 0


def test_a_garbled_year_gets_a_chinese_message(app, staff):
    response = staff("zhang").post("/editor/cases/new", case_data(year="二〇二〇"))
    assert response.status_code == 400 and "不是有效的整数" in response.get_data(as_text=True)
    assert count_cases(app) == 0


def test_slugs_are_unique(app, staff):
    author = staff("zhang")
    assert author.post("/editor/cases/new", case_data()).status_code == 302
    again = author.post("/editor/cases/new", case_data(title="另一个案例"))
    assert again.status_code == 400 and "已被其他案例使用" in again.get_data(as_text=True)
    assert count_cases(app) == 1


def test_unknown_area_or_region_is_refused(app, staff):
    author = staff("zhang")
    response = author.post("/editor/cases/new", case_data(area="nowhere", region="999999"))
    assert response.status_code == 400 and count_cases(app) == 0


def test_region_select_shows_the_tree_indented(app, staff):
    html = staff("zhang").get("/editor/cases/new").get_data(as_text=True)
    assert '<option value="331100">丽水市</option>' in html
    assert '<option value="331121">\u3000青田县</option>' in html


def test_existing_tags_are_offered_in_a_datalist(app, staff):
    author = staff("zhang")
    author.post("/editor/cases/new", case_data(tags="警侨驿站、华人华侨"))
    html = author.get("/editor/cases/new").get_data(as_text=True)
    assert 'list="tag-options"' in html
    assert '<option value="警侨驿站">' in html and '<option value="华人华侨">' in html


def test_live_preview_returns_sanitized_html_and_suggestions(app, staff):
    author = staff("zhang")
    body = "## 做法\n\n青田县警侨驿站服务华人华侨。华人华侨遇事先找驿站。<img src=x onerror=alert(1)>\n\n[链接](javascript:alert(1))"
    token = author.token()
    response = author.client.post("/editor/preview", data={"body": body, "title": "警侨驿站", "tags": ""},
                                  headers={"X-CSRFToken": token, "Accept": "application/json"})
    assert response.status_code == 200
    data = response.get_json()
    assert '<h2 id="user-content-做法">做法</h2>' in data["html"]
    assert "onerror" not in data["html"] and "javascript:" not in data["html"]
    assert data["suggestions"]["region"] == {"value": "331121", "label": "青田县"}
    assert "华人华侨" in data["suggestions"]["tags"]


def test_live_preview_needs_the_csrf_header(app, staff):
    response = staff("zhang").client.post("/editor/preview", data={"body": "正文"})
    assert response.status_code == 400


def test_suggestion_buttons_work_without_javascript(app, staff):
    author = staff("zhang")
    text = "景宁畲族自治县推行域外网格，力量统筹把在外乡贤组织起来，域外网格服务流动人口。"
    form = case_data(title="域外网格", area="pingtai", region="331100", tags="", body=text, save=None)
    page = author.post("/editor/cases/new", form).get_data(as_text=True)
    assert 'value="region:331127"' in page and 'value="area:liliang"' in page

    one = author.post("/editor/cases/new", {**form, "accept": "region:331127"}).get_data(as_text=True)
    assert '<option selected value="331127">' in one
    assert '<option selected value="pingtai">' in one  # only what was clicked changes

    everything = author.post("/editor/cases/new", {**form, "apply_suggestions": "采用全部建议"})
    html = everything.get_data(as_text=True)
    assert '<option selected value="331127">' in html and '<option selected value="liliang">' in html
    tags_value = re.search(r'name="tags" type="text" value="([^"]*)"', html).group(1)
    assert "域外网格" in parse_tags(tags_value)
    assert count_cases(app) == 0  # accepting suggestions never saves


def test_editing_records_a_revision_with_the_comment(app, staff):
    author = staff("zhang")
    author.post("/editor/cases/new", case_data())
    url = f"/editor/cases/{SLUG}/edit"
    response = author.post(url, edit_data(author, SLUG, title="青田县警侨驿站", comment="改标题"), token_url=url)
    assert response.status_code == 302
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.slug == SLUG))
        assert case.title == "青田县警侨驿站" and case.slug == SLUG
        latest = db.session.scalar(db.select(Revision).order_by(Revision.number.desc()).limit(1))
        assert (latest.number, latest.comment, latest.snapshot["title"]) == (2, "改标题", "青田县警侨驿站")


def test_editors_cannot_change_a_case_under_review_but_reviewers_can(app, staff):
    author = staff("zhang")
    reviewer = staff("li", "reviewer")
    author.post("/editor/cases/new", case_data())
    author.post(f"/editor/cases/{SLUG}/submit")
    url = f"/editor/cases/{SLUG}/edit"
    page = author.get(url).get_data(as_text=True)
    assert "正在审核中" in page and 'name="save"' not in page
    assert 'name="save"' in reviewer.get(url).get_data(as_text=True)
    refused = author.post(url, edit_data(author, SLUG, title="审核中偷偷改"), token_url=url)
    assert refused.status_code == 403 and "正在审核中" in refused.get_data(as_text=True)
    fixed = reviewer.post(url, edit_data(reviewer, SLUG, title="审核人修正的标题"), token_url=url)
    assert fixed.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(Case.title).where(Case.slug == SLUG)) == "审核人修正的标题"


def test_second_editor_gets_a_conflict_page_with_both_versions(app, staff):
    first = staff("zhang", display_name="张编辑")
    second = staff("wang", display_name="王编辑")
    first.post("/editor/cases/new", case_data())
    url = f"/editor/cases/{SLUG}/edit"
    theirs_form = edit_data(first, SLUG, title="张编辑改的标题", comment="张的修改")
    yours_form = edit_data(second, SLUG, body=BODY + "王编辑新写的一段话。\n", comment="王的修改")
    assert first.post(url, theirs_form, token_url=url).status_code == 302

    response = second.post(url, yours_form, token_url=url)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "保存冲突" in html and "没有保存" in html and "张编辑" in html
    assert "张编辑改的标题" in html  # theirs, already saved
    assert "<ins>王编辑新写的一段话。</ins>" in html  # yours, in the diff
    assert html.count("王编辑新写的一段话。") >= 3  # the diff, the copy box and the form keep it
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.slug == SLUG))
        assert case.title == "张编辑改的标题" and "王编辑新写" not in case.body_md
        version = case.version

    # Saving from the conflict page keeps theirs in history and makes yours current.
    assert f'name="base_version" type="hidden" value="{version}"' in html
    keep = second.post(url, {**yours_form, "base_version": str(version)}, token_url=url)
    assert keep.status_code == 302
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.slug == SLUG))
        assert "王编辑新写的一段话。" in case.body_md
        comments = db.session.scalars(db.select(Revision.comment).order_by(Revision.number)).all()
        assert comments == ["初稿", "张的修改", "王的修改"]


def test_a_save_racing_another_commit_is_caught_by_the_version_counter(app, staff):
    author = staff("zhang")
    author.post("/editor/cases/new", case_data())
    data = {**case_data(body="我的改动。"), "base_version": "1"}
    data.pop("slug")
    with app.test_request_context(f"/editor/cases/{SLUG}/edit", method="POST", data=data):
        login_user(db.session.get(User, author.user_id))
        case = db.session.scalar(db.select(Case).where(Case.slug == SLUG))
        form = CaseForm(case=case, meta={"csrf": False})
        assert form.validate()
        # Someone else's save lands after the check but before ours commits.
        with db.engine.begin() as other:
            other.execute(update(Case).where(Case.slug == SLUG).values(version=2, title="别人的标题"))
        body, status = save_case(case, form)
    assert status == 409 and "保存冲突" in body and "我的改动。" in body
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.slug == SLUG))
        assert case.title == "别人的标题" and case.body_md == BODY.strip()


def test_a_form_without_its_version_never_overwrites_silently(app, staff):
    author = staff("zhang")
    author.post("/editor/cases/new", case_data())
    url = f"/editor/cases/{SLUG}/edit"
    data = edit_data(author, SLUG, title="没带版本号的保存")
    data.pop("base_version")
    response = author.post(url, data, token_url=url)
    assert response.status_code == 409 and "没带版本号的保存" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(Case.title).where(Case.slug == SLUG)) == "青田县网格治理服务华侨"
