"""Read whatever a user typed into words, phrases and exclusions, and the Whoosh clauses for them.

Users never reach Whoosh's own query syntax: every clause is built here from analyzed words, so
`title:x`, `AND OR NOT`, stray quotes or control characters are just text. Question filler (怎么,
如何 …) and lone single characters are kept apart: they never make a match on their own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from whoosh.query import Term

from portal.search.analysis import FILLER, is_cjk, normalize, segment
from portal.search.engine import TEXT
from portal.search.phrase import OffsetPhrase

MAX_QUERY_CHARS = 200
MAX_CLAUSES = 24
OPERATOR_WORDS = {"and", "or", "not"}
QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "「": '"', "」": '"', "『": '"', "』": '"',
                        "＂": '"', "‘": "'", "’": "'"})
_CHUNK = re.compile(r'"([^"]*)"|(\S+)')
_EXCLUDE_PREFIX = ("-", "－", "—")
# Spaces a reader puts between Chinese words of a phrase ("阳光 票决") are not in the text itself.
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")


@dataclass
class ParsedQuery:
    """The meaningful parts of a query: words and phrases to find, and those to exclude."""

    text: str = ""
    words: list[str] = field(default_factory=list)
    phrases: list[list[tuple[str, int]]] = field(default_factory=list)
    excluded: list[list[tuple[str, int]]] = field(default_factory=list)
    # Single characters (村, 好): they add to a score but never make a match on their own.
    weak: list[str] = field(default_factory=list)
    filler: list[str] = field(default_factory=list)
    # Which whitespace-separated chunk each word came from: a chunk is one thing the reader asked.
    chunk_of: dict[str, int] = field(default_factory=dict)
    # Words and single characters in the order typed (a synonym may span them: 老 + 娘舅).
    sequence: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.phrases)

    def highlight_terms(self) -> list[str]:
        """Return the strings to mark in snippets: words, and phrases as whole strings."""
        terms = list(self.words)
        for phrase in self.phrases:
            terms.append(phrase_text(phrase))
        return terms


def phrase_text(phrase: list[tuple[str, int]]) -> str:
    """Rebuild the normalized phrase string from its words and offsets."""
    text = ""
    for word, offset in phrase:
        text = text[:offset].ljust(offset) + word
    return text


def clean(raw: str) -> str:
    """Drop control and formatting characters, unify quotes, cap the length."""
    kept = []
    for char in raw or "":
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs", "Co", "Cn"):
            kept.append(" ")
        else:
            kept.append(char)
    return "".join(kept).translate(QUOTES).strip()[:MAX_QUERY_CHARS]


def parse(raw: str) -> ParsedQuery:
    """Split a raw query into words, quoted phrases and -exclusions."""
    text = clean(raw)
    parsed = ParsedQuery(text=text)
    if text.count('"') % 2:
        # An unbalanced quote: ignore the last one rather than swallow the rest of the query.
        cut = text.rfind('"')
        text = text[:cut] + " " + text[cut + 1:]
    for number, match in enumerate(_CHUNK.finditer(text)):
        quoted, bare = match.group(1), match.group(2)
        add_chunk(parsed, quoted if quoted is not None else bare, quoted is not None, number)
        if len(parsed.words) + len(parsed.phrases) >= MAX_CLAUSES:
            break
    promote_if_nothing_else(parsed)
    parsed.words = list(dict.fromkeys(parsed.words))[:MAX_CLAUSES]
    parsed.weak = [word for word in dict.fromkeys(parsed.weak) if word not in parsed.words]
    parsed.sequence = list(dict.fromkeys(parsed.sequence))[:2 * MAX_CLAUSES]
    return parsed


def promote_if_nothing_else(parsed: ParsedQuery) -> None:
    """A query of only single characters (or only filler) searches for them after all."""
    if parsed.is_empty:
        parsed.words, parsed.weak = parsed.weak or parsed.filler, []
        parsed.sequence = parsed.sequence or list(parsed.words)


def add_chunk(parsed: ParsedQuery, chunk: str, quoted: bool, number: int = 0) -> None:
    """Add one whitespace-separated chunk (or quoted phrase) to the parsed query."""
    negative = not quoted and chunk.startswith(_EXCLUDE_PREFIX) and len(chunk) > 1
    if negative:
        chunk = chunk.lstrip("".join(_EXCLUDE_PREFIX))
    if quoted:
        chunk = _CJK_SPACE.sub("", chunk)
    words = [(word, offset) for word, offset in segment(normalize(chunk)) if word not in OPERATOR_WORDS]
    if not words:
        return
    if negative:
        parsed.excluded.append(words)
    elif quoted and len(words) > 1:
        first = words[0][1]
        parsed.phrases.append([(word, offset - first) for word, offset in words])
    else:
        for word in join_single_characters(words):
            word = word[0] if is_colloquial_place(word) else word
            kind = parsed.filler if word in FILLER else parsed.weak if is_single(word) else parsed.words
            kind.append(word)
            parsed.chunk_of.setdefault(word, number)
            if kind is not parsed.filler:
                parsed.sequence.append(word)


def is_colloquial_place(word: str) -> bool:
    """Return True for 村里, 县里, 家里: a single character's place, which the text writes otherwise."""
    return len(word) == 2 and word[1] == "里" and is_cjk(word[0])


def is_single(word: str) -> bool:
    return len(word) == 1 and is_cjk(word)


def join_single_characters(words: list[tuple[str, int]]) -> list[str]:
    """Rejoin runs of adjacent single characters jieba could not place (十台 → 十, 台) into one word."""
    joined: list[list] = []
    for word, offset in words:
        previous = joined[-1] if joined else None
        if previous and is_single(word) and previous[2] and previous[1] + len(previous[0]) == offset:
            previous[0] += word
        else:
            joined.append([word, offset, is_single(word)])
    return [word for word, _offset, _single in joined]


def word_clause(word: str):
    """Match a word anywhere in a case's searchable text."""
    return Term(TEXT, word)


def phrase_clause(phrase: list[tuple[str, int]]):
    """Match the phrase's words at their offsets from each other."""
    return OffsetPhrase(TEXT, [word for word, _ in phrase], [offset for _, offset in phrase])


def exclusion_clause(words: list[tuple[str, int]]):
    if len(words) == 1:
        return word_clause(words[0][0])
    first = words[0][1]
    return phrase_clause([(word, offset - first) for word, offset in words])
