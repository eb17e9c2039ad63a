"""The collections kind of `portal content import/export`: content/collections/*.md|yml <-> database."""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import select

from portal.cases.models import Case
from portal.collections import fields
from portal.collections.fieldtypes import normalize_text
from portal.collections.file_checks import COLLECTIONS_DIR, CollectionSpec, validate_collections
from portal.collections.models import Collection
from portal.content.export import write_text
from portal.content.pipeline import Counts, ImportContext
from portal.content.problems import Problem
from portal.extensions import db


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
        if collection is not None and fields.comparable_state(fields.snapshot(collection)) == \
                fields.comparable_state(spec.values):
            counts.unchanged += 1
            continue
        if collection is None:
            collection = Collection(slug=spec.slug)
            db.session.add(collection)
            counts.created += 1
        else:
            counts.updated += 1
        fields.write_collection(collection, spec.values, cases=cases)
    return counts


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
    front = yaml.dump(fields.front_matter(collection), Dumper=_ContentDumper, allow_unicode=True,
                      sort_keys=False, width=100_000)
    return f"---\n{front}---\n\n{normalize_text(collection.intro_md)}\n"
