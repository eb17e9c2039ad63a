"""Keep the page cache's directory bounded without reading it on every write.

cachelib's FileSystemCache, given a threshold, re-reads its file count on every write and, once over
the threshold, opens every cached file on every write to find expired ones. A 10k-case library has
more pages than any sensible threshold, so each newly cached page cost two passes over thousands of
files. The portal turns that off (threshold 0) and prunes here instead: at most once a minute per
process, after the response has been sent, by file times alone (no file is opened).
"""

from __future__ import annotations

import os
import time
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

PRUNE_INTERVAL_SECONDS = 60.0


@dataclass
class Pruner:
    """When this process last pruned the page cache, and the bounds it keeps."""

    directory: Path
    keep: int
    max_age_seconds: float
    last_pruned: float = field(default=float("-inf"))

    def due(self) -> bool:
        return time.monotonic() - self.last_pruned >= PRUNE_INTERVAL_SECONDS

    def prune_if_due(self) -> int:
        """Prune unless this process did within the last minute; return how many files went."""
        if not self.due():
            return 0
        self.last_pruned = time.monotonic()
        return prune(self.directory, self.keep, time.time() - self.max_age_seconds)


def cached_files(directory: Path) -> list[tuple[float, str]]:
    """Return (modification time, path) of every file in the cache directory."""
    found = []
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                with suppress(FileNotFoundError):  # another worker removed it meanwhile
                    found.append((entry.stat().st_mtime, entry.path))
    except FileNotFoundError:
        pass
    return found


def prune(directory: Path, keep: int, written_before: float) -> int:
    """Remove files written before `written_before` (expired), then the oldest beyond the newest `keep`."""
    files = sorted(cached_files(directory), reverse=True)
    doomed = [path for number, (mtime, path) in enumerate(files)
              if mtime < written_before or (keep and number >= keep)]
    removed = 0
    for path in doomed:
        with suppress(FileNotFoundError):
            os.remove(path)
            removed += 1
    return removed
