"""Failed-login throttling per account and per address, kept in the login_attempts table.

Each account has a low limit (LOGIN_MAX_FAILURES); each address a much higher ceiling
(LOGIN_MAX_FAILURES_PER_ADDRESS), so one person mistyping behind an office's shared address locks
out only their own account. Checks for one account run one at a time (`gate`), so thirty
parallel guesses get exactly LOGIN_MAX_FAILURES password checks, not a few more.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.auth.models import LoginAttempt, LoginGate
from portal.extensions import db
from portal.timeutil import as_utc, utcnow


@dataclass(frozen=True)
class Block:
    """A refusal to check credentials until `until`."""

    until: datetime

    @property
    def minutes_left(self) -> int:
        return max(1, math.ceil((self.until - utcnow()).total_seconds() / 60))

    @property
    def message(self) -> str:
        return f"尝试次数过多，请 {self.minutes_left} 分钟后再试。"


def normalize_username(username: str) -> str:
    """Return the key throttling uses for a typed username."""
    return (username or "").strip().lower()[:64]


def gate(username: str) -> None:
    """Hold the account's gate row locked until the caller commits: checks for one account queue up.

    An UPDATE takes a row lock on PostgreSQL and the write lock on SQLite, both held to the end of
    the transaction, so the next attempt counts failures only after this one has recorded its own.
    """
    db.session.commit()  # start from a fresh transaction: its first statement takes the lock
    key = f"user:{normalize_username(username)}"
    insert = postgresql_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(insert(LoginGate).values(key=key, touched_at=utcnow()).on_conflict_do_nothing())
    db.session.execute(update(LoginGate).where(LoginGate.key == key).values(touched_at=utcnow()))


def current_block(username: str, address: str) -> Block | None:
    """Return a Block if either the account or the address has too many recent failures."""
    config = current_app.config
    window_start = utcnow() - _window()
    since_success = _last_success(username, window_start) or window_start
    blocks = [_block_for(LoginAttempt.username == normalize_username(username), since_success,
                         config["LOGIN_MAX_FAILURES"]),
              _block_for(LoginAttempt.address == address[:64], window_start,
                         config["LOGIN_MAX_FAILURES_PER_ADDRESS"])]
    blocks = [block for block in blocks if block is not None]
    return max(blocks, key=lambda block: block.until) if blocks else None


# Attempts are kept this long for anyone looking into an incident, then pruned.
KEEP_ATTEMPTS = timedelta(days=30)


def record_attempt(username: str, address: str, succeeded: bool) -> None:
    """Log one login try and prune old ones (committed by the caller)."""
    db.session.add(LoginAttempt(username=normalize_username(username), address=address[:64],
                                succeeded=succeeded))
    oldest_kept = utcnow() - max(KEEP_ATTEMPTS, _window())
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.created_at < oldest_kept))


def _window() -> timedelta:
    return timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"])


def _last_success(username: str, window_start: datetime) -> datetime | None:
    # A correct password resets the account's count, but never the address's.
    return as_utc(db.session.scalar(
        select(func.max(LoginAttempt.created_at)).where(
            LoginAttempt.username == normalize_username(username), LoginAttempt.succeeded.is_(True),
            LoginAttempt.created_at >= window_start)))


def _block_for(condition, since: datetime, limit: int) -> Block | None:
    failures = select(LoginAttempt.created_at).where(
        condition, LoginAttempt.succeeded.is_(False), LoginAttempt.created_at >= since)
    recent = db.session.scalars(failures.order_by(LoginAttempt.created_at.desc()).limit(limit)).all()
    if len(recent) < limit:
        return None
    # Blocked until the oldest of the last `limit` failures leaves the window.
    return Block(until=as_utc(recent[-1]) + _window())
