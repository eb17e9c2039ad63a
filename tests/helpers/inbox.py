"""Helpers for the inbox tests: what a user's inbox holds, a case moved through review."""

from __future__ import annotations

import re

from portal.extensions import db
from portal.inbox.models import Notice
from tests.helpers.editor import Staff, case_data

SLUG = "qingtian-wangge"
TITLE = "青田县网格治理服务华侨"


def notices(app, username: str) -> list[Notice]:
    """The user's notices, newest first (detached, attributes loaded)."""
    from portal.auth.models import User

    with app.app_context():
        user_id = db.session.scalar(db.select(User.id).where(User.username == username))
        rows = db.session.scalars(db.select(Notice).where(Notice.user_id == user_id)
                                  .order_by(Notice.id.desc())).all()
        db.session.expunge_all()
        return list(rows)


def titles(app, username: str) -> list[str]:
    return [notice.title for notice in notices(app, username)]


def header_count(staff: Staff) -> int:
    """The unread count the header shows on the home page (0 when there is no badge)."""
    html = staff.get("/").get_data(as_text=True)
    assert 'class="nav-inbox"' in html, "the header has no 消息 link"
    match = re.search(r'<span class="nav-count"[^>]*>(\d+)</span>', html)
    return int(match.group(1)) if match else 0


def write_and_submit(author: Staff, **overrides) -> None:
    """The author saves a new draft and sends it for review."""
    assert author.post("/editor/cases/new", case_data(**overrides)).status_code == 302
    slug = overrides.get("slug", SLUG)
    assert author.post(f"/editor/cases/{slug}/submit", {"comment": "请审核"}).status_code == 302
