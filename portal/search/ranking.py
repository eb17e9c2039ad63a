"""Postings and BM25 straight from the index, the one module that reads Whoosh's block internals.

Whoosh's matcher trees score every candidate through several layers of Python objects; reading each
query word's postings once (block by block) gives both the matching documents (set operations at C
speed) and the term weights for BM25, several times faster. The block reader is a private part of
whoosh-reloaded (pinned in pyproject.toml); tests/search/test_ranking.py holds these scores equal to
Whoosh's own BM25F and checks that the fast path is the one taken.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Collection, Iterator
from itertools import accumulate, islice
from pickle import loads

import numpy
from flask import has_app_context
from whoosh.matching.wrappers import FilterMatcher
from whoosh.system import _INT_SIZE

from portal.search import postings_store
from portal.search.engine import TEXT
from portal.search.postings_cache import BoundedCache, GenerationPostings, segment_layout
from portal.search.state import current, memo, per_segment, previous_value

B, K1 = 0.75, 1.2  # Whoosh's BM25F defaults
# Postings kept per index generation, counted in documents over all cached words (about 70 bytes
# each: ~20 MB, some 30 words in most cases at 10k cases).
CACHED_POSTINGS = 300_000


def document_lengths(searcher, fieldname: str = TEXT) -> numpy.ndarray:
    """Return a field's length in every document (by docnum) of the searcher's generation."""
    return memo(searcher, f"lengths:{fieldname}", lambda: read_lengths(searcher, fieldname))


def read_lengths(searcher, fieldname: str) -> numpy.ndarray:
    parts = [per_segment(f"lengths:{fieldname}", segment_reader,
                         lambda reader=segment_reader: segment_lengths(reader, fieldname))
             for segment_reader, _offset in searcher.reader().leaf_readers()]
    return numpy.concatenate(parts) if parts else numpy.zeros(0, dtype=numpy.int32)


def segment_lengths(segment_reader, fieldname: str = TEXT) -> numpy.ndarray:
    """Return a field's length in every document of a segment."""
    length = segment_reader.doc_field_length
    return numpy.fromiter((length(docnum, fieldname, 1) for docnum in range(segment_reader.doc_count_all())),
                          dtype=numpy.int32, count=segment_reader.doc_count_all())


def has_block_reader(matcher) -> bool:
    """Return True if the matcher reads whole blocks of ids and weights (Whoosh's W3 codec)."""
    raw = matcher.child if isinstance(matcher, FilterMatcher) else matcher
    return all(hasattr(raw, name) for name in ("_read_ids", "_read_weights", "_ids", "_weights", "_next_block"))


def leaf_postings(matcher, offset: int, deleted: set, into: dict) -> None:
    """Add one segment's postings {global docnum: weight} to `into`, a block at a time if possible."""
    raw = matcher.child if isinstance(matcher, FilterMatcher) else matcher
    if not has_block_reader(raw):
        public_postings(raw, offset, deleted, into)
        return
    while raw.is_active():
        read_block_ids(raw)
        raw._read_weights()
        ids = map(offset.__add__, raw._ids) if offset else raw._ids
        into.update(zip(ids, raw._weights, strict=False))  # at C speed, block by block
        raw._next_block()
    for docnum in deleted:
        into.pop(offset + docnum, None)


def field_postings(segment_reader, fieldname: str, docs: array, weights: array) -> Iterator[bytes]:
    """Yield each word of a field of one segment (sorted as bytes) after appending its postings,
    deleted documents included, to `docs` and `weights` (what the postings store is written from).

    Whoosh's W3 codec: each word's term info locates its blocks, and a block's data is (delta-coded
    ids, weights or None or one float, values); the block reader's _read_weights expands the weights.
    """
    postfile, format_ = segment_reader._terms._postfile, segment_reader.schema[fieldname].format
    for termbytes, terminfo in segment_reader.iter_field(fieldname):
        raw = segment_reader.codec().postings_reader(postfile, terminfo, format_, term=(fieldname, termbytes))
        if has_block_reader(raw):
            while raw.is_active():
                read_block_ids(raw)
                docs.extend(raw._ids)
                raw._read_weights()
                weights.extend(raw._weights)
                raw._next_block()
        else:  # inlined postings
            for docnum, weight in public_postings_items(raw):
                docs.append(docnum)
                weights.append(weight)
        yield termbytes


def public_postings_items(matcher) -> Iterator[tuple[int, float]]:
    while matcher.is_active():
        yield matcher.id(), matcher.weight()
        matcher.next()


def read_block_ids(raw) -> None:
    """Whoosh's W3 _read_ids, with the delta decoding at C speed (itertools, not a Python generator)."""
    if raw._data is None:
        raw._read_data()
    ids = raw._data[0]
    raw._ids = ids if raw._byteids else tuple(accumulate(ids))


def public_postings(matcher, offset: int, deleted: set, into: dict) -> None:
    """Step through a matcher the slow, public way (another codec, or the parity test's reference)."""
    for docnum, weight in public_postings_items(matcher):
        if docnum not in deleted:
            into[offset + docnum] = weight


class Postings:
    """A word's live postings in one generation: docnums ascending (int64) and their weights (float64).

    Iterating yields the docnums (so set(postings) and set().union(...) work as on a dict)."""

    __slots__ = ("docs", "weights")

    def __init__(self, docs: numpy.ndarray, weights: numpy.ndarray):
        self.docs, self.weights = docs, weights

    def __len__(self) -> int:
        return len(self.docs)

    def __iter__(self):
        return iter(self.docs.tolist())

    def items(self):
        return zip(self.docs.tolist(), self.weights.tolist(), strict=True)

    def as_dict(self) -> dict[int, float]:
        return dict(self.items())


NO_POSTINGS = Postings(numpy.zeros(0, dtype=numpy.int64), numpy.zeros(0, dtype=numpy.float64))


def cached_postings(searcher, word: str, fieldname: str = TEXT) -> Postings:
    """Return a word's postings, read once per index generation (12 bytes a posting; never modify them)."""
    cache = memo(searcher, "postings", lambda: GenerationPostings(
        CACHED_POSTINGS, segment_layout(searcher), previous_value(searcher, "postings")))
    return cache.get((fieldname, word), lambda: read_postings(cache, searcher, word, fieldname))


def read_postings(cache: GenerationPostings, searcher, word: str, fieldname: str) -> Postings:
    """Return the word's postings, over the new segments only if the previous generation had them."""
    known, covered = cache.inherited((fieldname, word))
    found = live_postings(searcher, word, fieldname, first=covered)
    return found if known is None else joined(known, found)


def live_postings(searcher, word: str, fieldname: str = TEXT, first: int = 0) -> Postings:
    """Return the word's postings over the live documents of every segment (global docnums), or
    of the segments from the `first`th on."""
    docs, weights = [], []
    for segment_reader, offset in islice(searcher.reader().leaf_readers(), first, None):
        found = segment_arrays(segment_reader, word, fieldname)
        if found is None:
            continue
        local, local_weights = found
        if segment_reader.has_deletions():
            keep = ~numpy.isin(local, numpy.fromiter(segment_reader.deleted_docs_set, dtype=numpy.int64))
            local, local_weights = local[keep], local_weights[keep]
        docs.append(local.astype(numpy.int64) + offset)
        weights.append(local_weights.astype(numpy.float64))
    if not docs:
        return NO_POSTINGS
    if len(docs) == 1:
        return Postings(docs[0], weights[0])
    return Postings(numpy.concatenate(docs), numpy.concatenate(weights))


def joined(head: Postings, tail: Postings) -> Postings:
    """Return `head`'s postings followed by `tail`'s (as live_postings concatenates segments)."""
    if not len(tail):
        return head
    if not len(head):
        return tail
    return Postings(numpy.concatenate((head.docs, tail.docs)), numpy.concatenate((head.weights, tail.weights)))


def term_postings(searcher, word: str, fieldname: str = TEXT) -> dict[int, float]:
    """Return {docnum: weighted term frequency} of `word` in a field, over the live documents."""
    return live_postings(searcher, word, fieldname).as_dict()


def segment_arrays(segment_reader, word: str, fieldname: str) -> tuple[numpy.ndarray, numpy.ndarray] | None:
    """Return one segment's (docnums, weights) of `word`, deleted documents included (None: absent):
    from the segment's postings store if it has one, else decoded from Whoosh's blocks."""
    store = segment_store(segment_reader) if fieldname in postings_store.FIELDS else None
    if store is not None:
        return store.postings(fieldname, word.encode())
    if (fieldname, word) not in segment_reader:
        return None
    local = segment_postings(segment_reader, word, fieldname)
    return (numpy.fromiter(local, dtype=numpy.int64, count=len(local)),
            numpy.fromiter(local.values(), dtype=numpy.float64, count=len(local)))


def segment_store(segment_reader) -> postings_store.Store | None:
    """Return the segment's memory-mapped postings store (opened once per segment), or None."""
    segment, folder = segment_reader.segment(), segment_folder(segment_reader)
    if segment is None or folder is None:
        return None
    return per_segment("postings_store", segment_reader, lambda: postings_store.open_store(folder, segment))


def segment_folder(segment_reader) -> str | None:
    """Return the directory of a segment's files (a compound segment reads through an overlay)."""
    storage = segment_reader.storage()
    return getattr(storage, "folder", None) or getattr(getattr(storage, "b", None), "folder", None)


def segment_postings(segment_reader, word: str, fieldname: str) -> dict[int, float]:
    """Return one segment's postings of `word` {local docnum: weight} from Whoosh's blocks, deleted
    documents included (a segment without a postings store)."""
    def read() -> dict[int, float]:
        into: dict[int, float] = {}
        leaf_postings(segment_reader.postings(fieldname, word), 0, set(), into)
        return into

    if not has_app_context() or segment_reader.segment() is None:
        return read()
    cache = current().cache("segment_postings", lambda: BoundedCache(CACHED_POSTINGS))
    key = (segment_reader.segment().segment_id(), fieldname, word)
    return cache.get(key, read)


def phrase_docs(searcher, phrase: list[tuple[str, int]], fieldname: str = TEXT) -> set[int]:
    """Return the documents holding each (word, offset) of the phrase at those character offsets from a
    common start: OffsetPhrase's documents, reading only the positions of documents holding every word
    (Whoosh's span matchers walk every posting in Python: 90 ms for two common words at 10k cases)."""
    reader = searcher.reader()
    if not phrase or not all((fieldname, word) in reader for word, _ in phrase):
        return set()
    sets = sorted((set(cached_postings(searcher, word, fieldname)) for word, _ in phrase), key=len)
    starts: dict[int, set[int]] | None = None
    for word, offset in phrase:
        wanted = set.intersection(*sets) if starts is None else starts.keys()
        found = term_positions(searcher, word, wanted, fieldname)
        shifted = {doc: {position - offset for position in positions} for doc, positions in found.items()}
        starts = shifted if starts is None else {doc: common for doc, here in starts.items()
                                                 if (common := here & shifted.get(doc, set()))}
        if not starts:
            return set()
    return set(starts)


def term_positions(searcher, word: str, docs: Collection[int], fieldname: str = TEXT) -> dict[int, list[int]]:
    """Return {docnum: positions of `word`} for the live documents among `docs`."""
    found: dict[int, list[int]] = {}
    for segment_reader, offset in searcher.reader().leaf_readers():
        size = segment_reader.doc_count_all()
        local = {doc - offset for doc in docs if offset <= doc < offset + size}
        if not local or (fieldname, word) not in segment_reader:
            continue
        deleted = segment_reader.deleted_docs_set if segment_reader.has_deletions() else set()
        matcher = segment_reader.postings(fieldname, word)
        raw = matcher.child if isinstance(matcher, FilterMatcher) else matcher
        reader = leaf_positions if has_block_reader(raw) and hasattr(raw, "_read_values") else public_positions
        reader(raw, local - set(deleted), offset, found)
    return found


def leaf_positions(raw, local: set[int], offset: int, into: dict) -> None:
    """Add the positions of the `local` docnums of one segment, decoding only their blocks' values."""
    while raw.is_active():
        read_block_ids(raw)
        if not local.isdisjoint(raw._ids):
            raw._read_values()
            for docnum, value in zip(raw._ids, raw._values, strict=False):
                if docnum in local:
                    into[offset + docnum] = decode_positions(value)
        raw._next_block()


def decode_positions(value: bytes) -> list[int]:
    """Whoosh's Positions.decode_positions: a count, then the pickled position deltas (STOP trimmed)."""
    payload = value[_INT_SIZE:]
    return list(accumulate(loads(payload if payload.endswith(b".") else payload + b".")))


def public_positions(matcher, local: set[int], offset: int, into: dict) -> None:
    """The slow, public way (another codec, or the parity test's reference)."""
    while matcher.is_active():
        if matcher.id() in local:
            into[offset + matcher.id()] = list(matcher.value_as("positions"))
        matcher.next()


def bm25_scores(searcher, postings: dict, docs: set[int], fieldname: str = TEXT) -> dict[int, float]:
    """Return the BM25 score of each document in `docs` over the words' postings in one field."""
    wanted = docnums(docs)
    totals = bm25_totals(searcher, postings, among(searcher, wanted, fieldname), fieldname)
    return dict(zip(wanted.tolist(), totals[wanted].tolist(), strict=True))


def docnums(docs: Collection[int]) -> numpy.ndarray:
    """Return a collection of docnums as an array (in its iteration order)."""
    return numpy.fromiter(docs, dtype=numpy.int64, count=len(docs))


def among(searcher, wanted: numpy.ndarray, fieldname: str = TEXT) -> numpy.ndarray:
    """Return a mask over every docnum of the generation, True for the `wanted` ones."""
    mask = numpy.zeros(len(length_norms(searcher, fieldname)), dtype=bool)
    mask[wanted] = True
    return mask


def bm25_totals(searcher, postings: dict, mask: numpy.ndarray, fieldname: str = TEXT) -> numpy.ndarray:
    """Return every document's BM25 over the words' postings (0 outside `mask`): each word's part
    computed as Whoosh computes it, and added in the words' order (so equal to Whoosh's BM25F)."""
    norms = length_norms(searcher, fieldname)
    totals = numpy.zeros(len(norms), dtype=numpy.float64)
    for word, found in postings.items():
        held, weights = arrays_of(found)
        keep = mask[held]
        held, weights = held[keep], weights[keep]
        totals[held] += searcher.idf(fieldname, word) * weights * (K1 + 1) / (weights + norms[held])
    return totals


def arrays_of(postings) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Return (docnums, weights) arrays of Postings or of a {docnum: weight} dict."""
    if isinstance(postings, Postings):
        return postings.docs, postings.weights
    return (numpy.fromiter(postings, dtype=numpy.int64, count=len(postings)),
            numpy.fromiter(postings.values(), dtype=numpy.float64, count=len(postings)))


def length_norms(searcher, fieldname: str = TEXT) -> numpy.ndarray:
    """Return BM25's length normalization K1·(1 − B + B·length/average) of every document (per generation)."""
    def compute() -> numpy.ndarray:
        average = searcher.avg_field_length(fieldname, 1.0) or 1.0
        return K1 * (1 - B + B * document_lengths(searcher, fieldname).astype(numpy.float64) / average)

    return memo(searcher, f"norms:{fieldname}", compute)


def top(scores: dict[int, float], count: int) -> list[tuple[int, float]]:
    """Return the `count` best (docnum, score) pairs, ties broken by docnum."""
    return heapq.nlargest(count, scores.items(), key=lambda item: (item[1], -item[0]))
