"""Helpers for tests that log in or post forms while CSRF protection is on (as in production).

Usage, together with the `make_user` fixture from tests/conftest.py:

    def test_something(client, make_user):
        make_user("alice", "editor")                       # password "correct horse battery"
        login(client, "alice")                             # fetches /login, posts with its csrf_token
        token = csrf_token(client, "/editor/cases/new")    # token from any page that shows a form
        client.post("/editor/cases/new", data={"csrf_token": token, ...})

Always log in through `login()`; the session id includes a fingerprint of the password hash, so
writing `_user_id` into the session by hand will not authenticate.
"""

from __future__ import annotations

import re

DEFAULT_PASSWORD = "correct horse battery"
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def extract_csrf_token(html: str) -> str:
    """Return the first csrf_token hidden field's value in `html`; fail loudly if there is none."""
    match = _TOKEN.search(html)
    assert match, "the page has no csrf_token field"
    return match.group(1) or match.group(2)


def csrf_token(client, url: str = "/login") -> str:
    """GET `url` with `client` and return the CSRF token of the first form on it."""
    response = client.get(url)
    assert response.status_code == 200, f"GET {url} answered {response.status_code}"
    return extract_csrf_token(response.get_data(as_text=True))


def login(client, username: str, password: str = DEFAULT_PASSWORD, *, check: bool = True):
    """Log `client` in through the real /login form; with `check`, assert that it worked."""
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": token})
    if check:
        assert response.status_code == 302, f"login as {username} failed ({response.status_code})"
    return response


def logout(client):
    """Log `client` out through the POST /logout form."""
    return client.post("/logout", data={"csrf_token": csrf_token(client, "/")})


def post_form(client, url: str, data: dict | None = None, *, form_url: str | None = None, **kwargs):
    """POST `data` to `url` with a fresh CSRF token taken from `form_url` (default: `url` itself)."""
    payload = dict(data or {})
    payload["csrf_token"] = csrf_token(client, form_url or url)
    return client.post(url, data=payload, **kwargs)
