"""Reopen a searcher on a new index generation, keeping the readers of its unchanged segments.

The one module that builds Whoosh readers itself: it reads whoosh-reloaded's private
FileIndex._read_toc and SegmentReader._gen (the version is pinned in pyproject.toml), and
tests/search/test_reopen.py holds what a reopened searcher reads equal to a searcher opened afresh.
"""

from __future__ import annotations

from whoosh.reading import MultiReader, SegmentReader
from whoosh.searching import Searcher


def searcher_reusing(ix, previous) -> Searcher:
    """Return a searcher of the newest generation that reuses `previous`'s unchanged segment readers.

    Whoosh's own reuse (Searcher.refresh) matches segments by id alone and adds back segments a merge
    removed, so it reads stale deletions and duplicate documents; here a reader is reused only for a
    segment of the new table of contents with the same id and the same deleted documents. Reads
    whoosh-reloaded's FileIndex._read_toc and SegmentReader._gen (pinned; tests/search/test_reopen.py).
    """
    toc = ix._read_toc()
    if not toc.segments:
        previous.close()
        return ix.searcher()
    kept = {reader.segment().segment_id(): reader for reader, _ in previous.reader().leaf_readers()
            if reader.segment() is not None}
    readers, opened = [], []
    try:
        for segment in toc.segments:
            reader = kept.get(segment.segment_id())
            if reader is not None and same_deletions(reader.segment(), segment):
                del kept[segment.segment_id()]
                reader._gen = toc.generation
            else:
                reader = SegmentReader(ix.storage, toc.schema, segment, generation=toc.generation)
                opened.append(reader)
            readers.append(reader)
    except BaseException:
        for reader in opened:
            reader.close()
        raise
    for reader in kept.values():
        reader.close()
    combined = readers[0] if len(readers) == 1 else MultiReader(readers, generation=toc.generation)
    return Searcher(combined, fromindex=ix)


def same_deletions(old_segment, new_segment) -> bool:
    """Return True if two tables of contents' entries for one segment delete the same documents."""
    if old_segment.deleted_count() != new_segment.deleted_count():
        return False
    return not new_segment.has_deletions() or set(old_segment.deleted_docs()) == set(new_segment.deleted_docs())
