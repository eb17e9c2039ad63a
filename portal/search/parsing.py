"""Read whatever a user typed into words, phrases and exclusions, then build Whoosh queries from them.

Users never reach Whoosh's own query syntax: every clause is built here from analyzed words, so
`title:x`, `AND OR NOT`, stray quotes or control characters are just text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from whoosh.query import And, AndNot, Or, Term

from portal.search.analysis import normalize, segment
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
    # The words grouped with their synonyms (portal.search.synonyms.expand); empty: no synonyms applied.
    concepts: list = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.phrases)

    def highlight_terms(self) -> list[str]:
        """Return the strings to mark in snippets: words, and phrases as whole strings."""
        terms = list(self.words)
        for concept in self.concepts:
            terms.extend(concept.synonyms)
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
    for match in _CHUNK.finditer(text):
        quoted, bare = match.group(1), match.group(2)
        add_chunk(parsed, quoted if quoted is not None else bare, quoted is not None)
        if len(parsed.words) + len(parsed.phrases) >= MAX_CLAUSES:
            break
    parsed.words = list(dict.fromkeys(parsed.words))[:MAX_CLAUSES]
    return parsed


def add_chunk(parsed: ParsedQuery, chunk: str, quoted: bool) -> None:
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
        parsed.words.extend(word for word, _ in words)


def word_clause(word: str):
    """Match a word anywhere in a case's searchable text."""
    return Term(TEXT, word)


def phrase_clause(phrase: list[tuple[str, int]]):
    """Match the phrase's words at their offsets from each other."""
    return OffsetPhrase(TEXT, [word for word, _ in phrase], [offset for _, offset in phrase])


def positive_clauses(parsed: ParsedQuery) -> list:
    return [word_clause(word) for word in parsed.words] + [phrase_clause(p) for p in parsed.phrases]


def build(parsed: ParsedQuery, require_all: bool = True):
    """Return the Whoosh query: all words required (AND) or any (the fallback), minus exclusions."""
    clauses = positive_clauses(parsed)
    query = (And(clauses) if require_all else Or(clauses)) if len(clauses) > 1 else clauses[0]
    if parsed.excluded:
        query = AndNot(query, Or([exclusion_clause(words) for words in parsed.excluded]))
    return query


def exclusion_clause(words: list[tuple[str, int]]):
    if len(words) == 1:
        return word_clause(words[0][0])
    first = words[0][1]
    return phrase_clause([(word, offset - first) for word, offset in words])
