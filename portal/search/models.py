"""The search outbox (database changes waiting for the index) and the log of fruitless queries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.cases.models import Case
from portal.extensions import db
from portal.timeutil import utcnow

OUTBOX_OPS = ("upsert", "delete")


class SearchOutbox(db.Model):
    """A case that changed; written in the same transaction as the change itself.

    No foreign key on case_id: a delete must still reach every index after the row is gone.
    Entries are kept (not consumed) so every instance, each with its own index, can apply
    them and remember how far it got.
    """

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    case_id: Mapped[int] = mapped_column(Integer, index=True)
    slug: Mapped[str] = mapped_column(String(120), default="")
    op: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


MISS_MATCHES = ("none", "partial")


class SearchMiss(db.Model):
    """One search that found no full match (nothing, or only cases with part of the query).

    Editors see them grouped by `normalized`; `client` is a keyed hash of the reader's address,
    used only to throttle recording, never shown.
    """

    __tablename__ = "search_misses"

    id: Mapped[int] = mapped_column(primary_key=True)
    query: Mapped[str] = mapped_column(Text)
    normalized: Mapped[str] = mapped_column(String(200), default="", index=True)
    match: Mapped[str] = mapped_column(String(16), default="none")
    client: Mapped[str] = mapped_column(String(32), default="", index=True)
    filters: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class SearchMissAnswer(db.Model):
    """An editor's note that a missed query is now answered, by a case or by a synonym."""

    __tablename__ = "search_miss_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    normalized: Mapped[str] = mapped_column(String(200), unique=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    synonym_term: Mapped[str | None] = mapped_column(String(64))
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    case: Mapped[Case | None] = relationship()
    answered_by: Mapped[User | None] = relationship()


class SynonymGroup(db.Model):
    """Words readers use interchangeably: one canonical term and its variants, applied at query time."""

    __tablename__ = "synonym_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(64), unique=True)
    variants: Mapped[list] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    @property
    def terms(self) -> list[str]:
        return [self.term, *self.variants]
