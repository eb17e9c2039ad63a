"""One render per page per content version on a machine: the other workers wait for it.

A publish turns every cached page over at once, and busy pages (the home page, the matrix) are then
asked for by several readers within the few milliseconds their render takes: each worker rendered
its own copy of the same page. The first worker to miss takes the page's lock (a file lock, so the
workers of one machine share it; the kernel releases it if the worker dies) and renders; the others
wait until it is released, then serve the page it stored. A waiter renders the page itself after
WAIT_SECONDS, or when the page was not stored (an error, a page that must not be cached).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path

# Locks are striped over this many files: two pages sharing one only wait for each other's render.
STRIPES = 256
WAIT_SECONDS = 2.0
POLL_SECONDS = 0.002


class RenderLocks:
    """The machine's page render locks: files in one directory of the instance."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def path_for(self, key: str) -> Path:
        stripe = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % STRIPES
        return self.directory / f"{stripe:03d}.lock"

    def claim(self, key: str, stored: Callable[[], object]) -> tuple[int | None, object]:
        """Return (held lock, None) for the worker that is to render the page now, or (None, page)
        when another worker rendered it meanwhile. Release the held lock with `release`."""
        descriptor = os.open(self.path_for(key), os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(descriptor)
                    return None, None  # render without the lock rather than wait longer
                time.sleep(POLL_SECONDS)
        page = stored()  # rendered by another worker while this one waited, or since it looked
        if page is not None:
            release(descriptor)
            return None, page
        return descriptor, None


def release(descriptor: int | None) -> None:
    """Release a lock `claim` returned (closing the file releases it)."""
    if descriptor is not None:
        os.close(descriptor)
