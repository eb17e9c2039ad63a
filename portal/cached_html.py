"""Rows that cache rendered Markdown, and keeping that HTML in step with the renderer.

A model marked `@caches_html` has a `rendered_with` column (the RENDERER_VERSION that made its
HTML) and a `rendered_fields()` method. A row made by an older renderer shows fresh HTML as soon
as it is read (nothing is written then), and `portal content rerender` stores the new HTML.
"""

from __future__ import annotations

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from portal.markdown import RENDERER_VERSION

CACHING_MODELS: list[type] = []
BATCH = 200


def caches_html(model: type) -> type:
    """Class decorator: register the model and refresh its stale HTML whenever a row is read."""
    CACHING_MODELS.append(model)
    event.listen(model, "load", lambda row, _context: show_current(row))
    event.listen(model, "refresh", lambda row, _context, _attrs: show_current(row))
    return model


def is_stale(row) -> bool:
    return (row.rendered_with or 0) < RENDERER_VERSION


def show_current(row) -> None:
    """Put freshly rendered HTML on a stale row in memory only (the row stays marked stale)."""
    if is_stale(row):
        for key, value in row.rendered_fields().items():
            if key != "rendered_with":
                set_committed_value(row, key, value)


def rerender(session: Session, *, everything: bool = False) -> dict[str, int]:
    """Store fresh HTML for stale rows (or all rows); return how many per table.

    A plain UPDATE: re-rendering is not an edit, so versions, timestamps and revisions stay as they are;
    the content generation moves on, so cached public pages turn over.
    """
    counts = {}
    for model in CACHING_MODELS:
        query = select(model.id) if everything else select(model.id).where(model.rendered_with < RENDERER_VERSION)
        ids = list(session.scalars(query.order_by(model.id)))
        for start in range(0, len(ids), BATCH):
            for row in session.scalars(select(model).where(model.id.in_(ids[start:start + BATCH]))):
                session.execute(unchanged_update(model.__table__).where(model.__table__.c.id == row.id)
                                .values(**row.rendered_fields()))
            session.commit()
        counts[model.__tablename__] = len(ids)
    if any(counts.values()):
        turn_over_public_pages(session)
    return counts


def turn_over_public_pages(session: Session) -> None:
    """New HTML is new content for readers: bump the generation so no cached page keeps the old one."""
    from portal.caching.generation import bump

    bump(session.connection())
    session.commit()


def unchanged_update(table):
    """An UPDATE that leaves an `updated_at` column as it is (its onupdate would otherwise fire)."""
    statement = update(table)
    return statement.values(updated_at=table.c.updated_at) if "updated_at" in table.c else statement
