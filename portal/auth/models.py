"""Accounts, roles and the login-attempt log used for throttling."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.timeutil import utcnow

# The one list of staff roles, lowest first: each role can do everything the roles before it can.
# Trainers build their own collections and read teaching notes; editors and above also write cases.
ROLE_LABELS = {"trainer": "培训师", "editor": "编辑", "reviewer": "审核人", "admin": "管理员"}
ROLES = tuple(ROLE_LABELS)
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}


class User(UserMixin, db.Model):
    """A staff account (trainers included); readers and trainees never need one."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(f"role IN {ROLES!r}", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="editor")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive (disabled) accounts
        return self.active

    @property
    def shown_name(self) -> str:
        return self.display_name or self.username

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def session_token(self) -> str:
        """Return a short fingerprint of the password hash; a new password ends every other session."""
        return hashlib.sha256((self.password_hash or "").encode()).hexdigest()[:16]

    def get_id(self) -> str:
        """Return the id Flask-Login keeps in the session: the user id plus the session token."""
        return f"{self.id}:{self.session_token}"

    def matches_session_token(self, token: str) -> bool:
        return hmac.compare_digest(self.session_token, token)

    def has_role(self, role: str) -> bool:
        """Return True if this user's role is at least `role`."""
        return ROLE_RANK.get(self.role, -1) >= ROLE_RANK[role]

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class LoginAttempt(db.Model):
    """One login try, kept so throttling works across processes and servers."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
