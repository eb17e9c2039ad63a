"""Phrase queries over character-offset positions: words that sit at fixed distances from each other."""

from __future__ import annotations

from whoosh import matching
from whoosh.query import Term
from whoosh.query.spans import Span, SpanNear2


class OffsetPhrase(SpanNear2):
    """Match documents where each word starts `offset` characters after the phrase's first word."""

    def __init__(self, fieldname: str, words: list[str], offsets: list[int], boost: float = 1.0):
        super().__init__([Term(fieldname, word) for word in words])
        self.fieldname = fieldname
        self.words = list(words)
        self.offsets = list(offsets)
        self.boost = boost

    def __repr__(self):
        return f"OffsetPhrase({self.fieldname!r}, {self.words!r}, {self.offsets!r})"

    def __eq__(self, other):
        return (isinstance(other, OffsetPhrase) and self.fieldname == other.fieldname
                and self.words == other.words and self.offsets == other.offsets)

    def __hash__(self):
        return hash((self.fieldname, tuple(self.words), tuple(self.offsets)))

    def apply(self, fn):
        return self

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        for word in self.words:
            if (self.fieldname, word) not in reader:
                return matching.NullMatcher()
        matchers = [query.matcher(searcher, context) for query in self.qs]
        length = self.offsets[-1] + len(self.words[-1])
        matcher = OffsetMatcher(matchers, self.offsets, length)
        if self.boost != 1.0:
            matcher = matching.WrappingMatcher(matcher, boost=self.boost)
        return matcher


class OffsetMatcher(SpanNear2.SpanNear2Matcher):
    """Keep the documents where every word occurs at its offset from a common start."""

    def __init__(self, ms, offsets, length):
        self.offsets = offsets
        self.length = length
        super().__init__(ms)

    def copy(self):
        return self.__class__([m.copy() for m in self.ms], self.offsets, self.length)

    def _replacement(self, newchild):
        return self

    def _get_spans(self):
        starts = {span.start - self.offsets[0] for span in self.ms[0].spans()}
        for matcher, offset in zip(self.ms[1:], self.offsets[1:], strict=True):
            starts &= {span.start - offset for span in matcher.spans()}
            if not starts:
                return []
        return [Span(start, start + self.length - 1) for start in sorted(starts)]
