"""The postings store (one memory-mapped file per segment) reads what Whoosh reads and scores as Whoosh scores."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask import current_app
from whoosh import scoring

from portal.search import engine, postings_store, ranking
from portal.search.analysis import bigrams, normalize
from tests.factories import make_case
from tests.helpers.search import slugs
from tests.search.test_ranking import WORDS, documents, our_scores, whoosh_scores

PAIRS = list(dict.fromkeys(bigrams(normalize("矛盾纠纷化解阳光票决"))))


def build(folder: Path):
    """Three segments of the parity documents, some deleted; the first two with a store."""
    ix = engine.create_index(folder)
    docs = documents(300)
    for number, batch in enumerate((docs[:150], docs[150:250], docs[250:])):
        writer = ix.writer()
        engine.index_documents(writer, batch)
        writer.commit(merge=False)
        if number == 1:
            assert len(postings_store.write_missing(ix)) == 2
    writer = ix.writer()
    engine.delete_documents(writer, range(0, 300, 13))
    writer.commit(merge=False)
    return ix


@pytest.fixture(scope="module")
def half_stored(tmp_path_factory):
    """A searcher over three segments, the last without a store (as right after a commit)."""
    ix = build(tmp_path_factory.mktemp("stored"))
    with ix.searcher(weighting=scoring.BM25F()) as opened:
        assert len(opened.reader().leaf_readers()) == 3 and opened.reader().has_deletions()
        yield opened


@pytest.fixture(scope="module")
def stored(tmp_path_factory, half_stored):
    """The same index with every segment's store written."""
    folder = tmp_path_factory.mktemp("all-stored")
    shutil.copytree(half_stored.reader().leaf_readers()[0][0].storage().b.folder, folder, dirs_exist_ok=True)
    ix = engine.open_index(folder)
    assert len(postings_store.write_missing(ix)) == 1
    with ix.searcher(weighting=scoring.BM25F()) as opened:
        yield opened


def public_postings(searcher, word: str, fieldname: str = engine.TEXT) -> dict[int, float]:
    slow: dict[int, float] = {}
    for segment_reader, offset in searcher.reader().leaf_readers():
        if (fieldname, word) in segment_reader:
            deleted = segment_reader.deleted_docs_set if segment_reader.has_deletions() else set()
            ranking.public_postings(segment_reader.postings(fieldname, word), offset, deleted, slow)
    return slow


@pytest.mark.parametrize("which", ["stored", "half_stored"])
@pytest.mark.parametrize("words", [[word] for word in WORDS] + [WORDS[:3], WORDS[3:7], WORDS])
def test_scores_read_from_the_store_equal_whoosh_bm25f(request, which, words):
    searcher = request.getfixturevalue(which)
    expected = whoosh_scores(searcher, engine.TEXT, words)
    assert expected, words
    assert our_scores(searcher, engine.TEXT, words) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("which", ["stored", "half_stored"])
def test_bigram_scores_read_from_the_store_equal_whoosh_bm25f(request, which):
    searcher = request.getfixturevalue(which)
    expected = whoosh_scores(searcher, engine.GRAMS, PAIRS)
    assert expected
    assert our_scores(searcher, engine.GRAMS, PAIRS) == pytest.approx(expected, rel=1e-12)


def test_with_a_store_every_segment_is_read_from_it_not_from_whoosh_blocks(stored, monkeypatch):
    def refuse(*args):
        raise AssertionError("Whoosh's blocks were decoded although the segment has a store")

    expected = {word: public_postings(stored, word) for word in WORDS}
    monkeypatch.setattr(ranking, "segment_postings", refuse)
    monkeypatch.setattr(ranking, "public_postings", refuse)
    assert {word: ranking.term_postings(stored, word) for word in WORDS} == expected
    assert all(expected.values())


def test_a_segment_without_a_store_is_read_from_whoosh_blocks(half_stored, monkeypatch):
    decoded = []
    real = ranking.segment_postings
    monkeypatch.setattr(ranking, "segment_postings", lambda *args: decoded.append(args[0]) or real(*args))
    for word in WORDS:
        assert ranking.term_postings(half_stored, word) == public_postings(half_stored, word)
    last = half_stored.reader().leaf_readers()[-1][0]
    assert decoded and {reader.segment().segment_id() for reader in decoded} == {last.segment().segment_id()}


def test_deleted_documents_never_appear(stored):
    deleted = {offset + docnum for segment_reader, offset in stored.reader().leaf_readers()
               for docnum in segment_reader.deleted_docs_set}
    assert deleted
    everything = set()
    for fieldname, words in ((engine.TEXT, WORDS), (engine.GRAMS, PAIRS)):
        for word in words:
            found = set(ranking.term_postings(stored, word, fieldname))
            assert not found & deleted, word
            everything |= found
    assert len(everything) > 200


def test_the_store_holds_every_word_of_its_segment_as_whoosh_does(stored):
    for segment_reader, _offset in stored.reader().leaf_readers():
        store = postings_store.open_store(segment_reader.storage().b.folder, segment_reader.segment())
        assert store is not None and store.documents == segment_reader.doc_count_all()
        for fieldname in postings_store.FIELDS:
            for termbytes, _info in segment_reader.iter_field(fieldname):
                docs, weights = store.postings(fieldname, termbytes)
                live = [(doc, weight) for doc, weight in zip(docs.tolist(), weights.tolist(), strict=True)
                        if doc not in segment_reader.deleted_docs_set]  # Whoosh's public postings skip them
                matcher = segment_reader.postings(fieldname, termbytes)
                assert live == [(m.id(), m.weight()) for m in iter_matcher(matcher)]
        assert store.postings(engine.TEXT, "不在索引中".encode()) is None
        for fieldname in postings_store.FIELDS:
            assert store.words(fieldname) == "\n" + "\n".join(segment_reader.field_terms(fieldname)) + "\n"


def iter_matcher(matcher):
    while matcher.is_active():
        yield matcher
        matcher.next()


def test_a_damaged_store_is_ignored_and_whoosh_blocks_serve(half_stored, tmp_path):
    segment_reader = half_stored.reader().leaf_readers()[0][0]
    (tmp_path / postings_store.store_name(segment_reader.segment())).write_bytes(b"garbage")
    assert postings_store.open_store(tmp_path, segment_reader.segment()) is None
    assert postings_store.open_store(tmp_path / "missing", segment_reader.segment()) is None



def index_dir_stores() -> tuple[set[str], set[str]]:
    """Return (segment ids of the live index, segment ids that have a store file)."""
    folder = engine.live_dir(current_app.config["SEARCH_INDEX_DIR"])
    ix = engine.open_index(folder)
    with ix.reader() as reader:
        segments = {leaf.segment().segment_id() for leaf in postings_store.leaves(reader)}
    return segments, {path.name.removesuffix(postings_store.SUFFIX) for path in folder.glob("*" + postings_store.SUFFIX)}


def test_a_full_rebuild_writes_every_segments_store(seeded_app):
    from portal.extensions import db
    from portal.search import rebuild

    with seeded_app.app_context():
        rebuild.rebuild(db.engine, current_app.config["SEARCH_INDEX_DIR"], procs=2)
        segments, stored = index_dir_stores()
        assert segments and segments <= stored
        assert slugs("阳光票决制")


def test_a_published_case_is_found_through_its_new_segments_store(taxonomy, monkeypatch):
    with taxonomy.app_context():
        make_case("山区共享法庭", slug="gongxiang-fating", body="村里设立共享法庭。")
        make_case("阳光票决", slug="piaojue", body="重大事项阳光票决。")
        segments, stored = index_dir_stores()
        assert segments and segments <= stored
        monkeypatch.setattr(ranking, "segment_postings", lambda *args: pytest.fail("Whoosh blocks decoded"))
        assert slugs("共享法庭") == ["gongxiang-fating"]


def test_fields_the_store_does_not_hold_are_read_from_whoosh_blocks(stored):
    slugs_indexed = {word.decode() for segment_reader, _offset in stored.reader().leaf_readers()
                     for word, _info in segment_reader.iter_field("slug")}
    assert len(slugs_indexed) == 300
    found = {word: ranking.term_postings(stored, word, "slug") for word in slugs_indexed}
    assert found == {word: public_postings(stored, word, "slug") for word in slugs_indexed}
    assert sum(map(len, found.values())) == stored.doc_count()
