"""The one module reaching into Whoosh's segment writing (whoosh-reloaded pinned in pyproject.toml).

A full build's commit was half of its CPU, in two places that a build can do cheaper, writing
exactly Whoosh's default format (tests/search/test_whoosh_writing.py holds the index equal to
Whoosh's own):
- FieldWriter.add_postings asked the new segment's length column for the document's field length
  once per posting (600 postings per case): a column read, a seek and an unpack each time.
  `BuildCodec` hands it the lengths read once per document.
- The posting pool sorted its (field, term, docnum, weight, value) tuples as tuples, comparing
  field and term separately on every step. `KeySortingPool` sorts them by one bytes key of field
  and term: a writer adds each document's postings in docnum order, and the sort is stable, so the
  order is the same. `BuildWriter` (several processes) and `key_sorting` (one) use it.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3Segment
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import PostingPool


class BuildCodec(W3Codec):
    """Whoosh's default codec whose field writer looks each document's lengths up once."""

    def field_writer(self, storage, segment):
        return LengthsOnceFieldWriter(self, storage, segment)

    def new_segment(self, storage, indexname):
        """A segment naming Whoosh's own codec: the index's table of contents never names this class."""
        return W3Segment(W3Codec(self._blocklimit, self._compression, self._inlinelimit), indexname)


class LengthsOnceFieldWriter(W3FieldWriter):
    def add_postings(self, schema, lengths, items):
        super().add_postings(schema, DocumentLengths(lengths) if lengths else lengths, items)


class DocumentLengths:
    """A per-document reader's doc_field_length, each field's lengths read into a list on first use."""

    def __init__(self, reader):
        self.reader = reader
        self.tables: dict[str, list] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0):
        table = self.tables.get(fieldname)
        if table is None:
            table = self.tables[fieldname] = self.read_table(fieldname, default)
        if 0 <= docnum < len(table):
            return table[docnum]
        return self.reader.doc_field_length(docnum, fieldname, default)

    def read_table(self, fieldname: str, default: int) -> list:
        return [self.reader.doc_field_length(docnum, fieldname, default)
                for docnum in range(self.reader.doc_count_all())]


class KeySortingPool(PostingPool):
    """Whoosh's posting pool, sorting in memory by a (field, term) key."""

    def items(self, maxfiles=128):
        if self.runs:  # spilled to disk: Whoosh's merge of sorted runs
            return super().items(maxfiles)
        return sorted(self.current, key=posting_key)


def posting_key(posting: tuple) -> bytes:
    return posting[0].encode() + b"\x00" + posting[1]


def key_sorting(writer):
    """Give a fresh segment writer the key-sorting pool (before it holds any posting); return it."""
    pool = writer.pool
    if type(pool) is PostingPool and not pool.current and not pool.runs:
        writer.pool = KeySortingPool(pool.tempstore, pool.segment, limitmb=pool.limit // (1024 * 1024))
    return writer


class BuildTask(SubWriterTask):
    """Whoosh's writer process, its segment writer sorting postings by key."""

    def _process_file(self, filename, doc_count):
        key_sorting(self.writer)
        super()._process_file(filename, doc_count)


class BuildWriter(MpWriter):
    """Whoosh's multi-process writer whose processes are BuildTasks."""

    def _new_task(self):
        task = BuildTask(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs,
                         self.multisegment)
        self.tasks.append(task)
        task.start()
        return task
