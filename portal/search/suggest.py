"""'Did you mean': a known term that sounds the same, is one character off, or is close, and finds cases.

Known terms are the index's own vocabulary: practice names in titles, tags, places, areas and the
domain dictionary, plus the indexed words sharing the typed word's first character.
"""

from __future__ import annotations

import difflib
from functools import lru_cache

from flask import has_app_context

from portal.search import pinyin, state
from portal.search.analysis import dictionary_words, normalize, segment
from portal.search.engine import TEXT
from portal.search.parsing import ParsedQuery, phrase_text
from portal.search.state import memo

MAX_PREFIX_TERMS = 2000


@lru_cache(maxsize=1)
def dictionary_vocabulary() -> tuple[str, ...]:
    return tuple(dict.fromkeys(normalize(word) for word in dictionary_words() if len(word) >= 2))


def vocabulary(searcher, table: dict) -> list[str]:
    """Return the known terms: names, tags, places and areas of the indexed cases, then the dictionary."""
    return memo(searcher, "vocabulary", lambda: known_terms(table))


@lru_cache(maxsize=100_000)
def normalized(term: str) -> str:
    """normalize() of a name, tag or place, remembered: the same few thousand recur in every generation."""
    return normalize(term)


def known_terms(table: dict) -> list[str]:
    words: dict[str, None] = {}
    for row in table.values():
        words.update(dict.fromkeys(map(normalized, (*row.names, *row.tags, *row.region_names))))
        words[normalized(row.area_name)] = None
    for row in table.values():
        words.update(dict.fromkeys(row.title_words))
    words.update(dict.fromkeys(dictionary_vocabulary()))
    return [word for word in words if len(word) >= 2]


def spelling(searcher, table: dict) -> pinyin.Spelling:
    """Return the pinyin tables of the known terms (once per index generation)."""
    return memo(searcher, "spelling", lambda: spelling_of(vocabulary(searcher, table)))


def spelling_of(terms: list[str]) -> pinyin.Spelling:
    """Return the terms' pinyin tables, reused from the previous generation when its terms were the
    same (a publish seldom changes them; rebuilding took ~0.5 s of CPU at 10k cases)."""
    if not has_app_context():
        return pinyin.build(terms)
    last = state.current().cache("last_spelling", dict)
    key = tuple(terms)
    found = last.get("tables")
    if found is not None and found[0] == key:
        return found[1]
    built = pinyin.build(terms)
    last["tables"] = (key, built)
    return built


def findable(searcher, text: str) -> bool:
    """Return True if every word of `text` occurs in some document."""
    words = [word for word, _ in segment(text)]
    if not words:
        return False
    reader = searcher.reader()
    return all((TEXT, word) in reader for word in words)


def one_off(word: str, other: str) -> bool:
    """Return True if `other` differs from `word` in exactly one character (same length)."""
    return len(other) == len(word) and sum(a != b for a, b in zip(word, other, strict=True)) == 1


def indexed_near(searcher, word: str) -> list[str]:
    """Return indexed words of the same length and first character (candidates one character off)."""
    reader = searcher.reader()
    found = []
    for term in reader.expand_prefix(TEXT, word[0]):
        term = term.decode("utf-8") if isinstance(term, bytes) else term
        if len(term) == len(word):
            found.append(term)
        if len(found) >= MAX_PREFIX_TERMS:
            break
    return found


def sound_or_letter(searcher, word: str, table: dict) -> list[str]:
    """Return known terms that sound like `word` or (three characters or more) are one character off."""
    if len(word) < 2:
        return []
    known = vocabulary(searcher, table)
    sound = pinyin.spell(word)[0]
    same_sound = [term for term in spelling(searcher, table).full.get(sound, []) if term != word] if sound else []
    nearby = [term for term in known + indexed_near(searcher, word) if one_off(word, term)] if len(word) > 2 else []
    same_sound += [term for term in nearby if pinyin.spell(term)[0] == sound and term not in same_sound]
    ordered = dict.fromkeys([*same_sound, *[t for t in nearby if t in known], *nearby])
    return [term for term in ordered if term != word and findable(searcher, term)]


def corrections(searcher, word: str, table: dict) -> list[str]:
    """Return known terms the reader may have meant by `word`: same sound, one character off, close."""
    if len(word) < 2:
        return []
    close = difflib.get_close_matches(word, vocabulary(searcher, table), n=5, cutoff=0.6)
    found = sound_or_letter(searcher, word, table)
    return list(dict.fromkeys([*found, *(term for term in close if term != word and findable(searcher, term))]))


def suggest(searcher, parsed: ParsedQuery, table: dict, found_some: bool = False) -> str | None:
    """Return a known term that sounds like the whole query; when nothing was found, else the query
    with its unknown words corrected, else a close known term."""
    typed = "".join(parsed.words + [phrase_text(phrase) for phrase in parsed.phrases])
    # Same-sounding known terms come first among sound_or_letter's (and a close term that sounds
    # the same is one of them), so the costly close-match scan waits until nothing was found.
    alike = sound_or_letter(searcher, typed, table)[:1]
    if alike and pinyin.spell(alike[0])[0] == pinyin.spell(typed)[0]:
        return alike[0]
    if found_some:  # partial matches are shown: only a same-sounding query is worth proposing
        return None
    whole = corrections(searcher, typed, table)[:1]
    return corrected_words(searcher, parsed.words, table) or (whole[0] if whole else None)


def corrected_words(searcher, words: list[str], table: dict) -> str | None:
    """Replace each word no document contains with its likeliest correction."""
    reader = searcher.reader()
    changed, output = False, []
    for word in words:
        if (TEXT, word) in reader:
            output.append(word)
            continue
        close = corrections(searcher, word, table)
        if close:
            output.append(close[0])
            changed = True
    return " ".join(output) if changed and output else None
