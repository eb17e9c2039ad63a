"""Putting notices into inboxes: one per user and case per transaction, mail queued if wanted."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from flask import current_app, has_request_context, url_for
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.auth.models import User
from portal.cases.models import Case
from portal.editor.models import ReviewEvent
from portal.extensions import db
from portal.inbox import mail
from portal.inbox.models import CaseFollow, MailPreference, Notice
from portal.timeutil import utcnow

# session.info key: the notices this transaction added, by (user id, case id), merged rather than doubled.
DELIVERED_KEY = "inbox_delivered"


def listen() -> None:
    """Forget the transaction's notices when it ends (once per process)."""
    if not event.contains(Session, "after_commit", forget_delivered):
        event.listen(Session, "after_commit", forget_delivered)
        event.listen(Session, "after_rollback", forget_delivered)


def forget_delivered(session: Session) -> None:
    session.info.pop(DELIVERED_KEY, None)


def deliver(recipients: Iterable[User | int | None], kind: str, title: str, *, actor: User | None = None,
            case: Case | None = None, detail: str = "", link: str = "") -> list[Notice]:
    """Add a notice for each recipient except the actor (no commit); a user hears once per case per transaction."""
    actor_id = actor.id if actor is not None else None
    user_ids = {getattr(r, "id", r) for r in recipients} - {None, actor_id}
    notices = [_notice(user_id, kind, title, actor_id, case, detail, link) for user_id in sorted(user_ids)]
    mail.queue(db.session, [n for n in notices if n.mail_state == "pending"])
    return notices


def _notice(user_id: int, kind: str, title: str, actor_id: int | None, case: Case | None,
            detail: str, link: str) -> Notice:
    delivered = db.session.info.setdefault(DELIVERED_KEY, {})
    key = (user_id, case.id if case is not None else None)
    earlier = delivered.get(key) if case is not None else None
    if earlier is not None:
        merge(earlier, kind, title, detail)
        return earlier
    notice = Notice(user_id=user_id, kind=kind, title=title[:300], detail=detail, link=link[:300],
                    case_id=case.id if case is not None else None, actor_id=actor_id,
                    mail_state="pending" if wants_mail(user_id) else "")
    db.session.add(notice)
    delivered[key] = notice
    return notice


def merge(earlier: Notice, kind: str, title: str, detail: str) -> None:
    """Fold a second notice about the same case in one transaction into the first.

    Saved and submitted in one go: the title names the last step. But a notice addressed to the user
    (returned, published, mentioned) keeps its own wording over a follower's general one.
    """
    if kind != "followed" or earlier.kind == "followed":
        earlier.kind, earlier.title = kind, title[:300]
    if detail and detail not in earlier.detail:
        earlier.detail = "\n".join(part for part in (earlier.detail, detail) if part)


def wants_mail(user_id: int) -> bool:
    """True if the site sends mail and this user asked for notices by e-mail."""
    if not mail.configured():
        return False
    preference = db.session.get(MailPreference, user_id)
    return bool(preference and preference.enabled and preference.address)


def people_behind(case: Case) -> set[int]:
    """Ids of the case's author and whoever last sent it for review: the ones a review outcome concerns."""
    submitter = db.session.scalar(db.select(ReviewEvent.actor_id).where(
        ReviewEvent.case_id == case.id, ReviewEvent.action == "submit")
        .order_by(ReviewEvent.created_at.desc(), ReviewEvent.id.desc()).limit(1))
    return {user_id for user_id in (case.author_id, submitter) if user_id is not None}


def followers(case: Case) -> set[int]:
    """Ids of the active users following the case."""
    return set(db.session.scalars(db.select(CaseFollow.user_id).join(User, User.id == CaseFollow.user_id)
                                  .where(CaseFollow.case_id == case.id, User.active.is_(True))))


def case_link(case: Case, endpoint: str = "editor.edit_case", anchor: str = "") -> str:
    """The staff page a notice about `case` opens (its edit page by default), as a path."""
    return path_for(endpoint, slug=case.slug) + (f"#{anchor}" if anchor else "")


def path_for(endpoint: str, **values) -> str:
    """url_for as a path, also outside a request (a command-line run sends signals too)."""
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("localhost").build(endpoint, values)


def prune_read(days: int) -> int:
    """Delete read notices older than `days` days; return how many (unread ones are kept)."""
    cutoff = utcnow() - timedelta(days=days)
    removed = db.session.execute(db.delete(Notice).where(Notice.read_at.is_not(None), Notice.created_at < cutoff))
    db.session.commit()
    return removed.rowcount
