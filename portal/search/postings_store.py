"""Each index segment's postings as flat numpy arrays in one file beside it, memory-mapped by readers.

Whoosh keeps a word's postings in zlib-compressed pickled blocks that also hold every posting's
positions: reading a common word's documents and weights means decompressing and unpickling all of
them (40% of a first search at 10k cases). Segments never change, so once per segment (after the
commit that wrote it) `write_missing(ix)` copies each word's documents (int32) and weights (float32)
of the searched fields into `<segment id>.postings`. Readers map the file: every worker shares its
pages, and a word's postings are two array slices. A segment without the file (an old index, a
commit whose store is still being written) is read through Whoosh's blocks (portal.search.ranking),
so the file is an accelerator, never the truth. Whoosh's own clean-up removes it with its segment
(the name matches Whoosh's segment-file pattern). This module only knows the file; the words'
postings come from portal.search.ranking, the one module reading Whoosh's private block format.

File layout: MAGIC, an 8-byte little-endian header length, a JSON header naming each array's dtype,
offset and length, then the arrays (8-byte aligned). The word table is one sorted blob of
b"field\\x1fword" keys with their end offsets, searched by bisection.
"""

from __future__ import annotations

import contextlib
import json
import mmap
import multiprocessing
import os
import struct
from array import array
from bisect import bisect_left
from pathlib import Path

import numpy

from portal.search.engine import GRAMS, TEXT

MAGIC = b"PORTAL-POSTINGS-1\n"
SUFFIX = ".postings"
FIELDS = (TEXT, GRAMS)
SEPARATOR = b"\x1f"
ALIGN = 8


def store_name(segment) -> str:
    """Return the store file's name for a Whoosh segment (matching Whoosh's segment-file pattern)."""
    return f"{segment.segment_id()}{SUFFIX}"


# --- writing ------------------------------------------------------------------------------------

def write_missing(ix, procs: int = 1) -> list[str]:
    """Write the store of every segment of the index's newest generation that lacks one, each
    segment in its own process when `procs` > 1; return the names written. Call after each writer
    commit (rebuild, outbox batch, merge): about 2 s of CPU per 5,000 cases."""
    folder = Path(ix.storage.folder)
    with ix.reader() as reader:
        missing = [number for number, leaf in enumerate(leaves(reader))
                   if segment_of(leaf) is not None and not (folder / store_name(segment_of(leaf))).exists()]
        names = [store_name(leaves(reader)[number].segment()) for number in missing]
        if procs > 1 and len(missing) > 1:
            context = multiprocessing.get_context("fork")
            with context.Pool(min(procs, len(missing))) as pool:
                pool.starmap(write_nth, [(ix, number) for number in missing])
        else:
            for number in missing:
                write_segment(folder, leaves(reader)[number])
    return names


def write_nth(ix, number: int) -> None:
    """Write the store of the index's `number`th segment (in a worker process)."""
    with ix.reader() as reader:
        write_segment(Path(ix.storage.folder), leaves(reader)[number])


def segment_of(leaf):
    """Return a segment reader's segment (None for an empty index's reader)."""
    return leaf.segment() if hasattr(leaf, "segment") else None


def leaves(reader) -> list:
    """Return the segment readers of a reader (itself if it reads one segment)."""
    return [leaf for leaf, _offset in reader.leaf_readers()]


def write_segment(folder: Path, segment_reader) -> Path:
    """Write one segment's store atomically (a temporary file renamed into place)."""
    from portal.search import ranking  # noqa: PLC0415  (ranking, which reads the stores, imports this module)

    keys, key_ends, ends = bytearray(), array("q"), array("q")
    docs, weights = array("i"), array("f")
    for fieldname in sorted(FIELDS):  # the keys sorted as bytes: field name, then word
        if fieldname not in segment_reader.schema:
            continue
        for termbytes in ranking.field_postings(segment_reader, fieldname, docs, weights):
            keys += fieldname.encode() + SEPARATOR + termbytes
            key_ends.append(len(keys))
            ends.append(len(docs))
    arrays = {"keys": numpy.frombuffer(bytes(keys), dtype=numpy.uint8),
              "key_ends": numpy.frombuffer(key_ends, dtype=numpy.int64),
              "ends": numpy.frombuffer(ends, dtype=numpy.int64),
              "docs": numpy.frombuffer(docs, dtype=numpy.int32),
              "weights": numpy.frombuffer(weights, dtype=numpy.float32)}
    target = folder / store_name(segment_reader.segment())
    temporary = folder / f".{target.name}.{os.getpid()}"
    write_arrays(temporary, arrays, {"documents": segment_reader.doc_count_all()})
    os.replace(temporary, target)
    return target


def write_arrays(path: Path, arrays: dict, meta: dict) -> None:
    """Write MAGIC, the header and the arrays (each 8-byte aligned), then fsync."""
    header, offset, layout = {}, 0, []
    for name, values in arrays.items():
        offset += -offset % ALIGN
        header[name] = [values.dtype.str, offset, len(values)]
        layout.append((offset, values))
        offset += values.nbytes
    encoded = json.dumps({"arrays": header, **meta}).encode()
    encoded += b" " * (-(len(MAGIC) + 8 + len(encoded)) % ALIGN)  # JSON allows trailing blanks
    start = len(MAGIC) + 8 + len(encoded)
    with open(path, "wb") as handle:
        handle.write(MAGIC + struct.pack("<q", start) + encoded)
        for offset, values in layout:
            handle.seek(start + offset)
            handle.write(values.tobytes())
        handle.flush()
        os.fsync(handle.fileno())


# --- reading ------------------------------------------------------------------------------------

class Store:
    """One segment's postings, memory-mapped (shared by every process reading the segment)."""

    def __init__(self, path: Path):
        with open(path, "rb") as handle:
            self.map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        if self.map[:len(MAGIC)] != MAGIC:
            raise ValueError(f"{path}: not a postings store")
        (start,) = struct.unpack_from("<q", self.map, len(MAGIC))
        header = json.loads(self.map[len(MAGIC) + 8:start])
        self.documents = header["documents"]
        arrays = {name: numpy.frombuffer(self.map, dtype=numpy.dtype(dtype), count=count, offset=start + offset)
                  for name, (dtype, offset, count) in header["arrays"].items()}
        self.keys, self.key_ends, self.ends = arrays["keys"], arrays["key_ends"], arrays["ends"]
        self.docs, self.weights = arrays["docs"], arrays["weights"]
        self.blob = memoryview(self.map)[start + header["arrays"]["keys"][1]:][:len(self.keys)]

    def key(self, number: int) -> bytes:
        begin = int(self.key_ends[number - 1]) if number else 0
        return bytes(self.blob[begin:int(self.key_ends[number])])

    def find(self, fieldname: str, termbytes: bytes) -> int:
        """Return the number of the word in the table, or -1."""
        wanted = fieldname.encode() + SEPARATOR + termbytes
        count = len(self.key_ends)
        number = bisect_left(range(count), wanted, key=self.key)
        return number if number < count and self.key(number) == wanted else -1

    def words(self, fieldname: str) -> str:
        """Return the field's words, one a line between newlines (sorted as Whoosh sorts them)."""
        prefix = fieldname.encode() + SEPARATOR
        first = bisect_left(range(len(self.key_ends)), prefix, key=self.key)
        end = bisect_left(range(len(self.key_ends)), prefix[:-1] + bytes([SEPARATOR[0] + 1]), key=self.key)
        if first == end:
            return "\n"
        begin = int(self.key_ends[first - 1]) if first else 0
        # Only the separators hold \x1f, each right after the field's name: the keys become lines.
        return bytes(self.blob[begin:int(self.key_ends[end - 1])]).decode().replace(prefix.decode(), "\n") + "\n"

    def postings(self, fieldname: str, termbytes: bytes) -> tuple[numpy.ndarray, numpy.ndarray] | None:
        """Return the word's (docnums, weights) in this segment (views into the map), or None."""
        number = self.find(fieldname, termbytes)
        if number < 0:
            return None
        begin = int(self.ends[number - 1]) if number else 0
        end = int(self.ends[number])
        return self.docs[begin:end], self.weights[begin:end]


def open_store(folder: str | Path, segment) -> Store | None:
    """Return the segment's store, or None if it has none (or an unreadable one: Whoosh's blocks serve)."""
    path = Path(folder) / store_name(segment)
    with contextlib.suppress(OSError, ValueError, KeyError):
        return Store(path)
    return None
