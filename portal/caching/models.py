"""The content generation: one counter in the database, bumped by every change readers can see."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Integer, String
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

# The second row counts every change except those to stamped rows (see PageStamp): pages keyed by
# their own dependencies read it instead of ROW_ID, so a new case leaves them alone.
SHARED_ROW_ID = 2


class PageStamp(db.Model):
    """The content generation at which a row readers see (a case) last changed.

    A page that shows a few such rows (a case page: the case, its related cases, its lineage) is keyed
    by their stamps plus the shared generation, not by the generation every publish bumps.
    """

    __tablename__ = "page_stamps"

    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    row_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    generation: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
