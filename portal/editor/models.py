"""The review trail and uploaded images."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import utcnow

if TYPE_CHECKING:
    from portal.auth.models import User
    from portal.cases.models import Case, Revision

REVIEW_ACTIONS = ("submit", "approve", "return", "publish", "unpublish", "archive", "restore_draft")


class ReviewEvent(db.Model):
    """A step in a case's review: submitted, returned with a comment, approved, published..."""

    __tablename__ = "review_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(32))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    case: Mapped[Case] = relationship()
    actor: Mapped[User | None] = relationship()


class Upload(db.Model):
    """An image an editor uploaded; the file lives under the instance dir."""

    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    stored_name: Mapped[str] = mapped_column(String(128), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    uploader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WorkingCopy(db.Model):
    """Unpublished changes to a published case, waiting for a second reviewer to publish them.

    Readers keep seeing the case row (the published version); the changed text lives in a revision
    until someone who did not change it publishes it. One working copy per case.
    """

    __tablename__ = "working_copies"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id", ondelete="CASCADE"))
    # The newest revision when the working copy began: every later save belongs to it (four eyes).
    started_after: Mapped[int] = mapped_column(Integer)
    # An import changed the published case under the working copy: what readers saw before it, and
    # which file did it. Publishing waits until someone has compared the two.
    live_before_import: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    imported_from: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    case: Mapped[Case] = relationship()
    revision: Mapped[Revision] = relationship()

    # Two reviewers saving the same working copy at once: the second gets a conflict, not a silent overwrite.
    __mapper_args__ = {"version_id_col": version}


class CaseComment(db.Model):
    """A staff member's remark in a case's discussion: beside the text, never part of what readers see."""

    __tablename__ = "case_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Markdown as typed; shown through the same sanitizing renderer as case bodies.
    body_md: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    case: Mapped[Case] = relationship()
    author: Mapped[User | None] = relationship()

    @property
    def anchor(self) -> str:
        return f"comment-{self.id}"
