"""Submissions (报送) from the counties: the practice as the contributor wrote it, and the talk about it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import utcnow

if TYPE_CHECKING:
    from portal.auth.models import User
    from portal.cases.models import Area, Case, Region

# submitted → (accepted | declined | needs_more); needs_more → submitted when the contributor resubmits.
SUBMISSION_STATUSES = ("submitted", "needs_more", "accepted", "declined")
STATUS_LABELS = {"submitted": "待处理", "needs_more": "待补充", "accepted": "已采纳", "declined": "未采纳"}
OPEN_STATUSES = ("submitted", "needs_more")
MESSAGE_KINDS = ("ask", "reply", "accept", "decline")


class Submission(db.Model):
    """One practice a contributor sent in, by form or as a Word file; accepted, it becomes a draft case."""

    __tablename__ = "submissions"
    __table_args__ = (CheckConstraint(f"status IN {SUBMISSION_STATUSES!r}", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contributor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    place: Mapped[str] = mapped_column(String(120), default="")
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id", ondelete="SET NULL"))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id", ondelete="SET NULL"))
    problem: Mapped[str] = mapped_column(Text, default="")
    actions: Mapped[str] = mapped_column(Text, default="")
    results: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    # The uploaded Word file as Markdown (images already stored as uploads), and what did not convert.
    document_md: Mapped[str] = mapped_column(Text, default="")
    conversion_notes: Mapped[list] = mapped_column(JSON, default=list)
    attachment_name: Mapped[str] = mapped_column(String(255), default="")
    attachment_stored: Mapped[str | None] = mapped_column(String(64), unique=True)
    attachment_size: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="submitted", index=True)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    contributor: Mapped[User | None] = relationship(foreign_keys=[contributor_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    region: Mapped[Region | None] = relationship()
    area: Mapped[Area | None] = relationship()
    case: Mapped[Case | None] = relationship()
    messages: Mapped[list[SubmissionMessage]] = relationship(
        back_populates="submission", order_by="SubmissionMessage.id", cascade="all, delete-orphan")

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def __repr__(self) -> str:
        return f"<Submission {self.id} {self.status}>"


class SubmissionMessage(db.Model):
    """A note between editors and the contributor: a request for more, a reply, a decision."""

    __tablename__ = "submission_messages"
    __table_args__ = (CheckConstraint(f"kind IN {MESSAGE_KINDS!r}", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()
