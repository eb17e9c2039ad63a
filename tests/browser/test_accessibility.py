"""axe-core audit of the main pages (no serious or critical violations), with a screenshot of each."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# (screenshot name, how to build the path from the `site` fixture)
MAIN_PAGES = [
    ("home", lambda site: "/"),
    ("case-list", lambda site: "/cases"),
    ("case-page", lambda site: f"/cases/{site['case_slug']}"),
    ("matrix", lambda site: "/matrix"),
    ("search-results", lambda site: "/search?q=%E7%BD%91%E6%A0%BC%E5%91%98%E5%8C%96%E8%A7%A3%E7%BA%A0%E7%BA%B7"),
    ("collection-list", lambda site: "/collections"),
    ("collection", lambda site: f"/collections/{site['collection_slug']}"),
    ("training-title", lambda site: f"/collections/{site['collection_slug']}/present"),
    ("training-case", lambda site: f"/collections/{site['collection_slug']}/present/1"),
    ("training-discussion", lambda site: f"/collections/{site['collection_slug']}/present/5"),
    ("login", lambda site: "/login"),
    ("area-page", lambda site: f"/areas/{site['area_slug']}"),
    ("updates", lambda site: "/updates"),
    ("not-found", lambda site: "/cases/no-such-case"),
    ("adoption", lambda site: "/adoption"),
    ("matrix-adoptions", lambda site: "/matrix?count=adoptions"),
    ("case-with-lineage", lambda site: "/cases/minqing-ditu-wangge-qunzhong"),
]
# Pages that must answer something other than 200.
STATUS = {"not-found": 404}


# Pages only staff see, audited while logged in as an administrator.
STAFF_PAGES = [
    ("editor-dashboard", lambda site: "/editor/"),
    ("editor-case-list", lambda site: "/editor/cases"),
    ("editor-new-case", lambda site: "/editor/cases/new"),
    ("editor-edit-case", lambda site: f"/editor/cases/{site['case_slug']}/edit"),
    ("editor-case-history", lambda site: f"/editor/cases/{site['case_slug']}/history"),
    ("editor-collections", lambda site: "/editor/collections"),
    ("editor-new-collection", lambda site: "/editor/collections/new"),
    ("presenter-view", lambda site: f"/collections/{site['collection_slug']}/present/1/presenter"),
    ("editor-collection", lambda site: f"/editor/collections/{site['collection_id']}"),
    ("editor-synonyms", lambda site: "/editor/synonyms"),
    ("editor-search-misses", lambda site: "/editor/search-misses"),
    ("editor-review-due", lambda site: "/editor/review-due"),
    ("admin-users", lambda site: "/admin/users"),
    ("change-password", lambda site: "/account/password"),
    ("inbox", lambda site: "/inbox/"),
    ("inbox-settings", lambda site: "/inbox/settings"),
    ("inbox-following", lambda site: "/inbox/following"),
]


@pytest.fixture
def audit_page(audit_context):
    page = audit_context.new_page()
    yield page
    page.close()


@pytest.mark.parametrize(("name", "path_of"), MAIN_PAGES, ids=[name for name, _ in MAIN_PAGES])
def test_main_page_has_no_serious_accessibility_violations(audit_page, site, assert_accessible, screenshot,
                                                          name, path_of):
    response = audit_page.goto(path_of(site))
    assert response.status == STATUS.get(name, 200), f"{path_of(site)} answered {response.status}"
    screenshot(audit_page, name)
    assert_accessible(audit_page)


def test_the_audit_itself_catches_what_it_is_meant_to(audit_page, axe_violations):
    audit_page.set_content(
        '<html lang="zh-CN"><head><title>反例</title></head><body><main>'
        '<p style="color:#bbb;background:#fff">浅灰色的正文</p><input type="text">'
        '<img src="/static/missing.png"></main></body></html>')
    found = {violation["id"] for violation in axe_violations(audit_page)}
    assert {"color-contrast", "label", "image-alt"} <= found


@pytest.mark.parametrize(("name", "path_of"), STAFF_PAGES, ids=[name for name, _ in STAFF_PAGES])
def test_staff_page_has_no_serious_accessibility_violations(staff_audit_context, site, assert_accessible,
                                                           screenshot, name, path_of):
    page = staff_audit_context.new_page()
    response = page.goto(path_of(site))
    assert response.status == 200, f"{path_of(site)} answered {response.status}"
    screenshot(page, name)
    assert_accessible(page)
    page.close()


def test_answering_a_missed_search_passes_axe(staff_audit_context, audit_page, assert_accessible, screenshot):
    audit_page.goto("/search?q=%E9%87%8F%E5%AD%90%E7%BA%A0%E7%BC%A0")  # 量子纠缠: recorded as a miss
    page = staff_audit_context.new_page()
    response = page.goto("/editor/search-misses/answer?q=%E9%87%8F%E5%AD%90%E7%BA%A0%E7%BC%A0")
    assert response.status == 200, response.status
    screenshot(page, "editor-search-miss-answer")
    assert_accessible(page)
    page.close()
