"""The collections kind of `portal content import/export`: content/collections/*.md|yml <-> database."""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import select

from portal.cases.models import Case
from portal.collections.file_checks import (
    COLLECTIONS_DIR,
    CollectionSpec,
    ItemSpec,
    normalize_text,
    validate_collections,
)
from portal.collections.models import Collection, CollectionItem
from portal.content.export import write_text
from portal.content.pipeline import Counts, ImportContext
from portal.content.problems import Problem
from portal.extensions import db
from portal.timeutil import utcnow


class CollectionKind:
    """content/collections/: one .md (front matter + introduction) or .yml file per collection."""

    name = "collections"
    label = "培训合集"

    def validate(self, root: Path, context: ImportContext) -> tuple[list[CollectionSpec], list[Problem]]:
        return validate_collections(root, context.display_root, context.case_slugs)

    def apply(self, parsed: list[CollectionSpec], context: ImportContext) -> Counts:
        return apply_collections(parsed)

    def export(self, root: Path) -> int:
        return export_collections(root)


def apply_collections(specs: list[CollectionSpec]) -> Counts:
    """Create or update each collection by slug; collections without a file are left alone."""
    cases = {case.slug: case for case in db.session.scalars(select(Case))}
    existing = {c.slug: c for c in db.session.scalars(select(Collection))}
    counts = Counts()
    for spec in specs:
        collection = existing.get(spec.slug)
        if collection is not None and state_of(collection) == state_of_spec(spec):
            counts.unchanged += 1
            continue
        if collection is None:
            collection = Collection(slug=spec.slug)
            db.session.add(collection)
            counts.created += 1
        else:
            counts.updated += 1
        fill(collection, spec, cases)
    return counts


def state_of_spec(spec: CollectionSpec) -> dict:
    """Return what a file asks for, in the shape state_of() reads from the database."""
    return {"title": spec.title, "audience": spec.audience, "intro": spec.introduction,
            "featured": spec.featured, "published": spec.published,
            "items": [(item.case, item.note, list(item.questions)) for item in spec.items]}


def state_of(collection: Collection) -> dict:
    """Return a collection's content as plain data, for change detection."""
    return {"title": collection.title, "audience": collection.audience or "",
            "intro": normalize_text(collection.intro_md), "featured": bool(collection.featured),
            "published": bool(collection.published),
            "items": [(item.case.slug, normalize_text(item.note_md), list(item.questions or []))
                      for item in collection.items]}


def fill(collection: Collection, spec: CollectionSpec, cases: dict[str, Case]) -> None:
    """Copy a spec onto a collection row, updating items in place (a case appears once per collection)."""
    collection.title, collection.audience = spec.title, spec.audience
    collection.set_intro(spec.introduction)
    collection.featured, collection.published = spec.featured, spec.published
    collection.updated_at = utcnow()
    by_case = {item.case.slug: item for item in collection.items}
    collection.items = [place_item(by_case.get(item.case), item, cases, position)
                        for position, item in enumerate(spec.items)]


def place_item(item: CollectionItem | None, spec: ItemSpec, cases: dict[str, Case],
               position: int) -> CollectionItem:
    """Reuse the existing item for this case or make one, then set its position, note and questions."""
    item = item or CollectionItem(case=cases[spec.case])
    item.position, item.note_md, item.questions = position, spec.note, list(spec.questions)
    return item


class _ContentDumper(yaml.SafeDumper):
    """Write multi-line notes as literal blocks, which read like the Markdown they are."""


def _represent_text(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_ContentDumper.add_representer(str, _represent_text)


def export_collections(root: Path) -> int:
    """Write one collections/<slug>.md per collection; return how many."""
    collections = db.session.scalars(select(Collection).order_by(Collection.slug)).all()
    for collection in collections:
        write_text(Path(root) / COLLECTIONS_DIR / f"{collection.slug}.md", collection_file_text(collection))
    return len(collections)


def collection_file_text(collection: Collection) -> str:
    """Return a collection as Markdown: front matter, blank line, the introduction."""
    front = yaml.dump(front_matter(collection), Dumper=_ContentDumper, allow_unicode=True,
                      sort_keys=False, width=100_000)
    return f"---\n{front}---\n\n{normalize_text(collection.intro_md)}\n"


def front_matter(collection: Collection) -> dict:
    """Return the collection's fields in the documented order, leaving out defaults."""
    meta = {"title": collection.title}
    if collection.audience:
        meta["audience"] = collection.audience
    meta["featured"] = bool(collection.featured)
    if not collection.published:
        meta["published"] = False
    meta["items"] = [item_entry(item) for item in collection.items]
    return meta


def item_entry(item: CollectionItem) -> dict:
    """Return one item as written in a collection file."""
    entry = {"case": item.case.slug}
    if normalize_text(item.note_md):
        entry["note"] = normalize_text(item.note_md)
    if item.questions:
        entry["questions"] = list(item.questions)
    return entry
