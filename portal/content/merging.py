"""Bring an import's changes into a pending working copy, field by field (a three-way merge).

`before` is what readers saw when the import began, `after` what the import made of it, `copy` the
working copy. A field only the import changed takes the imported value; a field only the copy changed
keeps the copy's; a field both changed differently is a conflict someone must settle by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Merged:
    """The working copy's new values, and which fields were carried over or conflict (by name)."""

    values: dict
    carried: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def three_way(copy: dict, before: dict, after: dict, comparable: Callable[[dict], dict]) -> Merged:
    """Merge an import (before → after) into `copy`; `comparable` normalizes a whole set of values."""
    old, new, own = comparable(before), comparable(after), comparable(copy)
    merged = Merged(dict(copy))
    for name in new:
        if new[name] == old.get(name) or new[name] == own.get(name):
            continue  # the import left it alone, or both made the same change
        if own.get(name) == old.get(name):
            merged.values[name] = after[name]
            merged.carried.append(name)
        else:
            merged.conflicts.append(name)
    return merged
