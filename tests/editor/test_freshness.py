"""Freshness: 最近核实 on the case page, the 待复核 list, marking a case re-checked, `portal cases stale`."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.audit.models import AuditEntry
from portal.cases.freshness import add_months, review_due
from portal.cases.models import Case, Revision
from portal.content.export import case_file_text
from portal.content.pipeline import import_content_dir
from portal.extensions import db
from portal.timeutil import china_today, utcnow
from tests.factories import make_case
from tests.helpers.content import taxonomy_only


@pytest.fixture
def aged(app, taxonomy):
    """Two cases published 13 months ago (overdue), one last month, and an old draft."""
    with app.app_context():
        for slug, days in (("old-one", 400), ("old-two", 395), ("recent", 30)):
            make_case(f"案例 {slug}", slug=slug).published_at = utcnow() - timedelta(days=days)
        make_case("草稿", slug="old-draft", status="draft")
        db.session.commit()


def stale(runner) -> tuple[int, str]:
    result = runner.invoke(args=["cases", "stale"])
    return result.exit_code, result.output


def case(slug: str) -> Case:
    return db.session.scalar(db.select(Case).where(Case.slug == slug))


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(date(2024, 5, 15), 12) == date(2025, 5, 15)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)


def test_due_is_twelve_months_after_publishing_or_the_setting(app, aged):
    with app.app_context():
        recent = case("recent")
        published = recent.published_at
        assert review_due(recent) == add_months(china_today() - timedelta(days=30), 12)
        app.config["REVIEW_INTERVAL_MONTHS"] = 1
        assert review_due(recent) <= china_today()
        assert published == recent.published_at


def test_stale_list_shrinks_as_cases_are_checked(app, runner, staff, aged):
    code, output = stale(runner)
    assert code == 1
    assert "old-one" in output and "old-two" in output and "recent" not in output and "old-draft" not in output
    assert output.index("old-one") < output.index("old-two")  # longest overdue first
    assert "共 2 个案例已过复核期限" in output

    editor = staff("wang")
    page = editor.get("/editor/review-due").get_data(as_text=True)
    assert "案例 old-one" in page and "已过期" in page and "案例 recent" not in page
    response = editor.post("/editor/cases/old-one/checked", {"note": "已与县里电话核对"}, token_url="/editor/review-due")
    assert response.status_code == 302
    code, output = stale(runner)
    assert code == 1 and "old-one" not in output and "old-two" in output

    editor.post("/editor/cases/old-two/checked", {"note": ""}, token_url="/editor/review-due")
    code, output = stale(runner)
    assert code == 0 and "没有过期的案例" in output
    assert 'href="/cases/old-two"' not in editor.get("/editor/review-due").get_data(as_text=True)


def test_marking_checked_records_a_revision_note_and_an_audit_entry(app, client, staff, aged):
    editor = staff("wang")
    next_check = (china_today() + timedelta(days=90)).isoformat()
    editor.post("/editor/cases/old-one/checked", {"note": "做法仍在运行", "review_by": next_check},
                token_url="/editor/review-due")
    with app.app_context():
        checked = case("old-one")
        assert checked.checked_on == china_today() and checked.review_by.isoformat() == next_check
        revision = db.session.scalar(db.select(Revision).where(Revision.case_id == checked.id))
        assert revision.comment == "核实：做法仍在运行"
        assert revision.snapshot["checked_on"] == china_today().isoformat()
        entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "case.checked"))
        assert entry.target == "old-one" and entry.detail["note"] == "做法仍在运行"
    page = client.get("/cases/old-one").get_data(as_text=True)
    today = china_today()
    assert f'<dt>最近核实</dt>\n        <dd><time datetime="{today.isoformat()}">{today.year}年{today.month}月{today.day}日</time>' in page


def test_case_page_shows_the_publishing_day_until_a_check(client, aged):
    page = client.get("/cases/recent").get_data(as_text=True)
    assert f'<time datetime="{(china_today() - timedelta(days=30)).isoformat()}">' in page


def test_drafts_cannot_be_marked_and_readers_cannot_mark(app, client, staff, aged):
    editor = staff("wang")
    assert editor.post("/editor/cases/old-draft/checked", {}, token_url="/editor/review-due").status_code == 409
    assert client.post("/editor/cases/old-one/checked").status_code in (302, 400, 401, 403)
    past = (china_today() - timedelta(days=1)).isoformat()
    response = editor.post("/editor/cases/old-one/checked", {"review_by": past}, token_url="/editor/review-due")
    assert response.status_code == 400 and "下次复核期限应晚于今天" in response.get_data(as_text=True)
    with app.app_context():
        assert case("old-one").checked_on is None


def test_check_dates_round_trip_through_files(app, tmp_path):
    root = taxonomy_only(tmp_path)
    front = "title: 核实过\narea: 区域统筹\nregion: 莲都区\nchecked_on: 2025-03-01\nreview_by: 2026-01-15\n"
    (root / "cases" / "checked.md").write_text(f"---\n{front}---\n\n正文。\n", encoding="utf-8")
    (root / "cases" / "bad.md").write_text("---\ntitle: 坏日期\narea: 区域统筹\nregion: 莲都区\n"
                                           "checked_on: 上个月\n---\n\n正文。\n", encoding="utf-8")
    with app.app_context():
        report = import_content_dir(root, progress=False)
        assert [str(problem).split("/")[-1] for problem in report.problems] == [
            "bad.md:5: 字段 'checked_on' 应为日期，写法如 2024-05-01"]
        (root / "cases" / "bad.md").unlink()
        assert import_content_dir(root, progress=False).ok
        assert "checked_on: 2025-03-01\nreview_by: 2026-01-15\n" in case_file_text(case("checked"))
        assert review_due(case("checked")) == date(2026, 1, 15)


def test_followers_hear_that_a_case_was_checked(app, staff, aged):
    from portal.inbox.models import Notice

    follower, checker = staff("zhao"), staff("wang")
    assert follower.post("/inbox/follow/old-one", token_url="/editor/cases/old-one/edit").status_code == 302
    checker.post("/editor/cases/old-one/checked", {"note": "做法仍在运行"}, token_url="/editor/review-due")
    with app.app_context():
        notice = db.session.scalar(db.select(Notice).where(Notice.user_id == follower.user_id))
        assert notice is not None and "案例 old-one" in notice.title and notice.detail == "核实：做法仍在运行"
