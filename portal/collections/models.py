"""Curated collections of cases that trainers teach from."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.cached_html import caches_html
from portal.extensions import db
from portal.markdown import RENDERER_VERSION, render_markdown
from portal.timeutil import utcnow

if TYPE_CHECKING:
    from portal.auth.models import User
    from portal.cases.models import Case


@caches_html
class Collection(db.Model):
    """An ordered set of cases with an introduction, for one training audience."""

    __tablename__ = "collections"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    audience: Mapped[str] = mapped_column(String(200), default="")
    intro_md: Mapped[str] = mapped_column(Text, default="")
    intro_html: Mapped[str] = mapped_column(Text, default="")
    rendered_with: Mapped[int] = mapped_column(Integer, default=RENDERER_VERSION)
    featured: Mapped[bool] = mapped_column(Boolean, default=False)
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    items: Mapped[list[CollectionItem]] = relationship(
        back_populates="collection", order_by="CollectionItem.position", cascade="all, delete-orphan")
    author: Mapped[User | None] = relationship()

    def new_item(self, case: Case) -> CollectionItem:
        """A new last item holding `case` (not yet added to the collection)."""
        return CollectionItem(case=case, position=len(self.items), questions=[])

    def set_intro(self, intro: str) -> None:
        """Store the introduction and its sanitized rendering together."""
        self.intro_md = intro
        self.intro_html, self.rendered_with = render_markdown(intro).html, RENDERER_VERSION

    def rendered_fields(self) -> dict:
        """The cached HTML as the current renderer makes it, with the version that made it."""
        return {"intro_html": render_markdown(self.intro_md).html, "rendered_with": RENDERER_VERSION}

    def __repr__(self) -> str:
        return f"<Collection {self.slug}>"


class CollectionItem(db.Model):
    """A case's place in a collection, with the trainer's note and discussion questions."""

    __tablename__ = "collection_items"
    __table_args__ = (UniqueConstraint("collection_id", "case_id", name="uq_collection_items_case"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("collections.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    note_md: Mapped[str] = mapped_column(Text, default="")
    questions: Mapped[list] = mapped_column(JSON, default=list)

    collection: Mapped[Collection] = relationship(back_populates="items")
    case: Mapped[Case] = relationship()


class CollectionReviewEvent(db.Model):
    """A step in a collection's review: changed, submitted, returned with a comment, published...

    Keyed by the collection's id, so the four-eyes history survives a change of 网址名.
    """

    __tablename__ = "collection_review_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("collections.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(32))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    collection: Mapped[Collection] = relationship()
    actor: Mapped[User | None] = relationship()


class CollectionWorkingCopy(db.Model):
    """Unpublished changes to a published collection, waiting for a second reviewer to publish them.

    Readers keep seeing the collection's rows (the published version); the changed collection lives
    here as snapshot values (portal.collections.fields, plus its 网址名) until someone who did not
    change it publishes it. One working copy per collection.
    """

    __tablename__ = "collection_working_copies"

    collection_id: Mapped[int] = mapped_column(ForeignKey("collections.id", ondelete="CASCADE"), primary_key=True)
    values: Mapped[dict] = mapped_column(JSON)
    # The newest review event when the working copy began: every later change belongs to it (four eyes).
    started_after: Mapped[int] = mapped_column(Integer, default=0)
    # An import changed the published version under the working copy: what readers saw before it, and
    # which file did it. Publishing waits until someone has compared the two (portal content import).
    live_before_import: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    imported_from: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    collection: Mapped[Collection] = relationship()

    # Two people saving the same working copy at once: the second gets a conflict, not a silent overwrite.
    __mapper_args__ = {"version_id_col": version}
