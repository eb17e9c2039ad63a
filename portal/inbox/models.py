"""Notices in a user's inbox, the cases they follow, and where (if anywhere) to e-mail notices."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import utcnow

if TYPE_CHECKING:
    from portal.auth.models import User
    from portal.cases.models import Case

# What a notice is about, with the Chinese name the inbox shows beside it.
KIND_LABELS = {"returned": "退回修改", "published": "已发布", "intake": "报送处理", "followed": "关注的案例",
               "mention": "提到了你"}
# E-mail states: not wanted, waiting for the sender, being sent by one process, sent, given up.
MAIL_STATES = ("", "pending", "sending", "sent", "failed")


class Notice(db.Model):
    """One thing that happened which a user should know about."""

    __tablename__ = "inbox_notices"
    __table_args__ = (Index("ix_inbox_notices_unread", "user_id", "read_at"),
                      Index("ix_inbox_notices_mail", "mail_state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    # Plain text (a reviewer's comment, a reason): shown escaped, never rendered as HTML.
    detail: Mapped[str] = mapped_column(Text, default="")
    # A path inside the portal to open (the case's edit page, a submission…).
    link: Mapped[str] = mapped_column(String(300), default="")
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    mail_state: Mapped[str] = mapped_column(String(8), default="")
    mail_attempts: Mapped[int] = mapped_column(Integer, default=0)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    case: Mapped[Case | None] = relationship()

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class CaseFollow(db.Model):
    """A staff member follows a case: they hear of every change to it."""

    __tablename__ = "case_follows"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True,
                                         index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MailPreference(db.Model):
    """Where a user wants the inbox's notices e-mailed too (nothing is sent without a row here)."""

    __tablename__ = "inbox_mail_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    address: Mapped[str] = mapped_column(String(254), default="")
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
