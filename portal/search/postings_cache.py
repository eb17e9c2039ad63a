"""Caches of values derived from one index generation, and what a generation inherits from the last.

A publish commits one small segment after the others, which keep their order, offsets and
deletions: a value over the unchanged segments (a word's postings) is then the previous
generation's, followed by the new segment's part.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from portal.search.state import memo, previous_value


class BoundedCache:
    """Values computed once per index generation, least recently used dropped beyond `budget` items
    (a value's size is `size_of(value)`, its len() unless told)."""

    def __init__(self, budget: int, size_of: Callable[[object], int] = len):
        self.budget = budget
        self.size_of = size_of
        self.values: OrderedDict = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key, compute: Callable[[], object]):
        with self.lock:
            found = self.values.get(key)
            if found is not None:
                self.values.move_to_end(key)
                return found
        found = compute()
        with self.lock:
            if key not in self.values:
                self.values[key] = found
                self.size += self.size_of(found)
            while self.size > self.budget and len(self.values) > 1:
                _key, dropped = self.values.popitem(last=False)
                self.size -= self.size_of(dropped)
        return found

    def peek(self, key):
        """Return the cached value of `key` (None if absent), leaving the order of use as it is."""
        with self.lock:
            return self.values.get(key)


class GenerationPostings(BoundedCache):
    """One generation's postings, taking a word's postings over the segments it shares with the
    previous generation from that generation's cache: a publish appends a small segment and leaves
    the others, their offsets and deletions as they were, so only the new segment is read."""

    def __init__(self, budget: int, layout: tuple, previous: GenerationPostings | None):
        super().__init__(budget)
        self.layout = layout
        self.previous = previous if previous is not None and extends(layout, previous.layout) else None
        if previous is not None:
            previous.previous = None  # one generation back at most: no chain of old caches

    def inherited(self, key) -> tuple[object, int]:
        """Return the previous generation's value of `key` and how many segments it covers ((None, 0)
        if it has none)."""
        previous = self.previous
        known = previous.peek(key) if previous is not None else None
        return (None, 0) if known is None else (known, len(previous.layout))


def segment_layout(searcher) -> tuple:
    """Return (segment id, documents, deleted documents) of each segment, in the searcher's order
    (Whoosh only ever adds deletions, so equal counts mean equal deletions)."""
    return tuple((reader.segment().segment_id(), reader.doc_count_all(), reader.segment().deleted_count())
                 for reader, _offset in searcher.reader().leaf_readers() if reader.segment() is not None)


def extends(layout: tuple, older: tuple) -> bool:
    """Return True if `layout` holds the `older` one's segments first, unchanged, and more after."""
    return bool(older) and len(layout) > len(older) and layout[:len(older)] == older


def inherited(searcher, name: str) -> tuple[object, int, int]:
    """Return the previous generation's value of `name` when this generation only appends segments
    to that one's, with how many segments and documents it covers; (None, 0, 0) otherwise."""
    layout = memo(searcher, "layout", lambda: segment_layout(searcher))
    older, value = previous_value(searcher, "layout"), previous_value(searcher, name)
    if value is None or older is None or not extends(layout, older):
        return None, 0, 0
    return value, len(older), sum(documents for _id, documents, _deleted in older)
