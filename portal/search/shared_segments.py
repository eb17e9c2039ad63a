"""Read Whoosh's compound segment files straight from their memory map, so workers share them.

whoosh-reloaded 2.7.5 maps a compound segment file (.seg) into memory and then, for every part of
it it opens (postings, term index, stored fields), wraps the mapped bytes in `BufferFile`, whose
`BytesIO(buf)` COPIES them. Each gunicorn worker thereby held a private copy of the whole index
(about 120 MB at 10k cases) instead of sharing the operating system's one copy of the file.

`SharedBufferFile` reads the same bytes through a file-like view of the map (no copy). The map stays
valid while any view of it is alive: Python refuses to close an mmap with live views, and Whoosh's
`CompoundStorage.close` then drops its reference instead (the map goes with the last view).

The one patch point is `whoosh.filedb.compound.BufferFile`, the name `CompoundStorage.open_file`
uses; the version is pinned in pyproject.toml and tests/search/test_shared_segments.py checks that
search results and stored fields are the same either way.
"""

from __future__ import annotations

import os

from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile


class MappedReader:
    """A read-only, seekable file over a memoryview: read() copies only the bytes asked for."""

    def __init__(self, view: memoryview):
        self._view = view
        self._length = len(view)
        self._position = 0

    def read(self, size: int | None = -1) -> bytes:
        start = self._position
        end = self._length if size is None or size < 0 else min(start + size, self._length)
        self._position = end
        return self._view[start:end].tobytes()

    def readinto(self, target) -> int:
        data = self.read(len(target))
        target[:len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        start = self._position
        limit = self._length if size is None or size < 0 else min(start + size, self._length)
        end = start
        while end < limit and self._view[end] != 0x0A:
            end += 1
        return self.read(min(end + 1, limit) - start)

    def __iter__(self):
        while line := self.readline():
            yield line

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._position, os.SEEK_END: self._length}[whence]
        self._position = max(0, base + offset)
        return self._position

    def tell(self) -> int:
        return self._position

    def close(self) -> None:
        """Forget the view (the map itself is Whoosh's to close)."""
        self._view = memoryview(b"")
        self._length = self._position = 0


class SharedBufferFile(BufferFile):
    """Whoosh's BufferFile without the copy: reads go through a `MappedReader` over the mapped bytes."""

    def __init__(self, buf, name=None, onclose=None):
        super().__init__(b"", name=name, onclose=onclose)
        self._buf = buf
        self.file = MappedReader(memoryview(buf))

    def subset(self, position, length, name=None):
        return SharedBufferFile(self._buf[position:position + length], name=name or self._name)


def install() -> None:
    """Make compound segments open their parts without copying them (idempotent)."""
    compound.BufferFile = SharedBufferFile


def installed() -> bool:
    return compound.BufferFile is SharedBufferFile
