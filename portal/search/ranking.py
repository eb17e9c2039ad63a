"""Matching and BM25 ranking straight from the postings of the one text field.

Whoosh's matcher trees score every candidate through several layers of Python objects; reading each
query word's postings once (block by block) gives both the matching documents (set operations at C
speed) and the term weights for BM25, several times faster. Phrases still use Whoosh's span
matching (portal.search.phrase); their words are scored like other words.
"""

from __future__ import annotations

import heapq

from whoosh.matching.wrappers import FilterMatcher

from portal.search.engine import TEXT
from portal.search.parsing import ParsedQuery, exclusion_clause, phrase_clause

B, K1 = 0.75, 1.2  # Whoosh's BM25F defaults


def document_lengths(snapshot) -> list[int]:
    """Return the text field's length of every document (by docnum) in the snapshot's generation."""
    return snapshot.memo("lengths", lambda: read_lengths(snapshot))


def read_lengths(snapshot) -> list[int]:
    lengths: list[int] = []
    for segment_reader, offset in snapshot.searcher.reader().leaf_readers():
        lengths[offset:] = snapshot.per_segment("lengths", segment_reader, lambda r=segment_reader: segment_lengths(r))
    return lengths


def segment_lengths(segment_reader) -> list[int]:
    """Return the text field's length of every document in a segment."""
    return [segment_reader.doc_field_length(docnum, TEXT, 1) for docnum in range(segment_reader.doc_count_all())]


def leaf_postings(matcher, offset: int, deleted: set, into: dict) -> None:
    """Add one segment's postings {global docnum: weight} to `into`, a block at a time."""
    raw = matcher.child if isinstance(matcher, FilterMatcher) else matcher
    if not hasattr(raw, "_read_ids"):  # another codec: step through it the slow, public way
        while raw.is_active():
            if raw.id() not in deleted:
                into[offset + raw.id()] = raw.weight()
            raw.next()
        return
    while raw.is_active():
        raw._read_ids()
        raw._read_weights()
        for docnum, weight in zip(raw._ids, raw._weights, strict=False):
            if docnum not in deleted:
                into[offset + docnum] = weight
        raw._next_block()


def term_postings(searcher, word: str) -> dict[int, float]:
    """Return {docnum: weighted term frequency} of `word` over the live documents."""
    found: dict[int, float] = {}
    for segment_reader, offset in searcher.reader().leaf_readers():
        if (TEXT, word) not in segment_reader:
            continue
        deleted = segment_reader.deleted_docs_set if segment_reader.has_deletions() else set()
        leaf_postings(segment_reader.postings(TEXT, word), offset, deleted or set(), found)
    return found


def scoring_words(parsed: ParsedQuery) -> list[str]:
    words = list(parsed.words)
    for concept in parsed.concepts:
        for alternative in concept.alternatives:
            words.extend(alternative)
    for phrase in parsed.phrases:
        words.extend(word for word, _ in phrase)
    return list(dict.fromkeys(words))


def matching_docs(searcher, parsed: ParsedQuery, postings: dict, require_all: bool) -> set[int]:
    """Return the documents with all (or any) of the query's words and phrases, minus exclusions."""
    if parsed.concepts:
        sets = [concept_docs(concept, postings) for concept in parsed.concepts]
    else:
        sets = [set(postings[word]) for word in parsed.words]
    sets += [set(phrase_clause(phrase).docs(searcher)) for phrase in parsed.phrases]
    if not sets:
        return set()
    docs = set.intersection(*sets) if require_all else set.union(*sets)
    for excluded in parsed.excluded:
        if docs:
            docs -= set(exclusion_clause(excluded).docs(searcher))
    return docs


def concept_docs(concept, postings: dict) -> set[int]:
    """Return the documents with all the words of any one of the concept's wordings."""
    docs: set[int] = set()
    for words in concept.alternatives:
        docs |= set.intersection(*(set(postings.get(word, ())) for word in words))
    return docs


def bm25_scores(snapshot, postings: dict, docs: set[int]) -> dict[int, float]:
    """Return the BM25 score of each document in `docs` over the query words' postings."""
    searcher = snapshot.searcher
    average = searcher.avg_field_length(TEXT, 1.0) or 1.0
    lengths = document_lengths(snapshot)
    scores: dict[int, float] = dict.fromkeys(docs, 0.0)
    for word, weights in postings.items():
        idf = searcher.idf(TEXT, word)
        for docnum, weight in weights.items():
            if docnum in scores:
                length = lengths[docnum]
                scores[docnum] += idf * weight * (K1 + 1) / (weight + K1 * (1 - B + B * length / average))
    return scores


def top(scores: dict[int, float], count: int) -> list[tuple[int, float]]:
    """Return the `count` best (docnum, score) pairs, ties broken by docnum."""
    return heapq.nlargest(count, scores.items(), key=lambda item: (item[1], -item[0]))
