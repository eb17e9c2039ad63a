"""'Did you mean': a close, known term (practice name, tag, dictionary word) that does find cases."""

from __future__ import annotations

import difflib
from functools import lru_cache

from portal.search.analysis import dictionary_words, normalize, segment
from portal.search.engine import TEXT
from portal.search.parsing import ParsedQuery, phrase_text


@lru_cache(maxsize=1)
def dictionary_vocabulary() -> tuple[str, ...]:
    return tuple(dict.fromkeys(normalize(word) for word in dictionary_words() if len(word) >= 2))


def vocabulary(snapshot, table: dict) -> list[str]:
    """Return the known terms: dictionary words, tags and the quoted practice names in titles."""
    return snapshot.memo("vocabulary", lambda: known_terms(table))


def known_terms(table: dict) -> list[str]:
    words = dict.fromkeys(dictionary_vocabulary())
    for row in table.values():
        words.update(dict.fromkeys(normalize(term) for term in row.tags + row.names))
    return list(words)


def findable(searcher, text: str) -> bool:
    """Return True if every word of `text` occurs in some document."""
    words = [word for word, _ in segment(text)]
    if not words:
        return False
    reader = searcher.reader()
    return all((TEXT, word) in reader for word in words)


def suggest(snapshot, parsed: ParsedQuery, table: dict, found_some: bool = False) -> str | None:
    """Return a close known term for the whole query, or (when nothing was found) the query with
    its unknown words corrected."""
    searcher = snapshot.searcher
    typed = "".join(parsed.words + [phrase_text(phrase) for phrase in parsed.phrases])
    known = vocabulary(snapshot, table)
    for candidate in difflib.get_close_matches(typed, known, n=5, cutoff=0.6):
        if candidate != typed and findable(searcher, candidate):
            return candidate
    return None if found_some else corrected_words(searcher, parsed.words, known)


def corrected_words(searcher, words: list[str], known: list[str]) -> str | None:
    """Replace each word no document contains with its closest known term."""
    reader = searcher.reader()
    changed, output = False, []
    for word in words:
        if (TEXT, word) in reader:
            output.append(word)
            continue
        close = [c for c in difflib.get_close_matches(word, known, n=3, cutoff=0.6) if findable(searcher, c)]
        if close:
            output.append(close[0])
            changed = True
    return " ".join(output) if changed and output else None
