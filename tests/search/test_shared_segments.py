"""Compound index segments are read from their memory map without a private copy, with the same results."""

from __future__ import annotations

import random
import tracemalloc

import pytest
from whoosh import index as whoosh_index
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile
from whoosh.qparser import QueryParser

from portal.search.shared_segments import MappedReader, SharedBufferFile, install

WORDS = [f"w{number}" for number in range(400)]


@pytest.fixture(scope="module")
def compound_index(tmp_path_factory):
    """A Whoosh index of two compound segments, about 2 MB of postings and stored text."""
    directory = tmp_path_factory.mktemp("compound-index")
    schema = Schema(id=ID(stored=True, unique=True), body=TEXT(stored=True), note=STORED)
    ix = whoosh_index.create_in(str(directory), schema)
    chooser = random.Random(13)
    for start in (0, 1500):
        writer = ix.writer()
        for number in range(start, start + 1500):
            body = " ".join(chooser.choice(WORDS) for _ in range(150))
            writer.add_document(id=str(number), body=body, note={"n": number, "text": body[:40]})
        writer.commit(merge=False)
    return str(directory)


def read_everything(directory: str) -> dict:
    """What a reader sees: search hits with scores, stored fields, term statistics, lengths."""
    ix = whoosh_index.open_dir(directory)
    with ix.searcher() as searcher:
        parser = QueryParser("body", ix.schema)
        hits = {query: [(hit["id"], round(hit.score, 9)) for hit in searcher.search(parser.parse(query), limit=20)]
                for query in ("w1", "w2 w3", '"w4 w5"', "w6 OR w7", "w8 NOT w9")}
        reader = searcher.reader()
        return {
            "hits": hits,
            "stored": [reader.stored_fields(docnum) for docnum in reader.all_doc_ids()],
            "terms": [(term, reader.doc_frequency("body", term), reader.frequency("body", term))
                      for term in reader.field_terms("body")],
            "lengths": [reader.doc_field_length(docnum, "body") for docnum in reader.all_doc_ids()],
        }


def allocated_while_opening(directory: str) -> int:
    """Bytes of Python memory allocated by opening a reader on every segment."""
    tracemalloc.start()
    ix = whoosh_index.open_dir(directory)
    reader = ix.reader()
    reader.stored_fields(0)
    allocated = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    reader.close()
    return allocated


def test_reading_through_the_map_gives_the_same_results_as_whoosh_own_copy(compound_index, monkeypatch):
    install()
    shared = read_everything(compound_index)
    monkeypatch.setattr(compound, "BufferFile", BufferFile)
    copied = read_everything(compound_index)
    assert shared == copied
    assert len(shared["stored"]) == 3000 and all(shared["hits"].values())


def test_opening_an_index_no_longer_copies_its_segments(compound_index, monkeypatch):
    install()
    shared = allocated_while_opening(compound_index)
    monkeypatch.setattr(compound, "BufferFile", BufferFile)
    copied = allocated_while_opening(compound_index)
    assert copied > 1_000_000  # Whoosh's own BufferFile copies the postings and stored fields
    assert shared < copied / 10


def test_the_app_installs_the_shared_reader(app):
    assert compound.BufferFile is SharedBufferFile


def test_mapped_reader_behaves_like_a_file():
    reader = MappedReader(memoryview(b"first line\nsecond\nthird"))
    assert reader.readline() == b"first line\n"
    assert reader.read(3) == b"sec"
    assert reader.tell() == 14
    assert reader.seek(-5, 2) == 18 and reader.read() == b"third"
    assert reader.read(10) == b""
    reader.seek(0)
    assert list(reader) == [b"first line\n", b"second\n", b"third"]
    target = bytearray(5)
    reader.seek(6)
    assert reader.readinto(target) == 5 and bytes(target) == b"line\n"
