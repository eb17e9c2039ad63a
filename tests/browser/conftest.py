"""Browser-test fixtures: one live portal (real content, real search index) and one Chromium per session."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from werkzeug.serving import make_server

from portal import create_app
from portal.config import PROJECT_ROOT
from portal.extensions import db
from tests.helpers.browser import (
    AXE_SCRIPT,
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    SCREENSHOT_DIR,
    STAFF_PASSWORD,
    STAFF_USER,
    TIMEOUT_MS,
    describe_violations,
    new_page,
    run_cli,
)


def pytest_collection_modifyitems(items) -> None:
    """Refuse a test in tests/browser/ that forgot its browser marker (`-m "not browser"` must skip it)."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents and item.get_closest_marker("browser") is None:
            raise pytest.UsageError(f"{item.nodeid} lives in tests/browser/ but is not marked @pytest.mark.browser")


@pytest.fixture(scope="session")
def live_app(tmp_path_factory) -> Flask:
    """The real app on a migrated SQLite file holding content/ and a fresh search index."""
    instance = tmp_path_factory.mktemp("browser-instance")
    app = create_app({"ENV_NAME": "testing", "INSTANCE_DIR": str(instance),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'portal.sqlite3'}"})
    with app.app_context():
        upgrade()
    run_cli(app, "content", "import")
    run_cli(app, "search", "reindex")
    return app


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    """Serve the app from a background thread on a free local port; yield its base URL."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-portal", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    with live_app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser(live_server: str):
    """Debian's Chromium, headless, driven by Playwright; never a downloaded browser.

    Depends on the live server so the app (whose reindex forks worker processes) is built before
    Playwright starts its driver thread.
    """
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's chromium package. "
                    "Install it with `make debian-test` (or run `make test`, which does).", pytrace=False)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server: str):
    """A fresh browser tab (own cookies) on the live portal; the portal's CSP stays enforced."""
    context, page = new_page(browser, live_server)
    yield page
    violations = page.csp_violations
    context.close()
    if violations:
        pytest.fail("the page broke its own Content-Security-Policy:\n" + "\n".join(violations), pytrace=False)


@pytest.fixture(scope="session")
def audit_context(browser, live_server: str):
    """A context that lets axe-core be injected despite the CSP (script-src 'self' forbids inline code)."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT.relative_to(PROJECT_ROOT)} is missing: install axe-core with "
                    "`make npm-test` (or run `make test`, which does).", pytrace=False)
    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport=DESKTOP, bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture(scope="session")
def axe_violations() -> Callable[..., list[dict]]:
    """Inject axe-core into a page of the audit context and return its violations of the given impacts."""

    def run(page, impacts=("serious", "critical")) -> list[dict]:
        page.add_script_tag(path=str(AXE_SCRIPT))
        results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        return [violation for violation in results["violations"] if violation["impact"] in impacts]

    return run


@pytest.fixture(scope="session")
def assert_accessible(axe_violations) -> Callable[..., None]:
    """Fail with a readable list when axe-core finds a serious or critical violation on the page."""

    def check(page) -> None:
        violations = axe_violations(page)
        if violations:
            pytest.fail(f"axe-core found on {page.url}:\n{describe_violations(violations)}", pytrace=False)

    return check


@pytest.fixture(scope="session")
def staff_audit_context(browser, live_app: Flask, live_server: str):
    """An audit context logged in (through the real login form) as an administrator, who may use every page."""
    run_cli(live_app, "users", "create", STAFF_USER, "--role", "admin", "--display-name", "审计管理员",
            "--password-stdin", stdin=STAFF_PASSWORD + "\n")
    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport=DESKTOP, bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("用户名").fill(STAFF_USER)
    page.get_by_label("密码").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login" not in url)
    page.close()
    yield context
    context.close()


@pytest.fixture(scope="session")
def screenshot() -> Callable[..., Path]:
    """Save a full-page screenshot under test-output/screenshots/ for a person to look at."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def take(page, name: str, *, full_page: bool = True) -> Path:
        path = SCREENSHOT_DIR / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.fixture(scope="session")
def site(live_app: Flask) -> dict:
    """Real rows to visit: the longest published case and the first published collection with its cases."""
    from sqlalchemy import func, select

    from portal.cases.models import Case
    from portal.collections.models import Collection

    with live_app.app_context():
        case = db.session.scalars(select(Case).where(Case.status == "published")
                                  .order_by(func.length(Case.body_md).desc())).first()
        collection = db.session.scalars(select(Collection).where(Collection.published.is_(True))
                                        .order_by(Collection.featured.desc(), Collection.slug)).first()
        assert case is not None, "content/ holds no published case"
        assert collection is not None, "content/collections/ holds no published collection"
        return {"case_slug": case.slug, "case_title": case.title, "area_slug": case.area.slug,
                "collection_slug": collection.slug, "collection_title": collection.title,
                "collection_id": str(collection.id),
                "collection_case_titles": [item.case.title for item in collection.items
                                           if item.case.status == "published"]}
