"""Side-by-side differences between two snapshots of a case, built with difflib.

Everything here is plain text; the templates escape it, so no markup from a case can leak through.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from portal.cases.fields import CASE_FIELDS, field_labels

CONTEXT_LINES = 3

Segment = tuple[str, bool]  # (text, changed)


@dataclass(frozen=True)
class FieldChange:
    key: str
    label: str
    old: str
    new: str
    changed: bool


@dataclass
class Row:
    """One line of the side-by-side body table; a kind of "gap" stands for skipped unchanged lines."""

    kind: str
    old_number: int | None = None
    new_number: int | None = None
    old: list[Segment] = field(default_factory=list)
    new: list[Segment] = field(default_factory=list)


def show_value(value, names: dict[str, str] | None = None) -> str:
    """Turn a snapshot value into the text shown in the diff (slugs and codes become names)."""
    names = names or {}
    if value is None:
        return ""
    if isinstance(value, list):
        return "、".join(show_entry(item, names) if isinstance(item, dict) else names.get(str(item), str(item))
                        for item in value)
    return names.get(str(value), str(value))


def show_entry(entry: dict, names: dict[str, str]) -> str:
    """An entry of a list of records (an adoption, a learned-from place) as one line of its values."""
    return "（" + "，".join(names.get(str(value), str(value)) for value in entry.values()) + "）"


def field_changes(old: dict, new: dict, names: dict[str, str] | None = None) -> list[FieldChange]:
    """Compare every front-matter field of two snapshots (the body is diffed separately)."""
    labels = field_labels()
    keys = [key for key in labels if key in old or key in new]
    return [FieldChange(key, labels[key], show_value(old.get(key), names), show_value(new.get(key), names),
                        differs(key, old.get(key), new.get(key))) for key in keys]


def differs(key: str, old, new) -> bool:
    """Whether a field changed, as its declaration compares values (tags as a set, not a sequence)."""
    known = {field.name: field for field in CASE_FIELDS}
    return known[key].differs(old, new) if key in known else show_value(old) != show_value(new)


def inline_segments(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    """Mark the changed characters within a pair of lines."""
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    old_parts: list[Segment] = []
    new_parts: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if old[i1:i2]:
            old_parts.append((old[i1:i2], tag != "equal"))
        if new[j1:j2]:
            new_parts.append((new[j1:j2], tag != "equal"))
    return old_parts, new_parts


def body_rows(old_text: str, new_text: str, context: int = CONTEXT_LINES) -> list[Row]:
    """Side-by-side rows for the changed parts of two bodies, with a few lines of context."""
    old_lines, new_lines = (old_text or "").splitlines(), (new_text or "").splitlines()
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    rows: list[Row] = []
    for group in matcher.get_grouped_opcodes(context):
        if rows:
            rows.append(Row("gap"))
        for tag, i1, i2, j1, j2 in group:
            rows.extend(_opcode_rows(tag, old_lines, new_lines, (i1, i2, j1, j2)))
    return rows


def _opcode_rows(tag: str, old_lines: list[str], new_lines: list[str], span: tuple[int, int, int, int]) -> list[Row]:
    i1, i2, j1, j2 = span
    rows = []
    for offset in range(max(i2 - i1, j2 - j1)):
        i, j = i1 + offset, j1 + offset
        old = old_lines[i] if i < i2 else None
        new = new_lines[j] if j < j2 else None
        rows.append(_row(tag, old, new, i + 1 if old is not None else None, j + 1 if new is not None else None))
    return rows


def _row(tag: str, old: str | None, new: str | None, old_number: int | None, new_number: int | None) -> Row:
    if tag == "equal":
        return Row("equal", old_number, new_number, [(old or "", False)], [(new or "", False)])
    if old is not None and new is not None:
        old_parts, new_parts = inline_segments(old, new)
        return Row("replace", old_number, new_number, old_parts, new_parts)
    # A blank line added or removed gets a highlighted row but no empty <ins>/<del>.
    kind = "delete" if new is None else "insert"
    return Row(kind, old_number, new_number, [(old, True)] if old else [], [(new, True)] if new else [])


@dataclass(frozen=True)
class SnapshotDiff:
    fields: list[FieldChange]
    body: list[Row]

    @property
    def changed_fields(self) -> list[FieldChange]:
        return [change for change in self.fields if change.changed]

    @property
    def identical(self) -> bool:
        return not self.changed_fields and not self.body


def compare(old: dict, new: dict, names: dict[str, str] | None = None) -> SnapshotDiff:
    """Diff two snapshots: every field, and the body line by line."""
    return SnapshotDiff(field_changes(old, new, names), body_rows(old.get("body") or "", new.get("body") or ""))
