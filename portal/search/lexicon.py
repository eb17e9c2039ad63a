"""Lookups in the index's own word list: the indexed words containing a word, or sharing its head."""

from __future__ import annotations

from portal.search.analysis import is_cjk
from portal.search.engine import TEXT
from portal.search.state import memo


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
    """Return up to `limit` indexed words that contain `word` (at C speed over the joined lexicon)."""
    if len(word) < 2:
        return []
    lexicon = words_text(searcher)
    found, start = [], lexicon.find(word)
    while start != -1 and len(found) < limit:
        begin, end = lexicon.rfind("\n", 0, start) + 1, lexicon.find("\n", start)
        if lexicon[begin:end] != word:
            found.append(lexicon[begin:end])
        start = lexicon.find(word, end)
    return found


def words_text(searcher) -> str:
    """Return the index's words, one a line between newlines (once per index generation)."""
    return memo(searcher, "lexicon", lambda: "\n" + "\n".join(searcher.reader().field_terms(TEXT)) + "\n")
