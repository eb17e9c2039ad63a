"""Helpers for browser tests: signing in through the real login form."""

from __future__ import annotations


def log_in(page, username: str, password: str) -> None:
    """Sign `page`'s browser context in as `username` and wait until the login page is left."""
    page.goto("/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login" not in url)
