"""Cases, their revisions, and the taxonomy they are filed under: the five 统筹 areas, the region tree, tags."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    event,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship
from sqlalchemy.orm.attributes import get_history

from portal.cached_html import caches_html
from portal.extensions import db
from portal.markdown import RENDERER_VERSION, Rendered, render_markdown
from portal.timeutil import as_utc, utcnow

if TYPE_CHECKING:
    from portal.auth.models import User

LEVELS = ("市级", "县级", "乡镇级", "村级")
STATUSES = ("draft", "in_review", "published", "archived")
STATUS_LABELS = {"draft": "草稿", "in_review": "待审核", "published": "已发布", "archived": "已归档"}
REGION_KINDS = ("city", "county", "township", "village")
# A case published within this long of its creation was imported already published.
IMPORT_GRACE = timedelta(minutes=1)

case_tags = Table(
    "case_tags",
    db.metadata,
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    # The editor's order: the first tag is the one they thought of first.
    Column("position", Integer, nullable=False, default=0, server_default="0"),
)

case_secondary_areas = Table(
    "case_secondary_areas",
    db.metadata,
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True),
)


class Area(db.Model):
    """One of the five fixed 统筹 coordination areas."""

    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<Area {self.slug}>"


class Region(db.Model):
    """A node of the administrative tree: 丽水市, its counties, and townships or villages below."""

    __tablename__ = "regions"
    __table_args__ = (CheckConstraint(f"kind IN {REGION_KINDS!r}", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="county")
    position: Mapped[int] = mapped_column(Integer, default=0)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)

    parent: Mapped[Region | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Region]] = relationship(back_populates="parent", order_by="Region.position")

    def ancestors(self) -> list[Region]:
        """Return the chain from the root down to this region's parent."""
        chain, node = [], self.parent
        while node is not None:
            chain.insert(0, node)
            node = node.parent
        return chain

    def subtree_ids(self) -> list[int]:
        """Return this region's id and the ids of every region below it."""
        ids, frontier = [self.id], list(self.children)
        while frontier:
            node = frontier.pop()
            ids.append(node.id)
            frontier.extend(node.children)
        return ids

    def __repr__(self) -> str:
        return f"<Region {self.code} {self.name}>"


class Tag(db.Model):
    """A free-form Chinese keyword shared between cases."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)

    def __repr__(self) -> str:
        return f"<Tag {self.name}>"

    @classmethod
    def get_or_create(cls, name: str) -> Tag:
        """Return the tag with this name, adding it to the session if it is new."""
        tag = db.session.scalar(select(cls).where(cls.name == name))
        if tag is None:
            tag = cls(name=name)
            db.session.add(tag)
        return tag


@caches_html
class Case(db.Model):
    """A written-up governance practice: the unit officials search for and trainers teach from."""

    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint(f"status IN {STATUSES!r}", name="status"),
        CheckConstraint(f"level IN {LEVELS!r}", name="level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    body_md: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    toc_html: Mapped[str] = mapped_column(Text, default="")
    rendered_with: Mapped[int] = mapped_column(Integer, default=RENDERER_VERSION)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    place: Mapped[str | None] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(8))
    year: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Freshness (portal.cases.freshness): when staff last confirmed the write-up still holds, and an
    # explicit date to check it again by (None: REVIEW_INTERVAL_MONTHS after the last check).
    checked_on: Mapped[date | None] = mapped_column(Date)
    review_by: Mapped[date | None] = mapped_column(Date, index=True)

    area: Mapped[Area] = relationship(lazy="joined")
    region: Mapped[Region] = relationship(lazy="joined")
    secondary_areas: Mapped[list[Area]] = relationship(secondary=case_secondary_areas, order_by=Area.position)
    tags: Mapped[list[Tag]] = relationship(secondary=case_tags, order_by=[case_tags.c.position, Tag.name])
    author: Mapped[User | None] = relationship()
    learned_from_rows: Mapped[list[CaseLearnedFrom]] = relationship(
        cascade="all, delete-orphan", order_by="CaseLearnedFrom.position")
    adoptions: Mapped[list[CaseAdoption]] = relationship(
        cascade="all, delete-orphan", order_by="CaseAdoption.position", back_populates="case")

    # Optimistic locking: an UPDATE carries "WHERE version = <read version>", so two editors
    # saving the same case cannot silently overwrite each other.
    __mapper_args__ = {"version_id_col": version}

    @property
    def is_published(self) -> bool:
        return self.status == "published"

    def seen_by_readers(self) -> bool:
        """Tell whether a change to this case shows on public pages: it is, or was until now, published."""
        return self.is_published or "published" in (get_history(self, "status").deleted or ())

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def reader_published_at(self) -> datetime | None:
        """The publishing date readers are shown: only for cases published after they were written.

        Cases imported from content/ are published the moment they are created, so their
        published_at is the import's time, which means nothing to a reader.
        """
        published, created = as_utc(self.published_at), as_utc(self.created_at)
        if published is None or created is None or published - created < IMPORT_GRACE:
            return None
        return published

    @property
    def tag_names(self) -> list[str]:
        return [tag.name for tag in self.tags]

    def set_tags(self, tags: list[Tag]) -> None:
        """Replace the tags, keeping the given order (stored when the session flushes)."""
        self.tags = tags
        self._tag_order_pending = True

    def snapshot(self) -> dict:
        """Return the editable fields as plain data, as stored in a revision (see portal.cases.fields)."""
        from portal.cases.fields import snapshot

        return snapshot(self)

    def set_body(self, body: str, rendered: Rendered | None = None) -> None:
        """Store the Markdown and its sanitized rendering together (`rendered`: made ahead from `body`)."""
        rendered = rendered or render_markdown(body)
        self.body_md, self.body_html, self.toc_html = body, rendered.html, rendered.toc_html
        self.rendered_with = RENDERER_VERSION

    def rendered_fields(self) -> dict:
        """The cached HTML as the current renderer makes it, with the version that made it."""
        rendered = render_markdown(self.body_md)
        return {"body_html": rendered.html, "toc_html": rendered.toc_html, "rendered_with": RENDERER_VERSION}

    def __repr__(self) -> str:
        return f"<Case {self.slug}>"


class Revision(db.Model):
    """A full snapshot of a case after one save; never edited, only added."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("case_id", "number", name="uq_revisions_case_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    comment: Mapped[str] = mapped_column(String(500), default="")
    snapshot: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    case: Mapped[Case] = relationship()
    author: Mapped[User | None] = relationship()

    @classmethod
    def record(cls, case: Case, author: User | None, comment: str = "", snapshot: dict | None = None) -> Revision:
        """Add a revision holding the case's current fields (or `snapshot`); number = previous highest + 1."""
        latest = db.session.scalar(
            db.select(db.func.max(cls.number)).where(cls.case_id == case.id)) if case.id else None
        revision = cls(case=case, number=(latest or 0) + 1, author=author,
                       comment=comment, snapshot=snapshot if snapshot is not None else case.snapshot())
        db.session.add(revision)
        return revision


@event.listens_for(Session, "after_flush")
def store_tag_order(session: Session, _context) -> None:
    """Write each re-tagged case's tag positions once its tag rows exist."""
    rows = []
    for case in [*session.new, *session.dirty]:
        if isinstance(case, Case) and getattr(case, "_tag_order_pending", False):
            rows += [{"case": case.id, "tag": tag.id, "position": position} for position, tag in enumerate(case.tags)]
            case._tag_order_pending = False
    if rows:
        session.connection().execute(
            update(case_tags).where(case_tags.c.case_id == bindparam("case"), case_tags.c.tag_id == bindparam("tag"))
            .values(position=bindparam("position")), rows)


class CaseLearnedFrom(db.Model):
    """One thing a case's practice learned from: another case (by slug), or a place and a year."""

    __tablename__ = "case_learned_from"
    __table_args__ = (CheckConstraint("source_slug IS NOT NULL OR place IS NOT NULL", name="case_or_place"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # A slug, not a row id: slugs never change once a case exists, and a file may name a case
    # that the same import creates further on.
    source_slug: Mapped[str | None] = mapped_column(String(120), index=True)
    place: Mapped[str | None] = mapped_column(String(120))
    year: Mapped[int | None] = mapped_column(Integer)


class CaseAdoption(db.Model):
    """One place a case's practice has spread to: a region, perhaps a township or village, when, how we know."""

    __tablename__ = "case_adoptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    place: Mapped[str | None] = mapped_column(String(120))
    year: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(500))
    source: Mapped[str | None] = mapped_column(String(300))

    case: Mapped[Case] = relationship(back_populates="adoptions")
    region: Mapped[Region] = relationship(lazy="joined")


class RelatedCase(db.Model):
    """One entry of a case's stored "related cases" list, best first.

    Computed by search whenever the case or its neighbours change (portal.search.related), so a
    case page reads it with one query. `as_of` is the outbox entry the list reflects: an instance
    whose index lags behind never overwrites a newer list.
    """

    __tablename__ = "related_cases"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, primary_key=True)
    related_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    as_of: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), default=0)
