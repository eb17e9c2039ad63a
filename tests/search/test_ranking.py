"""ranking.py reads Whoosh's postings block by block: its scores must equal Whoosh's own BM25F."""

from __future__ import annotations

import random

import pytest
from whoosh import scoring
from whoosh.query import Or, Term

from portal.config import PROJECT_ROOT
from portal.search import engine, ranking
from portal.search.analysis import bigrams, normalize

WORDS = ["网格", "矛盾纠纷", "化解", "阳光票决制", "票决", "群众", "丽水市", "调解", "平台", "干部"]


def sentences() -> list[str]:
    text = "".join(path.read_text(encoding="utf-8") for path in sorted((PROJECT_ROOT / "content" / "cases").glob("*.md")))
    return [part.strip() for part in text.replace("\n", "。").split("。") if len(part.strip()) > 8]


def documents(count: int) -> list[dict]:
    """Return `count` documents of random sentences from the seed cases (the same every run)."""
    pool, rng = sentences(), random.Random(9)
    return [{"id": str(number), "slug": f"doc-{number}", "title": rng.choice(pool)[:30],
             "summary": rng.choice(pool), "tags_text": rng.choice(WORDS), "place": "", "meta": "",
             "body": "。".join(rng.sample(pool, rng.randint(1, 12)))} for number in range(count)]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    """A few hundred documents in two segments, some deleted, searched by Whoosh's BM25F."""
    ix = engine.create_index(tmp_path_factory.mktemp("parity"))
    docs = documents(300)
    for batch in (docs[:180], docs[180:]):
        writer = ix.writer()
        engine.index_documents(writer, batch)
        writer.commit(merge=False)
    writer = ix.writer()
    engine.delete_documents(writer, range(0, 300, 17))
    writer.commit(merge=False)
    with ix.searcher(weighting=scoring.BM25F()) as opened:
        assert len(opened.reader().leaf_readers()) >= 2 and opened.reader().has_deletions()
        yield opened


def whoosh_scores(searcher, fieldname: str, words: list[str]) -> dict[int, float]:
    hits = searcher.search(Or([Term(fieldname, word) for word in words]), limit=None, optimize=False)
    return {hit.docnum: hit.score for hit in hits}


def our_scores(searcher, fieldname: str, words: list[str]) -> dict[int, float]:
    postings = {word: ranking.term_postings(searcher, word, fieldname) for word in words}
    docs = set().union(*postings.values())
    return ranking.bm25_scores(searcher, postings, docs, fieldname)


@pytest.mark.parametrize("words", [[word] for word in WORDS] + [WORDS[:3], WORDS[3:7], WORDS])
def test_word_scores_equal_whoosh_bm25f(searcher, words):
    expected = whoosh_scores(searcher, engine.TEXT, words)
    assert expected, words
    assert our_scores(searcher, engine.TEXT, words) == pytest.approx(expected, rel=1e-9)


def test_bigram_field_scores_equal_whoosh_bm25f(searcher):
    pairs = list(dict.fromkeys(bigrams(normalize("矛盾纠纷化解阳光票决"))))
    expected = whoosh_scores(searcher, engine.GRAMS, pairs)
    assert expected
    assert our_scores(searcher, engine.GRAMS, pairs) == pytest.approx(expected, rel=1e-9)


def test_the_block_reading_fast_path_is_the_one_taken(searcher, monkeypatch):
    for segment_reader, _offset in searcher.reader().leaf_readers():
        assert ranking.has_block_reader(segment_reader.postings(engine.TEXT, "网格"))

    def refuse(*args):
        raise AssertionError("the slow public path was taken")

    monkeypatch.setattr(ranking, "public_postings", refuse)
    assert ranking.term_postings(searcher, "网格")


def test_the_fast_path_reads_what_the_public_api_reads(searcher):
    for word in WORDS:
        slow: dict[int, float] = {}
        for segment_reader, offset in searcher.reader().leaf_readers():
            if (engine.TEXT, word) in segment_reader:
                deleted = segment_reader.deleted_docs_set if segment_reader.has_deletions() else set()
                ranking.public_postings(segment_reader.postings(engine.TEXT, word), offset, deleted, slow)
        assert ranking.term_postings(searcher, word) == slow


PHRASES = [[("阳光", 0), ("票决", 2)], [("矛盾", 0), ("纠纷", 2)], [("纠纷", 0), ("矛盾", 2)], [("矛盾", 0), ("化解", 4)], [("纠纷", 2), ("化解", 4)],
           [("票决", 0), ("不在索引中的词", 2)], [("群众", 0)]]


@pytest.mark.parametrize("phrase", PHRASES)
def test_phrase_documents_equal_whoosh_offset_phrase(searcher, phrase):
    from portal.search.parsing import phrase_clause

    expected = set(phrase_clause(phrase).docs(searcher))
    assert ranking.phrase_docs(searcher, phrase) == expected


def test_positions_read_by_block_equal_the_public_api(searcher, monkeypatch):
    everything = set(range(searcher.reader().doc_count_all()))
    fast = ranking.term_positions(searcher, "网格", everything)
    assert fast

    monkeypatch.setattr(ranking, "leaf_positions", ranking.public_positions)
    assert ranking.term_positions(searcher, "网格", everything) == fast


@pytest.mark.parametrize("word", ["纠纷", "网格", "票决", "丽水", "不在索引中"])
def test_words_containing_a_word_per_segment_equal_the_whole_word_list(searcher, word):
    from portal.search.lexicon import containing, words_containing

    whole = "\n" + "\n".join(searcher.reader().field_terms(engine.TEXT)) + "\n"
    for limit in (1, 3, 20):
        assert containing(searcher, word, limit) == words_containing(whole, word, limit)
    assert containing(searcher, word) or word == "不在索引中"
