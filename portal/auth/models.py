"""Accounts, roles and the login-attempt log used for throttling."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.timeutil import utcnow

# The one list of roles, lowest first: each role can do everything the roles before it can.
# Contributors (county and township staff) submit practices and see only their own submissions;
# trainers build their own collections and read teaching notes; editors and above also write cases.
ROLE_LABELS = {"contributor": "报送人", "trainer": "培训师", "editor": "编辑", "reviewer": "审核人", "admin": "管理员"}
ROLES = tuple(ROLE_LABELS)
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}


class User(UserMixin, db.Model):
    """A signed-in account (staff, trainers, contributors); readers and trainees never need one."""

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

    # The secret of the server-side session this request runs under (see portal.auth.sessions).
    session_key: str = ""

    def get_id(self) -> str:
        """Return what Flask-Login keeps in the cookie: the user id plus the session's secret."""
        return f"{self.id}:{self.session_key}"

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


class StaffSession(db.Model):
    """A signed-in browser. Logging out or a new password deletes the row, so a copied cookie dies with it."""

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Only a hash of the secret is stored: a leaked table cannot be replayed as cookies.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class LoginGate(db.Model):
    """One row per account name, locked while a login for it is checked (see portal.auth.throttle.gate)."""

    __tablename__ = "login_gates"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    touched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
