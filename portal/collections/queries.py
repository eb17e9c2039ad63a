"""Read-side helpers: which collections and items the public may see."""

from __future__ import annotations

from flask import abort, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.cases.models import Case
from portal.collections.access import may_preview
from portal.collections.models import Collection, CollectionItem
from portal.extensions import db


def public_collections() -> list[Collection]:
    """Return published collections, featured first."""
    query = (select(Collection).where(Collection.published.is_(True))
             .options(selectinload(Collection.items).selectinload(CollectionItem.case))
             .order_by(Collection.featured.desc(), Collection.title))
    return list(db.session.scalars(query))


def collection_or_404(slug: str) -> Collection:
    """Return the collection with this slug if the visitor may see it, else answer 404."""
    collection = db.session.scalar(select(Collection).where(Collection.slug == slug))
    if collection is None or not (collection.published or may_preview(collection)):
        abort(404)
    return collection


def public_items(collection: Collection) -> list[CollectionItem]:
    """Return the collection's items in order, leaving out cases that are not published."""
    return [item for item in collection.items if item.case.is_published]


def published_case_or_404(slug: str) -> Case:
    """Return the published case with this slug, else answer 404."""
    case = db.session.scalar(select(Case).where(Case.slug == slug, Case.status == "published"))
    if case is None:
        abort(404)
    return case


def case_url(case: Case) -> str:
    """Link to a case's page."""
    return url_for("cases.case_detail", slug=case.slug)


def questions_for_case(case: Case) -> list[str]:
    """Collect the discussion questions that published collections attach to this case."""
    query = (select(CollectionItem).join(Collection).where(
        CollectionItem.case_id == case.id, Collection.published.is_(True)).order_by(Collection.title))
    seen: dict[str, None] = {}
    for item in db.session.scalars(query):
        seen.update(dict.fromkeys(item.questions or []))
    return list(seen)


def featured_collections(limit: int = 6) -> list[Collection]:
    """Return the featured, published collections, their items loaded in one statement (the home page counts them)."""
    stmt = (select(Collection).where(Collection.featured.is_(True), Collection.published.is_(True))
            .options(selectinload(Collection.items)).order_by(Collection.title).limit(limit))
    return list(db.session.scalars(stmt))


def published_collections() -> list[Collection]:
    """Return every published collection."""
    return list(db.session.scalars(select(Collection).where(Collection.published.is_(True))
                                   .order_by(Collection.title)))


def collections_containing(case: Case) -> list[Collection]:
    """Return the published collections this case appears in."""
    stmt = (select(Collection).join(CollectionItem, CollectionItem.collection_id == Collection.id)
            .where(CollectionItem.case_id == case.id, Collection.published.is_(True))
            .order_by(Collection.title))
    return list(db.session.scalars(stmt))
