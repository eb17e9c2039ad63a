"""The content generation: one counter in the database, bumped by every change readers can see."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Integer
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.timeutil import utcnow

ROW_ID = 1


class ContentGeneration(db.Model):
    """The one row whose `value` names the current state of everything public pages show.

    Kept in the database (not in a process or a cache server) so that every worker on every
    machine sees a publish at once: page caches and ETags are keyed by it.
    """

    __tablename__ = "content_generation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), default=1)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
