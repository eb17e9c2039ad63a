"""Which documents match a query, and how much of it each one covers (coordination ranking).

A query's meaningful words and phrases are its concepts. A concept matches a document through any
of its alternatives: the word as indexed; the index's own sub-words of it (a compound the index only
holds split, in either order); each synonym (portal.search.synonyms); for pinyin, the names, tags and
places it spells; and, as a safety net, the character bigrams of the case's title, tags, place and
summary (scored below word matches). Documents with every concept come first ("all"); then, ranked by
how much of the query they cover, those with most of them ("partial"). Filler and single characters
never make a match on their own.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy

from portal.search import pinyin, ranking, synonyms
from portal.search.analysis import bigrams, is_cjk, normalize, segment, subwords
from portal.search.engine import GRAMS, TEXT
from portal.search.lexicon import containing, same_head
from portal.search.parsing import ParsedQuery, exclusion_clause, phrase_text
from portal.search.state import memo

# What a match through each kind of alternative is worth against the word itself.
SUBWORD_WEIGHT = 0.6
# A word the index lacks, held only through one sub-word of at least half its length (重大事项 →
# 事项), counts as half a match: it never makes a full match, nor a partial one on its own.
LOOSE = 0.5
GRAM_WEIGHT = 0.3
# A partial match must hold at least this share of the query's weight (rarer words weigh more), so
# one generic word of an off-topic question does not make a match.
MIN_SHARE = 0.5
# A word in at most this many cases (or 1% of them) also gets the bigram safety net.
RARE_DOCS = 20
# Holding most of the query's concepts needs a smaller share (common words weigh little).
MIN_MOST_SHARE = 0.35
# Documents kept per index generation for the concepts searched lately (counted per concept).
CACHED_DOCS = 300_000


@dataclass
class Concept:
    """One thing the reader asked for, and the ways a document can contain it."""

    label: str
    words: list[tuple[str, ...]] = field(default_factory=list)  # each tuple: all of these words
    loose: list[str] = field(default_factory=list)  # one sub-word standing for an unknown word
    grams: list[str] = field(default_factory=list)  # texts matched by their character bigrams
    phrase: list[tuple[str, int]] | None = None
    # An unknown word as the indexer splits it (不出村 → 不, 出, 村), those words at those offsets.
    split: list[list[tuple[str, int]]] = field(default_factory=list)
    synonyms: list[str] = field(default_factory=list)
    corrected: str | None = None  # what an unknown word was corrected to (same sound, one character off)
    guessed: bool = False  # held only through words sharing its head character: never the only hold
    docs: set[int] = field(default_factory=set)
    loose_docs: set[int] = field(default_factory=set)
    gram_only: set[int] = field(default_factory=set)  # held only through the bigram safety net
    chunk: int = -1

    def strength(self, docnum: int) -> float:
        return 1.0 if docnum in self.docs else LOOSE if docnum in self.loose_docs else 0.0


@dataclass
class Coverage:
    """The documents a query matches: every concept ("all") or enough of them ("partial")."""

    concepts: list[Concept]
    full: set[int] = field(default_factory=set)
    partial: dict[int, float] = field(default_factory=dict)  # docnum → concepts held (a loose one as LOOSE)

    @property
    def docs(self) -> set[int]:
        return self.full | set(self.partial)

    def rank_key(self) -> Callable[[tuple[int, float]], tuple]:
        """Return the order within a tier: more of the query held, more of it as words, higher score."""
        bigram_only = Counter(doc for concept in self.concepts for doc in concept.gram_only)
        held, everything = self.partial, len(self.concepts)

        def key(item: tuple[int, float]) -> tuple:
            docnum, score = item
            return held.get(docnum, everything), -bigram_only.get(docnum, 0), score, -docnum

        return key

    def matched(self, docnum: int) -> list[str]:
        """Return the labels of the concepts `docnum` holds, in query order."""
        return [concept.label for concept in self.concepts if concept.strength(docnum)]

    def corrected_query(self) -> str | None:
        """Return the query with its corrected words, if any word was corrected."""
        if not any(concept.corrected for concept in self.concepts):
            return None
        chunks: dict[int, str] = {}
        for concept in self.concepts:
            chunks[concept.chunk] = chunks.get(concept.chunk, "") + (concept.corrected or concept.label)
        return " ".join(chunks.values())

    def expansions(self) -> list[tuple[str, tuple[str, ...]]]:
        """Return (what the reader typed, the synonyms also searched) for each expanded concept."""
        return [(concept.label, tuple(concept.synonyms)) for concept in self.concepts if concept.synonyms]


def postings_of(searcher, word: str, fieldname: str = TEXT) -> dict[int, float]:
    """Return a word's postings {docnum: weight} (read once per index generation; never modify them)."""
    return ranking.cached_postings(searcher, word, fieldname)


def in_index(reader, word: str, fieldname: str = TEXT) -> bool:
    return (fieldname, word) in reader


def index_subwords(reader, word: str) -> tuple[str, ...]:
    """Cover `word` with the longest indexed sub-words, left to right (纠纷化解 → 纠纷, 化解)."""
    found = {piece: offset for piece, offset in subwords(word, 0) if in_index(reader, piece)}
    cover, position = [], 0
    while position < len(word):
        here = [piece for piece, offset in found.items() if offset == position]
        if here:
            longest = max(here, key=len)
            cover.append(longest)
            position += len(longest)
        else:
            position += 1
    return tuple(cover)


def word_concept(reader, label: str, wordings: list[tuple[str, ...]]) -> Concept:
    """Build the concept of one query word from its wordings (the word, its synonyms, its Chinese);
    a wording of several words needs all of them."""
    concept = Concept(label=label)
    for words in wordings:
        text = normalize("".join(words))
        if len(words) > 1:
            concept.words.append(tuple(normalize(word) for word in words))
        else:
            add_word(reader, concept, text)
        if len(bigrams(text)) == len(text) - 1 > 0 and is_rare(reader, text):
            concept.grams.append(text)
    texts = ["".join(words) for words in wordings[1:]]
    concept.synonyms = list(dict.fromkeys(text for text in texts if normalize(text) != normalize(label)))
    return concept


def is_rare(reader, word: str) -> bool:
    """Return True for a word worth the bigram safety net: unknown to the index, or in few cases.

    A common word's cases are found as words already; reading its bigrams' long postings for
    the few more the headings hold would slow every query (measured: ×3 CPU at 10k cases).
    """
    return reader.doc_frequency(TEXT, word) <= max(RARE_DOCS, reader.doc_count() // 100)


def add_word(reader, concept: Concept, text: str) -> None:
    """Add a word's alternatives: itself if indexed; the indexed sub-words covering it; else one loose part."""
    known = in_index(reader, text)
    if known:
        concept.words.append((text,))
    cover = index_subwords(reader, text)
    if len(cover) > 1 and sum(map(len, cover)) * 2 >= len(text):
        concept.words.append(cover)
    elif not known and cover and len(cover[0]) * 2 >= len(text):
        concept.loose.append(cover[0])
    pieces = segment(text) if not known else []
    if len(pieces) > 1 and all(in_index(reader, word) for word, _ in pieces):
        concept.split.append(pieces)


def concepts_for(searcher, parsed: ParsedQuery, spelling: pinyin.Spelling) -> list[Concept]:
    """Return the query's concepts: its words grouped with their synonyms, pinyin read as the Chinese
    it spells, and its phrases."""
    reader = searcher.reader()
    concepts: list[Concept] = []
    plain: list[str] = []
    for group in [*pinyin.read_words(parsed.sequence, spelling), None]:
        if isinstance(group, str):
            plain.append(group)
            continue
        for synonym in synonyms.expand(plain):
            if synonym.typed in parsed.weak and len(synonym.alternatives) == 1:
                continue  # a single character on its own: scored, never a concept
            concept = word_concept(reader, synonym.typed, list(synonym.alternatives))
            concept.chunk = parsed.chunk_of.get(synonym.alternatives[0][0], -1 - len(concepts))
            concepts.append(concept)
        plain = []
        if group is not None:
            typed, terms = group
            wordings = [(term,) for term in terms] + ([(typed,)] if in_index(reader, typed) else [])
            concept = word_concept(reader, terms[0], wordings)
            concept.synonyms, concept.chunk = [], parsed.chunk_of.get(typed, -1 - len(concepts))
            concepts.append(concept)
    for number, phrase in enumerate(parsed.phrases):
        text = phrase_text(phrase)
        concepts.append(Concept(label=text, phrase=phrase, grams=[text] if len(text) > 1 else [],
                                chunk=-100 - number))
    return concepts


def concept_docs(searcher, concept: Concept) -> tuple[set[int], set[int]]:
    """Return the documents holding the concept through any of its alternatives, and those of them
    holding it only through the bigram safety net."""
    held = [held_by_all(searcher, words) for words in concept.words]
    docs: set[int] = set(numpy.concatenate(held).tolist()) if held else set()
    for phrase in [concept.phrase] if concept.phrase is not None else []:
        docs |= ranking.phrase_docs(searcher, phrase)
    for phrase in concept.split:
        docs |= ranking.phrase_docs(searcher, phrase)
    grams = set().union(*(gram_docs(searcher, text) for text in concept.grams)) - docs
    return docs | grams, grams


def loose_docs(searcher, concept: Concept) -> set[int]:
    """Return the documents holding the concept only through a sub-word standing for it."""
    found = set().union(*(postings_of(searcher, word) for word in concept.loose))
    return found - concept.docs


def gram_docs(searcher, text: str) -> set[int]:
    """Return the documents whose title, tags, place or summary hold every bigram of `text`."""
    pairs = list(dict.fromkeys(bigrams(text)))
    reader = searcher.reader()
    if not pairs or not all(in_index(reader, pair, GRAMS) for pair in pairs):
        return set()
    return set(held_by_all(searcher, pairs, GRAMS).tolist())


def held_by_all(searcher, words, fieldname: str = TEXT) -> numpy.ndarray:
    """Return the documents holding every one of `words` (ascending docnums)."""
    arrays = sorted((postings_of(searcher, word, fieldname).docs for word in words), key=len)
    found = arrays[0]
    for other in arrays[1:]:
        found = numpy.intersect1d(found, other, assume_unique=True)
    return found


def weights(searcher, concepts: list[Concept]) -> list[float]:
    """Return each concept's weight: its IDF (an unknown one weighs as the rarest), shared with the
    other concepts of the chunk the reader typed it in (so "域外网格 火星基地" is two things, not three)."""
    total = max(1, searcher.doc_count())
    per_chunk = Counter(concept.chunk for concept in concepts)
    return [(math.log(total / (max(1, len(concept.docs | concept.loose_docs)) + 1)) + 1) / per_chunk[concept.chunk]
            for concept in concepts]


def cover(searcher, parsed: ParsedQuery, spelling: pinyin.Spelling,
          correct: Callable[[str], str | None] = lambda word: None) -> Coverage:
    """Return the documents with every concept, and those with enough of them to show as partial.

    A word no case holds in any way is tried inside longer indexed words (不出村 in 矛盾不出村), then
    as its likeliest correction (`correct`: same sound or one character off), shown as searched too.
    """
    concepts = concepts_for(searcher, parsed, spelling)
    for concept in concepts:
        find_docs(searcher, concept)
        if not (concept.docs or concept.loose_docs) and concept.phrase is None and any(map(is_cjk, concept.label)):
            widen_unknown(searcher, concept, correct)
    coverage = Coverage(concepts=concepts)
    if not concepts:
        return coverage
    coverage.full = set.intersection(*(concept.docs for concept in concepts))
    if len(concepts) > 2 or (len(concepts) == 2 and not coverage.full):
        coverage.partial = partial_matches(searcher, concepts, coverage.full)
    excluded = excluded_docs(searcher, parsed, coverage.docs)
    coverage.full -= excluded
    coverage.partial = {doc: held for doc, held in coverage.partial.items() if doc not in excluded}
    return coverage


def find_docs(searcher, concept: Concept) -> None:
    """Set the documents holding the concept (kept per index generation: phrases cost the most)."""
    def compute() -> tuple[set[int], set[int], set[int]]:
        docs, gram_only = concept_docs(searcher, concept)
        concept.docs = docs
        return docs, gram_only, loose_docs(searcher, concept)

    cache = memo(searcher, "concept_docs", lambda: ranking.BoundedCache(
        CACHED_DOCS, lambda found: len(found[0]) + len(found[2])))
    found = cache.get(alternatives(concept), compute)
    concept.docs, concept.gram_only, concept.loose_docs = found


def alternatives(concept: Concept) -> tuple:
    """What a concept's documents and scores depend on: its alternatives (not its label or synonyms shown)."""
    return (tuple(concept.words), tuple(concept.loose), tuple(concept.grams), tuple(map(tuple, concept.split)),
            tuple(concept.phrase or ()))


def widen_unknown(searcher, concept: Concept, correct: Callable[[str], str | None]) -> None:
    """Give a concept no document holds the indexed words containing it, else its correction, else
    (loosely) the indexed words sharing its head character."""
    longer = containing(searcher, concept.label)
    if longer:
        concept.words += [(word,) for word in longer]
    elif (correction := correct(concept.label)) is not None:
        add_word(searcher.reader(), concept, correction)
        concept.grams.append(correction)
        concept.synonyms.append(correction)
        concept.corrected = correction
    else:
        concept.loose += same_head(searcher, concept.label)
        concept.guessed = bool(concept.loose)
    find_docs(searcher, concept)


def partial_matches(searcher, concepts: list[Concept], full: set[int]) -> dict[int, float]:
    """Return {docnum: concepts held} for documents holding most of the query (not all of it).

    "Most" is more than half of the concepts (and MIN_MOST_SHARE of the weight); without any full
    match, fewer concepts that hold MIN_SHARE of the query's weight (its rarer words) will do too.
    """
    concept_weights = weights(searcher, concepts)
    total = sum(concept_weights)
    most = len(concepts) // 2 + 1
    needed = most if full else 1
    size = searcher.reader().doc_count_all()
    held = numpy.zeros(size)  # a loose hold counts LOOSE
    shares = numpy.zeros(size)  # the weight of the concepts held, added concept by concept in query order
    anchored = numpy.zeros(size, dtype=bool)
    for concept, weight in zip(concepts, concept_weights, strict=True):
        for docs, part in ((concept.docs, 1.0), (concept.loose_docs, LOOSE)):
            found = ranking.docnums(docs)
            held[found] += part
            shares[found] += weight * part
            # Head-character guesses (量子 → 量化, 纠缠 → 纠纷) only add to a document held some surer way.
            anchored[found] |= not concept.guessed
    anchored[ranking.docnums(full)] = False
    enough = (shares >= MIN_SHARE * total) | ((held >= most) & (shares >= MIN_MOST_SHARE * total))
    found = numpy.flatnonzero(anchored & (held >= needed) & enough)
    return dict(zip(found.tolist(), held[found].tolist(), strict=True))


def excluded_docs(searcher, parsed: ParsedQuery, docs: set[int]) -> set[int]:
    """Return which of `docs` contain a -excluded word or phrase."""
    excluded: set[int] = set()
    for words in parsed.excluded:
        if docs - excluded:
            excluded |= set(exclusion_clause(words).docs(searcher)) & docs
    return excluded


def concept_scores(searcher, concept: Concept, docs: set[int]) -> dict[int, float]:
    """Return, for the documents holding the concept, the score of its best-scoring alternative."""
    if not docs:
        return {}
    wanted = ranking.docnums(docs)
    mask = ranking.among(searcher, wanted)
    best = numpy.zeros(len(mask), dtype=numpy.float64)
    for words in concept.words:
        postings = {word: postings_of(searcher, word) for word in words}
        factor = 1.0 if len(words) == 1 else SUBWORD_WEIGHT
        keep_best(best, ranking.bm25_totals(searcher, postings, mask), factor)
    for phrase in [*concept.split, *([concept.phrase] if concept.phrase is not None else [])]:
        postings = {word: postings_of(searcher, word) for word, _ in phrase}
        keep_best(best, ranking.bm25_totals(searcher, postings, mask), 1.0)
    for word in concept.loose:
        keep_best(best, ranking.bm25_totals(searcher, {word: postings_of(searcher, word)}, mask),
                  SUBWORD_WEIGHT * LOOSE)
    gram_docs_here = docs & concept.gram_only
    gram_mask = ranking.among(searcher, ranking.docnums(gram_docs_here)) if gram_docs_here else None
    for text in concept.grams if gram_docs_here else ():
        postings = {pair: postings_of(searcher, pair, GRAMS) for pair in dict.fromkeys(bigrams(text))}
        keep_best(best, ranking.bm25_totals(searcher, postings, gram_mask, GRAMS), GRAM_WEIGHT)
    return dict(zip(wanted.tolist(), best[wanted].tolist(), strict=True))


def keep_best(best: numpy.ndarray, found: numpy.ndarray, factor: float) -> None:
    """Keep, per document, the better of its best score so far and `found` (scaled by `factor`)."""
    numpy.maximum(best, found * factor if factor != 1.0 else found, out=best)
