"""A full build's codec (portal.search.whoosh_writing) writes exactly what Whoosh's own writer writes."""

from __future__ import annotations

from whoosh.codec.whoosh3 import W3Codec

from portal.config import PROJECT_ROOT
from portal.search import engine
from portal.search.rebuild import build_writer
from portal.search.whoosh_writing import BuildCodec, KeySortingPool, key_sorting


def seed_documents() -> list[dict]:
    cases = sorted((PROJECT_ROOT / "content" / "cases").glob("*.md"))
    return [{"id": str(number), "slug": path.stem, "title": path.stem, "summary": "网格化 管理 阳光票决制",
             "body": path.read_text("utf-8"), "tags": "网格,党建" if number % 2 else "", "year": 2020 + number % 4}
            for number, path in enumerate(cases, 1)] + [{"id": "999", "slug": "empty", "title": "", "body": ""}]


def build(directory, make_writer=lambda ix: ix.writer()):
    ix = engine.create_index(directory)
    writer = make_writer(ix)
    for document in seed_documents():
        writer.add_document(**engine.index_fields(document))
    writer.commit()
    return engine.open_index(directory)


def postings(ix) -> dict:
    """Every term's postings (docnum, weight, encoded value), block lengths and stored fields."""
    found = {}
    with ix.reader() as reader:
        for field, word in reader.all_terms():
            matcher = reader.postings(field, word)
            items = []
            while matcher.is_active():
                items.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            info = reader.term_info(field, word)
            found[(field, word)] = (items, info.min_length(), info.max_length(), info.max_weight())
        lengths = {(field, docnum): reader.doc_field_length(docnum, field)
                   for field in ("text", "grams") for docnum in range(reader.doc_count_all())}
        return {"postings": found, "lengths": lengths, "stored": list(reader.all_stored_fields())}


def test_the_build_codec_writes_what_whooshs_writer_writes(tmp_path):
    ours = build(tmp_path / "ours", lambda ix: ix.writer(codec=BuildCodec()))
    whooshs = build(tmp_path / "whoosh")
    assert len(postings(ours)["postings"]) > 1000
    assert postings(ours) == postings(whooshs)


def test_key_sorted_postings_are_whooshs_order(tmp_path):
    writer_args = []
    ours = build(tmp_path / "ours", lambda ix: writer_args.append(key_sorting(ix.writer())) or writer_args[-1])
    assert type(writer_args[0].pool) is KeySortingPool
    assert postings(ours) == postings(build(tmp_path / "whoosh"))


def test_a_full_builds_writers_write_what_whooshs_writer_writes(tmp_path):
    whooshs = postings(build(tmp_path / "whoosh"))
    for procs in (1, 2):
        assert postings(build(tmp_path / f"procs{procs}", lambda ix, procs=procs: build_writer(ix, procs))) == whooshs


def test_the_index_names_whooshs_own_codec(tmp_path):
    ix = build(tmp_path / "ours", lambda ix: build_writer(ix, 2))
    assert {type(segment.codec()) for segment in ix._segments()} == {W3Codec}
