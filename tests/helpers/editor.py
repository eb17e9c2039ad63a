"""Helpers for the editor tests: logged-in staff clients and the case form as a browser posts it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal.cases.lineage_lines import adoption_text, learned_text
from portal.cases.models import Case
from portal.editor.working_copy import editing_snapshot
from portal.extensions import db
from tests.helpers import csrf_token

BODY = "## 背景\n\n青田县推行网格治理，网格员走访华人华侨家庭。\n\n## 做法\n\n建立网格党支部。\n"


@dataclass
class Staff:
    """A logged-in test client for one account."""

    client: object
    username: str
    user_id: int

    def token(self, url: str = "/editor/") -> str:
        return csrf_token(self.client, url)

    def post(self, url: str, data: dict | None = None, *, token_url: str = "/editor/", **kwargs):
        """POST with a valid CSRF token taken from a page this user can open."""
        return self.client.post(url, data={"csrf_token": self.token(token_url), **(data or {})}, **kwargs)

    def get(self, url: str, **kwargs):
        return self.client.get(url, **kwargs)


def case_data(**overrides) -> dict:
    """A complete, valid case form submission (the 保存 button)."""
    data = {"title": "青田县网格治理服务华侨", "slug": "qingtian-wangge", "summary": "网格员上门服务华侨家庭。",
            "area": "fuwu", "region": "331121", "place": "", "level": "县级", "tags": "网格治理、服务群众",
            "year": "", "source": "丽水市汇报材料", "body": BODY, "comment": "初稿", "save": "保存"}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def edit_data(editor: Staff, slug: str, **overrides) -> dict:
    """The edit form as loaded by `editor` now (with its base version), changed by `overrides`."""
    page = editor.get(f"/editor/cases/{slug}/edit").get_data(as_text=True)
    version = re.search(r'name="base_version"[^>]*value="(\d+)"', page)
    assert version, "the edit form carries no base_version"
    working = re.search(r'name="working_revision"[^>]*value="(\d*)"', page)
    with editor.client.application.app_context():
        case = db.session.scalar(db.select(Case).where(Case.slug == slug))
        snap = editing_snapshot(case)
        lineage = {"learned_from": learned_text(snap["learned_from"]), "adopted_in": adoption_text(snap["adopted_in"])}
    data = {"title": snap["title"], "summary": snap["summary"], "area": snap["area"],
            "secondary_areas": snap["secondary_areas"], "region": snap["region"], "place": snap["place"] or "",
            "level": snap["level"], "tags": "、".join(snap["tags"]), "year": snap["year"] or "",
            "source": snap["source"] or "", "body": snap["body"], "comment": "", "save": "保存", "slug": slug, **lineage}
    data.pop("slug")
    data["base_version"] = version.group(1)
    data["working_revision"] = working.group(1) if working else ""
    data.update(overrides)
    return data


def preview_box(html: str) -> str:
    """The rendered preview's HTML on a writing page."""
    match = re.search(r'<div class="prose preview-box" data-preview[^>]*>(.*?)</div>\s*</section>', html, re.S)
    assert match, "the page has no preview box"
    return match.group(1)


def staff_factory(app, make_user):
    """Return a function logging a new account of a role in on its own client (the `staff` fixture)."""
    from tests.helpers import login

    def create(username: str, role: str = "editor", display_name: str = "") -> Staff:
        user = make_user(username, role, display_name=display_name or username)
        client = app.test_client()
        login(client, username)
        return Staff(client, username, user.id)

    return create
