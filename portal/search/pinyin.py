"""Pinyin typed without switching the input method, read as the names, tags and places it spells.

The spellings come from the index's own vocabulary (practice names in titles, tags, places, areas and
the domain dictionary), so "yangguangpiaojue", "yang guang piao jue" and "ygpjz" each find 阳光票决制.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice, product

from pypinyin import Style, lazy_pinyin, pinyin

from portal.search.analysis import is_cjk

# Spelling initials of fewer letters than this match too much to be read as pinyin.
MIN_INITIALS = 2
MAX_CANDIDATES = 3
# Letters a reader has typed of a longer spelling ("yangguangpiaojue" of 阳光票决制) count from here;
# initials, from three letters ("ygpj" of 阳光票决制).
MIN_PREFIX = 6
MIN_INITIALS_PREFIX = 3
# Readings tried per term when characters have several (了: le, liao).
MAX_READINGS = 8
_LETTERS = re.compile(r"^[a-z]+$")


@lru_cache(maxsize=50_000)
def spell(term: str) -> tuple[str, str]:
    """Return the term's full pinyin and its initials, without tones or spaces (景宁 → jingning, jn)."""
    syllables = lazy_pinyin(term, style=Style.NORMAL, errors="ignore")
    return "".join(syllables), "".join(syllable[0] for syllable in syllables if syllable)


@dataclass
class Spelling:
    """The vocabulary by full pinyin and by initials, most frequent term first."""

    full: dict[str, list[str]] = field(default_factory=dict)
    initials: dict[str, list[str]] = field(default_factory=dict)
    longest: int = 0

    def terms_for(self, letters: str) -> list[str]:
        """Return the terms `letters` spells in full, or else abbreviates by initials."""
        found = self.full.get(letters) or (self.initials.get(letters) if len(letters) >= MIN_INITIALS else None)
        return list(found or [])[:MAX_CANDIDATES]

    def starting(self, letters: str) -> list[str]:
        """Return the terms whose full spelling (or initials) starts with `letters`, shortest first."""
        table = self.full if len(letters) >= MIN_PREFIX else self.initials
        if len(letters) < MIN_INITIALS_PREFIX:
            return []
        keys = sorted((key for key in table if key.startswith(letters)), key=len)
        return list(dict.fromkeys(term for key in keys for term in table[key]))[:MAX_CANDIDATES]

    def split(self, letters: str) -> list[str] | None:
        """Split run-together full pinyin into the fewest known spellings (jingningwangge → jingning, wangge)."""
        best: list[list[str] | None] = [None] * (len(letters) + 1)
        best[0] = []
        for end in range(1, len(letters) + 1):
            for start in range(max(0, end - self.longest), end):
                piece = letters[start:end]
                if best[start] is not None and piece in self.full:
                    candidate = [*best[start], piece]
                    if best[end] is None or len(candidate) < len(best[end]):
                        best[end] = candidate
        return best[-1] if best[-1] and len(best[-1]) > 1 else None


@lru_cache(maxsize=50_000)
def readings(term: str) -> tuple[tuple[str, str], ...]:
    """Return every (full pinyin, initials) the term may be read as, the likeliest first."""
    choices = pinyin(term, style=Style.NORMAL, heteronym=True, errors="ignore")
    found = [spell(term)]
    for syllables in islice(product(*choices), MAX_READINGS):
        found.append(("".join(syllables), "".join(syllable[0] for syllable in syllables if syllable)))
    return tuple(dict.fromkeys(found))


def build(terms) -> Spelling:
    """Return the spelling tables of the given Chinese terms (earlier terms rank first)."""
    spelling = Spelling()
    for term in dict.fromkeys(terms):
        if len(term) < 2 or not all(is_cjk(char) for char in term):
            continue
        for full, initials in readings(term):
            spelling.full.setdefault(full, []).append(term)
            spelling.initials.setdefault(initials, []).append(term)
            spelling.longest = max(spelling.longest, len(full))
    return spelling


def is_letters(word: str) -> bool:
    return bool(_LETTERS.match(word))


def read_words(words: list[str], spelling: Spelling) -> list:
    """Return the query words, each plain word as itself and pinyin as (typed, [Chinese terms]).

    Consecutive letter words are first tried together ("yang guang piao jue"), then one by one.
    """
    groups: list = []
    index = 0
    while index < len(words):
        end = index
        while end < len(words) and is_letters(words[end]):
            end += 1
        if end == index:
            groups.append(words[index])
            index += 1
            continue
        groups.extend(read_letters(words[index:end], spelling))
        index = end
    return groups


def read_letters(run: list[str], spelling: Spelling) -> list:
    """Read a run of letter words as pinyin: all together if they spell something, else each alone."""
    together = "".join(run)
    whole = spelled(together, spelling)
    if len(run) > 1 and whole:
        return whole
    groups: list = []
    for word in run:
        groups.extend(spelled(word, spelling) or [word])
    return groups


def spelled(letters: str, spelling: Spelling) -> list:
    """Return [(typed, terms), …] for what `letters` spells (one group, or several when run together)."""
    terms = spelling.terms_for(letters)
    if terms:
        return [(letters, terms)]
    pieces = spelling.split(letters)
    if pieces:
        return [(piece, spelling.full[piece][:MAX_CANDIDATES]) for piece in pieces]
    started = spelling.starting(letters)
    return [(letters, started)] if started else []
