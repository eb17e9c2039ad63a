"""Suggest as you type: practice names, tags, places and case titles starting with, or holding, what was typed.

The completions come from the published cases and are kept in sorted key arrays (Chinese text, full
pinyin, pinyin initials) searched by bisection, so a request costs a look at the search index's
generation and a binary search, whatever the library's size. Matches inside a name (票决 in 阳光票决制,
piaojue in yangguangpiaojue) come from a second pair of arrays holding every key's inner suffixes (each
character's for Chinese, each syllable's for pinyin) and are listed after the names that start so. The arrays are rebuilt when that
generation moves (every published change reaches the index through the outbox), once per process.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import re
import threading
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from flask import current_app
from pypinyin import Style, lazy_pinyin, pinyin
from sqlalchemy import func, select

from portal.cases.models import Case, Region, Tag, case_tags
from portal.extensions import db
from portal.search import engine, state
from portal.search.analysis import normalize

LIMIT = 8
MAX_QUERY_CHARS = 40
# Completions of the same prefix are shown in this order of kinds, then by how many cases use them.
KINDS = ("practice", "tag", "place", "case")
KIND_LABELS = {"practice": "做法", "tag": "标签", "place": "地点", "case": "案例"}
CONTEXT_PINYIN_CHARS = 12
MAX_READINGS = 8
_QUOTED = re.compile(r"[\"“”「」『』'‘’]([^\"“”「」『』'‘’]{2,20})[\"“”「」『』'‘’]")
_NOT_KEY = re.compile(r"[\s\"“”「」『』'‘’《》()（）、，,.。:：;；!！?？+＋-]")
_PINYIN_QUERY = re.compile(r"^[a-z][a-z' ]*$")
CACHE_NAME = "completion"  # in the app's search state
# Up to this many completions the index is rebuilt inline; above, in a background thread.
INLINE_REBUILD_LIMIT = 2000
log = logging.getLogger(__name__)
MEMO_LIMIT = 4096
# What must be typed before names holding it (not starting with it) are suggested too.
MIN_INNER_CHARS = 2
MIN_INNER_LETTERS = 4


@dataclass(frozen=True)
class Completion:
    """One suggestion: the text to search for (or the case to open)."""

    text: str
    kind: str
    count: int = 1
    slug: str | None = None

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    def rank(self) -> tuple:
        return (KINDS.index(self.kind), -self.count, len(self.text), self.text)


@dataclass
class CompletionIndex:
    """Sorted (key, completion number) pairs for Chinese and for pinyin prefixes."""

    signature: tuple = ()
    completions: list[Completion] = field(default_factory=list)
    chinese: list[tuple[str, int]] = field(default_factory=list)
    pinyin: list[tuple[str, int]] = field(default_factory=list)
    # The keys' inner suffixes (from the second character, or the second syllable, on).
    chinese_inner: list[tuple[str, int]] = field(default_factory=list)
    pinyin_inner: list[tuple[str, int]] = field(default_factory=list)
    memo: dict[tuple[str, bool], list[Completion]] = field(default_factory=dict)

    def lookup(self, query: str, limit: int = LIMIT) -> list[Completion]:
        """Return up to `limit` completions of `query` (Chinese characters or pinyin): names starting
        with it first, then names holding it."""
        key, is_pinyin = query_key(query)
        if not key:
            return []
        memo_key = (key, is_pinyin)
        if memo_key not in self.memo:
            if len(self.memo) >= MEMO_LIMIT:
                self.memo.clear()
            self.memo[memo_key] = [self.completions[number] for number in self.best(key, is_pinyin)]
        return self.memo[memo_key][:limit]

    def best(self, key: str, is_pinyin: bool) -> list[int]:
        """Return the numbers of the best completions (numbered best first: the smallest win)."""
        starting = heapq.nsmallest(LIMIT, prefix_range(self.pinyin if is_pinyin else self.chinese, key))
        if len(starting) >= LIMIT or len(key) < (MIN_INNER_LETTERS if is_pinyin else MIN_INNER_CHARS):
            return starting
        inner = prefix_range(self.pinyin_inner if is_pinyin else self.chinese_inner, key) - set(starting)
        return starting + heapq.nsmallest(LIMIT - len(starting), inner)


def prefix_range(pairs: list[tuple[str, int]], prefix: str) -> set[int]:
    """Return the completion numbers of every key starting with `prefix` (two bisections)."""
    start = bisect_left(pairs, (prefix,))
    end = bisect_left(pairs, (prefix + "\U0010ffff",), start)
    return {number for _, number in pairs[start:end]}


def text_key(text: str) -> str:
    """The text as completion keys store it: normalized, without spaces, quotes or punctuation."""
    return _NOT_KEY.sub("", normalize(text))


def query_key(query: str) -> tuple[str, bool]:
    """Return (key, is_pinyin) for what the reader has typed so far."""
    folded = normalize(query.strip()[:MAX_QUERY_CHARS])
    if _PINYIN_QUERY.match(folded):
        return re.sub(r"[' ]", "", folded), True
    return text_key(folded), False


@lru_cache(maxsize=1 << 16)
def char_pinyin(char: str) -> str:
    return lazy_pinyin(char)[0].lower()


@lru_cache(maxsize=1 << 14)
def word_readings(text: str) -> tuple[tuple[str, ...], ...]:
    """Readings of a short text: in context first (重庆 → chong qing), then other readings of its
    characters (民事村了 is typed minshicunliao as often as pypinyin's minshicunle), a few at most."""
    choices = [[reading.lower() for reading in readings[:2]] for readings in pinyin(text, heteronym=True, style=Style.NORMAL)]
    first = tuple(syllable.lower() for syllable in lazy_pinyin(text))
    return tuple(dict.fromkeys([first, *itertools.islice(itertools.product(*choices), MAX_READINGS)]))


def key_syllables(key: str) -> list[list[str]]:
    """Return the key's likely readings, each as its list of pinyin syllables."""
    readings = word_readings(key) if len(key) <= CONTEXT_PINYIN_CHARS else (tuple(map(char_pinyin, key)),)
    return [[syllable for syllable in syllables if syllable.isascii() and syllable.isalnum()]
            for syllables in readings]


def pinyin_keys(key: str) -> set[str]:
    """Return the full pinyin and the initials of a key (every likely reading of a short text)."""
    keys = set()
    for syllables in key_syllables(key):
        keys.update(("".join(syllables), "".join(syllable[0] for syllable in syllables)))
    return keys - {""}


def inner_pinyin_keys(key: str) -> set[str]:
    """Return the full pinyin of the key from each later syllable on (piaojuezhi of 阳光票决制)."""
    return {"".join(syllables[start:]) for syllables in key_syllables(key) for start in range(1, len(syllables))}


def inner_keys(key: str) -> list[str]:
    """Return the key from each later character on (票决制 of 阳光票决制)."""
    return [key[start:] for start in range(1, len(key) - MIN_INNER_CHARS + 1)]


def build(signature: tuple, completions: list[Completion]) -> CompletionIndex:
    """Index every completion under its Chinese key, its full pinyin and its pinyin initials, and
    under the inner suffixes of its Chinese key and (names, not long titles) of its full pinyin."""
    completions = sorted(completions, key=Completion.rank)
    index = CompletionIndex(signature=signature, completions=completions)
    for number, completion in enumerate(completions):
        key = text_key(completion.text)
        if not key:
            continue
        index.chinese.append((key, number))
        index.pinyin.extend((reading, number) for reading in pinyin_keys(key))
        index.chinese_inner.extend((inner, number) for inner in inner_keys(key))
        if len(key) <= CONTEXT_PINYIN_CHARS:
            index.pinyin_inner.extend((inner, number) for inner in inner_pinyin_keys(key)
                                      if len(inner) >= MIN_INNER_LETTERS)
    for pairs in (index.chinese, index.pinyin, index.chinese_inner, index.pinyin_inner):
        pairs.sort()
    return index


# --- where the completions come from -----------------------------------------------------------

PUBLISHED = Case.status == "published"


def index_generation() -> tuple:
    """Return the live search index's generation: it moves whenever published content changes."""
    try:
        return ("generation", engine.generation(state.current().open_index()))
    except Exception:  # no index yet: the first search builds it, and its generation then differs
        return ("no-index",)


def published_completions() -> list[Completion]:
    """Return every completion the published cases offer: practices, tags, places and titles."""
    titles = db.session.execute(select(Case.slug, Case.title).where(PUBLISHED)).all()
    places = db.session.execute(select(Case.place, func.count(Case.id)).where(PUBLISHED, Case.place != "")
                                .group_by(Case.place)).all()
    tags = db.session.execute(select(Tag.name, func.count(Case.id)).join(case_tags, case_tags.c.tag_id == Tag.id)
                              .join(Case, Case.id == case_tags.c.case_id).where(PUBLISHED)
                              .group_by(Tag.name)).all()
    regions = db.session.scalars(select(Region.name)).all()
    practices: dict[str, int] = {}
    for _, title in titles:
        for name in dict.fromkeys(_QUOTED.findall(title or "")):
            practices[name] = practices.get(name, 0) + 1
    return ([Completion(name, "practice", count) for name, count in practices.items()]
            + [Completion(name, "tag", count) for name, count in tags]
            + [Completion(place, "place", count) for place, count in places if place]
            + [Completion(name, "place", 1) for name in regions if name]
            + [Completion(title, "case", 1, slug) for slug, title in titles if title])


class CompletionCache:
    """The app's completion index, rebuilt when the search index's generation moves.

    A large library is rebuilt in a background thread while requests keep using the previous
    completions (a second or two at 10k cases), so no reader waits for it.
    """

    def __init__(self):
        self.index = CompletionIndex()
        self.lock = threading.Lock()
        self.building: tuple | None = None

    def current(self) -> CompletionIndex:
        signature = index_generation()
        if signature == self.index.signature:
            return self.index
        if len(self.index.completions) < INLINE_REBUILD_LIMIT:
            with self.lock:
                if signature != self.index.signature:
                    self.index = build(signature, unique(published_completions()))
        elif self.building != signature:
            self.start_background_build(current_app._get_current_object(), signature)
        return self.index

    def start_background_build(self, app, signature: tuple) -> None:
        self.building = signature

        def run():
            try:
                with app.app_context():
                    self.index = build(signature, unique(published_completions()))
                    db.session.remove()
            except Exception:
                log.exception("rebuilding the suggestion index failed")
                self.building = None

        threading.Thread(target=run, name="suggest-build", daemon=True).start()


def unique(completions: list[Completion]) -> list[Completion]:
    """Keep one completion per text, of the kind listed first (平安报表 the practice, not the tag)."""
    seen: dict[str, Completion] = {}
    for completion in completions:
        seen.setdefault(text_key(completion.text), completion)
    return list(seen.values())


def complete(query: str, limit: int = LIMIT) -> list[Completion]:
    """Return up to `limit` completions for what the reader has typed so far."""
    return state.current().cache(CACHE_NAME, CompletionCache).current().lookup(query, limit)
