"""The one module reaching into Whoosh's segment writing (whoosh-reloaded pinned in pyproject.toml).

When a writer flushes a segment, Whoosh's FieldWriter.add_postings asks the new segment's length
column for the document's field length once per posting (600 postings per case): a column read,
a seek and an unpack each time, a third of a full build's commit. `BuildCodec` writes exactly
Whoosh's default format, but hands add_postings the lengths read once per document.
tests/search/test_whoosh_writing.py holds an index written this way equal to Whoosh's own.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3Segment


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
