"""Publish cases over HTTP the way people do: an editor writes and submits, a reviewer publishes."""

from __future__ import annotations

import requests

from tests.helpers import DEFAULT_PASSWORD, extract_csrf_token

Outcome = str  # "published", "refused <status>", or "no answer" (the worker died mid-request)


class Browser:
    """One logged-in person: a requests session plus its CSRF token."""

    def __init__(self, base_url: str, username: str):
        self.base_url = base_url
        self.session = requests.Session()
        self.username = username
        self.token = ""

    def login(self) -> Browser:
        self.token = extract_csrf_token(self.session.get(self.base_url + "/login", timeout=30).text)
        response = self.post("/login", {"username": self.username, "password": DEFAULT_PASSWORD})
        assert response.status_code == 302, f"{self.username} could not log in: {response.status_code}"
        # The session (and with it the CSRF secret) changes at login; take a fresh token.
        self.token = extract_csrf_token(self.session.get(self.base_url + "/editor/cases/new", timeout=30).text)
        return self

    def post(self, path: str, data: dict) -> requests.Response:
        return self.session.post(self.base_url + path, data={"csrf_token": self.token, **data},
                                 allow_redirects=False, timeout=30)


def case_form(slug: str, title: str, body: str) -> dict:
    return {"title": title, "slug": slug, "summary": f"{title}的摘要。", "area": "zeren", "region": "331124",
            "level": "县级", "tags": "责任交接", "body": body, "comment": "新建", "save": "保存"}


def publish_through_the_site(editor: Browser, reviewer: Browser, slug: str, title: str, body: str) -> Outcome:
    """Create the draft, submit it, publish it; report how far it got."""
    steps = [(editor, "/editor/cases/new", case_form(slug, title, body)),
             (editor, f"/editor/cases/{slug}/submit", {}),
             (reviewer, f"/editor/cases/{slug}/publish", {})]
    for person, path, data in steps:
        try:
            response = person.post(path, data)
        except requests.ConnectionError:
            return "no answer"
        if response.status_code != 302:
            return f"refused {response.status_code} at {path}"
    return "published"
