"""Lookups in the index's own word list: the indexed words containing a word, or sharing its head."""

from __future__ import annotations

from portal.search.analysis import is_cjk
from portal.search.engine import TEXT
from portal.search.ranking import segment_store
from portal.search.state import per_segment


def same_head(searcher, word: str, limit: int = 20) -> list[str]:
    """Return up to `limit` indexed words that begin with the unknown two-character `word`'s first
    character, its head morpheme (警察 → 警务, 警侨; 侨胞 → 侨团): a loose match, never a full one."""
    if len(word) != 2 or not all(map(is_cjk, word)):
        return []
    found = []
    for term in searcher.reader().expand_prefix(TEXT, word[0]):
        term = term.decode("utf-8") if isinstance(term, bytes) else term
        if len(term) == 2:
            found.append(term)
        if len(found) >= limit:
            break
    return found


def containing(searcher, word: str, limit: int = 20) -> list[str]:
    """Return up to `limit` indexed words that contain `word`, in the index's (sorted) order.

    Each segment's word list is searched at C speed as one string, kept while the segment lives: a
    publish adds a small segment, and only its list is new. A segment's first `limit` hits hold the
    whole index's first `limit`, so the lists are merged after the search, not before.
    """
    if len(word) < 2:
        return []
    found: set[str] = set()
    for segment_reader, _offset in searcher.reader().leaf_readers():
        found.update(words_containing(segment_words(segment_reader), word, limit))
    return sorted(found)[:limit]


def words_containing(lexicon: str, word: str, limit: int) -> list[str]:
    """Return the first `limit` lines of `lexicon` (newline-delimited) that contain `word`, not equal to it."""
    found, start = [], lexicon.find(word)
    while start != -1 and len(found) < limit:
        begin, end = lexicon.rfind("\n", 0, start) + 1, lexicon.find("\n", start)
        if lexicon[begin:end] != word:
            found.append(lexicon[begin:end])
        start = lexicon.find(word, end)
    return found


def segment_words(segment_reader) -> str:
    """Return one segment's words, one a line between newlines (once per segment; from the segment's
    postings store if it has one: a tenth of the time of walking Whoosh's term table)."""
    def read() -> str:
        store = segment_store(segment_reader)
        if store is not None:
            return store.words(TEXT)
        return "\n" + "\n".join(segment_reader.field_terms(TEXT)) + "\n"

    return per_segment("lexicon", segment_reader, read)
