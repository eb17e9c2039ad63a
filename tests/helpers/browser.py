"""Helpers for browser tests: Chromium settings, a page that notes CSP violations, the CLI, axe reports,
and signing in through the real login form."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from portal.config import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE_SCRIPT = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT_DIR = PROJECT_ROOT / "test-output" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
# Generous for a 2-core machine shared by many processes; a healthy page answers in well under a second.
TIMEOUT_MS = 15_000
STAFF_USER, STAFF_PASSWORD = "audit-admin", "browser-audit-passphrase-2026"


def run_cli(app: Flask, *args: str, stdin: str | None = None) -> str:
    """Run a `portal` CLI command against the app; fail the session with its output if it fails."""
    result = app.test_cli_runner().invoke(args=list(args), input=stdin)
    if result.exit_code != 0:
        detail = result.output + (repr(result.exception) if result.exception else "")
        pytest.fail(f"`portal {' '.join(args)}` failed (exit {result.exit_code}):\n{detail}", pytrace=False)
    return result.output


def new_page(browser, live_server: str, **options):
    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport=DESKTOP, **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.csp_violations = []
    page.on("console", lambda message: note_csp_violation(page, message))
    return context, page


def reader_main_text(browser, live_server: str, path: str) -> str:
    """The text of `path`'s <main> as an anonymous reader sees it, in a fresh browser context."""
    context, page = new_page(browser, live_server)
    page.goto(path)
    text = page.locator("main").inner_text()
    context.close()
    return text


def note_csp_violation(page, message) -> None:
    if message.type == "error" and "Content Security Policy" in message.text:
        page.csp_violations.append(message.text)


def describe_violations(violations: list[dict]) -> str:
    """Format axe violations as one readable block: rule, impact, help, and the offending elements."""
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:8]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node.get('failureSummary', '').strip()}")
    return "\n".join(lines)


def log_in(page, username: str, password: str) -> None:
    """Sign `page`'s browser context in as `username` and wait until the login page is left."""
    page.goto("/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login" not in url)
