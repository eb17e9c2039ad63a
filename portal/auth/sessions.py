"""Server-side staff sessions: the cookie names a row, and ending the session deletes the row."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from portal.auth.models import StaffSession, User
from portal.extensions import db
from portal.timeutil import as_utc, utcnow


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def lifetime() -> timedelta:
    """How long a sign-in lasts at most, however active the user is (setting STAFF_SESSION_HOURS)."""
    return timedelta(hours=current_app.config["STAFF_SESSION_HOURS"])


def begin(user: User) -> None:
    """Open a new session for `user` (committed) and remember its secret for Flask-Login's cookie."""
    now = utcnow()
    db.session.execute(delete(StaffSession).where(StaffSession.expires_at < now))
    key = secrets.token_urlsafe(32)
    db.session.add(StaffSession(user_id=user.id, key_hash=_hash(key), created_at=now, expires_at=now + lifetime()))
    db.session.commit()
    user.session_key = key


def resume(session_id: str) -> User | None:
    """Return the user of a live session named "<user id>:<secret>", or None."""
    user_id, _, key = (session_id or "").partition(":")
    if not user_id.isdigit() or not key:
        return None
    row = db.session.scalar(select(StaffSession).where(StaffSession.key_hash == _hash(key)))
    if row is None or str(row.user_id) != user_id or as_utc(row.expires_at) <= utcnow():
        return None
    user = db.session.get(User, row.user_id)
    if user is not None:
        user.session_key = key
    return user


def end(user: User) -> None:
    """End the session `user` is signed in with now (committed)."""
    if user.session_key:
        db.session.execute(delete(StaffSession).where(StaffSession.key_hash == _hash(user.session_key)))
        db.session.commit()


def end_all(user: User) -> None:
    """End every session of `user`, e.g. after a new password (the caller commits)."""
    db.session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))

