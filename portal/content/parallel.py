"""Spread an import's pure per-file work (reading, checking, rendering) over every core.

Checking and rendering 10k case files was most of a 10k import. The work is CPU-bound Python, so
threads would not help: forked processes inherit the loaded code and return plain data. They never
touch the database (the parent's connection stays the parent's: pool workers leave with os._exit).
"""

from __future__ import annotations

import functools
import multiprocessing
import os
from collections.abc import Callable, Sequence

from portal import typography
from portal.markdown import Rendered, render_markdown

# Below this many items, starting the processes costs more than it saves.
POOL_MIN_ITEMS = 200
CHUNK = 64
MAX_PROCESSES = 8


def map_on_every_core(function: Callable, items: Sequence, **keywords) -> list:
    """Return [function(item, **keywords) for item in items], in order, on every core when there are many."""
    call = functools.partial(function, **keywords) if keywords else function
    processes = min(os.cpu_count() or 1, MAX_PROCESSES)
    if len(items) < POOL_MIN_ITEMS or processes < 2:
        return [call(item) for item in items]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        return pool.map(call, items, chunksize=CHUNK)


def render_bodies(bodies: list[str]) -> dict[str, Rendered]:
    """Return {body as a case stores it (typography-normalized): its rendering}."""
    return dict(map_on_every_core(normalize_and_render, list(dict.fromkeys(body or "" for body in bodies))))


def normalize_and_render(body: str) -> tuple[str, Rendered]:
    """Return the body as a case stores it (typography-normalized) and its rendering (in a pool process)."""
    text = typography.normalize(body)
    return text, render_markdown(text)
