"""A collection's fields, declared once: import, export, form, snapshot, diff and API derive from here.

To add a field: add its column to `Collection` (or `CollectionItem`, plus a migration) and one entry
to COLLECTION_FIELDS (or ITEM_FIELDS). Entries are in file order; the kinds live in
`portal.collections.fieldtypes`. The slug is not a field: it names the file and the page.
"""

from __future__ import annotations

from portal.collections.fieldtypes import (
    CollectionField,
    Incoming,
    ItemsField,
    LinesField,
    MarkdownField,
    SwitchField,
    TextField,
)
from portal.timeutil import utcnow

ITEM_FIELDS: tuple[CollectionField, ...] = (
    # Trainers' teaching notes are theirs, not the trainees': only note readers see them (access.sees_notes).
    TextField("note", "培训者导读", attribute="note_md", max_length=5000, rows=4, in_api=False),
    LinesField("questions", "讨论题", max_count=10, max_length=300),
)
COLLECTION_FIELDS: tuple[CollectionField, ...] = (
    TextField("title", "标题", required=True, max_length=200),
    TextField("audience", "适用对象", max_length=200, description="例如：新任乡镇（街道）干部"),
    MarkdownField("introduction", "导言", attribute="intro_md", form_name="intro_md", max_length=20000, rows=8,
                  setter="set_intro", html_attribute="intro_html", description="可用 Markdown：## 小标题、- 列表、[链接](网址)。"),
    SwitchField("featured", "在首页推荐", content=False),
    SwitchField("published", "公开发布", default=True, export_default=False, content=False),
    ItemsField("items", "案例", in_form=False, item_fields=ITEM_FIELDS),
)


# Everything below reads the declarations when called, so a test can declare an extra field.
def item_fields() -> tuple[CollectionField, ...]:
    return next(field for field in COLLECTION_FIELDS if isinstance(field, ItemsField)).item_fields


def form_fields() -> tuple[CollectionField, ...]:
    """The collection form's inputs: content fields first, then the publishers' switches."""
    shown = [field for field in COLLECTION_FIELDS if field.in_form]
    return tuple(sorted(shown, key=lambda field: not field.content))


def file_keys(*, markdown: bool) -> tuple[str, ...]:
    """Every key a collection file may carry; a .yml file also carries the introduction."""
    names = [key for field in COLLECTION_FIELDS for key in field.file_keys]
    names.insert(1, "slug")
    return tuple(names) if markdown else (*names, *(field.name for field in COLLECTION_FIELDS
                                                    if isinstance(field, MarkdownField)))


def snapshot(collection, *, content_only: bool = False) -> dict:
    """Return the fields as plain data; `content_only` leaves out the publishers' switches."""
    return {field.name: field.read(collection) for field in COLLECTION_FIELDS if field.content or not content_only}


def item_snapshot(item) -> dict:
    """Return an item's declared fields as plain data."""
    return {field.name: field.read(item) for field in item_fields()}


def content_state(collection) -> dict:
    """What readers see of the collection (its address and content), to tell whether a save changed it."""
    return {"slug": collection.slug, **comparable_state(snapshot(collection, content_only=True))}


def comparable_state(values: dict) -> dict:
    """Return snapshot values as an import compares them (normalized text, plain flags)."""
    return {name: field_named(name).comparable(value) for name, value in values.items()}


def field_named(name: str) -> CollectionField:
    return next(field for field in COLLECTION_FIELDS if field.name == name)


def write_collection(collection, values: dict, *, cases: dict | None = None) -> None:
    """The one writer: set every field present in `values` (cases by slug, for items) and render the Markdown."""
    for field in COLLECTION_FIELDS:
        if field.name in values:
            field.write(collection, values[field.name], cases or {})
    # An explicit timestamp: cached handouts and listings see a new edition even when only items changed.
    collection.updated_at = utcnow()


def write_item(item, values: dict) -> None:
    """Set an item's declared fields (its note and questions) from snapshot values."""
    for field in item_fields():
        if field.name in values:
            field.write(item, values[field.name], {})


def parse_collection_file(incoming: Incoming) -> dict:
    """Read every field from a collection file into snapshot values, reporting problems at their lines."""
    return {field.name: field.parse(incoming) for field in COLLECTION_FIELDS}


def front_matter(collection) -> dict:
    """Return the collection's file keys in declaration order, without empty or default ones."""
    values = snapshot(collection)
    meta = {field.name: field.export(values[field.name]) for field in COLLECTION_FIELDS if field.file_keys}
    return {key: value for key, value in meta.items() if value not in (None, "", [])}


def form_values(form, declared: tuple[CollectionField, ...] | None = None) -> dict:
    """Return the form's values as snapshot values (by default the content fields)."""
    chosen = declared if declared is not None else tuple(field for field in form_fields() if field.content)
    return {field.name: field.from_form(form) for field in chosen}


def form_data(values: dict, declared: tuple[CollectionField, ...] | None = None) -> dict:
    """Return snapshot values as a form's data (the collection's, or an item's with `item_fields()`).

    Inputs a browser leaves out of its post keep these values."""
    return {field.input_name: field.form_value(values[field.name])
            for field in (declared if declared is not None else form_fields()) if field.name in values}


def with_fields(form_class: type, declared: tuple[CollectionField, ...]) -> type:
    """Add an input for every declared field to the form class."""
    for field in declared:
        setattr(form_class, field.input_name, field.form_field())
    return form_class


def changes(old: dict, new: dict) -> list[tuple[str, str, str]]:
    """(label, old, new) of every field two snapshots hold differently, in declaration order."""
    found = []
    for field in COLLECTION_FIELDS:
        if field.name in old or field.name in new:
            before, after = old.get(field.name), new.get(field.name)
            if field.comparable(before) != field.comparable(after):
                found.append((field.label, field.show(before), field.show(after)))
    return found


def api_values(collection) -> dict:
    """Return the fields the JSON API shows of a published collection."""
    return {key: value for field in COLLECTION_FIELDS if field.in_api for key, value in field.api(collection).items()}


def api_schema() -> dict:
    """Return the OpenAPI properties of api_values()."""
    return {key: schema for field in COLLECTION_FIELDS if field.in_api for key, schema in field.api_schema().items()}
