"""The case form's 借鉴自 and 推广到 inputs: one entry per line, checked line by line, kept in revisions."""

from __future__ import annotations

from portal.cases.models import Case, Revision
from portal.extensions import db
from tests.helpers.editor import case_data, edit_data

SLUG = "qingtian-wangge"


def snapshot_of(app, slug: str) -> dict:
    with app.app_context():
        return db.session.scalar(db.select(Case).where(Case.slug == slug)).snapshot()


def test_lines_become_entries_and_come_back_as_lines(app, staff):
    editor = staff("wang")
    editor.post("/editor/cases/new", case_data(slug="origin"), token_url="/editor/cases/new")
    response = editor.post("/editor/cases/new", case_data(
        learned_from="origin\nhttp://localhost/cases/origin\n诸暨市枫桥镇，1963",
        adopted_in="龙泉市｜溪头村｜2020｜全村推行｜县里的通报\n331126 | | | 试点"), token_url="/editor/cases/new")
    assert response.status_code == 302
    snap = snapshot_of(app, SLUG)
    assert snap["learned_from"] == [{"case": "origin"}, {"case": "origin"}, {"place": "诸暨市枫桥镇", "year": 1963}]
    assert snap["adopted_in"] == [
        {"region": "331181", "place": "溪头村", "year": 2020, "note": "全村推行", "source": "县里的通报"},
        {"region": "331126", "note": "试点"}]
    page = editor.get(f"/editor/cases/{SLUG}/edit").get_data(as_text=True)
    assert "龙泉市｜溪头村｜2020｜全村推行｜县里的通报\n庆元县｜｜｜试点</textarea>" in page
    # Saving the form unchanged keeps every entry, and the revision holds them.
    assert editor.post(f"/editor/cases/{SLUG}/edit", edit_data(editor, SLUG, comment="再存一次")).status_code == 302
    assert snapshot_of(app, SLUG)["adopted_in"] == snap["adopted_in"]
    with app.app_context():
        latest = db.session.scalar(db.select(Revision).order_by(Revision.id.desc()).limit(1))
        assert latest.snapshot["learned_from"][2] == {"place": "诸暨市枫桥镇", "year": 1963}


def test_bad_lines_are_refused_by_line_and_nothing_is_saved(app, staff):
    editor = staff("wang")
    response = editor.post("/editor/cases/new", case_data(
        learned_from="no-such-case", adopted_in="龙泉市\n火星县｜某村\n龙泉市｜｜20２0年"), token_url="/editor/cases/new")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "第 1 行：没有网址名为“no-such-case”的案例" in page
    assert "第 2 行：没有名为“火星县”的地区" in page
    assert "第 3 行：年份“20２0年”应为四位数字" in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Case.id))) == 0


def test_a_case_cannot_learn_from_itself(app, staff):
    editor = staff("wang")
    editor.post("/editor/cases/new", case_data(), token_url="/editor/cases/new")
    response = editor.post(f"/editor/cases/{SLUG}/edit", edit_data(editor, SLUG, learned_from=SLUG))
    assert response.status_code == 400
    assert "第 1 行：案例不能借鉴自己" in response.get_data(as_text=True)
