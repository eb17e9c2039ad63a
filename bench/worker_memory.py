"""Where a preloaded gunicorn worker's memory goes: page type by page type, in a worker forked as gunicorn does.

    .venv/bin/python bench/worker_memory.py --library /tmp/lib/n10000     # a library bench/pages.py --keep built
    .venv/bin/python bench/worker_memory.py --library DIR --trace          # plus tracemalloc's top sites

The master loads the app (wsgi.py) and runs gunicorn's when_ready hook, then forks one worker. The
worker reads each page type through the test client and prints, after each, its private memory (pages
it wrote: new objects, and shared pages un-shared by a refcount or a cache write) and what it still
shares with the master; --trace adds the worker's new Python allocations by source line. Not a test.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PAGES = {
    "home": ["/"], "list": ["/cases", "/cases?page=50"], "case": ["/cases/bench-1", "/cases/bench-9"],
    "matrix": ["/matrix"], "collections": ["/collections"],
    "search": ["/search?q=网格", "/search?q=矛盾纠纷化解"],
    "more searches": ["/search?q=党建引领", "/search?q=wangge", "/search?q=网格&area=x", "/api/v1/suggest?q=网"],
}


def rollup(pid: int | str = "self") -> dict[str, int]:
    """/proc/PID/smaps_rollup in kB."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        fields[name.rstrip(":")] = int(value)
    return fields


def by_mapping(pid: int | str = "self", top: int = 8) -> list[tuple[int, int, str]]:
    """The mappings holding the most private memory: (private kB, rss kB, name)."""
    found, name, private, rss = [], "", 0, 0
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        head = line.split()
        if head and "-" in head[0] and not head[0].endswith(":"):
            if name is not None:
                found.append((private, rss, name))
            name, private, rss = (head[5] if len(head) > 5 else "[anon]"), 0, 0
        elif head and head[0] in ("Private_Clean:", "Private_Dirty:"):
            private += int(head[1])
        elif head and head[0] == "Rss:":
            rss = int(head[1])
    found.append((private, rss, name))
    merged: dict[str, list[int]] = {}
    for private, rss, name in found:
        entry = merged.setdefault(name, [0, 0])
        entry[0] += private
        entry[1] += rss
    return sorted(((p, r, n) for n, (p, r) in merged.items()), reverse=True)[:top]


def unshared_pages(master: int) -> set[int]:
    """Page numbers of this process's heap and anonymous memory that were the master's and are now a
    private copy (written since the fork: a refcount, a cache, a specialized bytecode). Needs root."""
    pages: set[int] = set()
    with open("/proc/self/pagemap", "rb") as mine, open(f"/proc/{master}/pagemap", "rb") as theirs:
        for mapping in Path("/proc/self/maps").read_text().splitlines():
            head = mapping.split()
            if len(head) > 5 and head[5] not in ("[heap]",):
                continue
            start, end = (int(part, 16) >> 12 for part in head[0].split("-"))
            mine.seek(start * 8)
            theirs.seek(start * 8)
            ours, others = mine.read((end - start) * 8), theirs.read((end - start) * 8)
            for number in range(min(len(ours), len(others)) // 8):
                a = int.from_bytes(ours[number * 8:number * 8 + 8], "little")
                b = int.from_bytes(others[number * 8:number * 8 + 8], "little")
                if a >> 63 and b >> 63 and (a & (1 << 55) - 1) != (b & (1 << 55) - 1):
                    pages.add(start + number)
    return pages


def owners_of(pages: set[int], top: int = 15) -> list[tuple[int, str]]:
    """Which kinds of object live on the un-shared pages (each page counted once, for its commonest kind)."""
    import gc
    from collections import Counter

    kinds: dict[int, Counter] = {}
    seen: set[int] = set()
    objects = gc.get_objects()
    for container in objects:
        for item in (container, *gc.get_referents(container)):
            if id(item) in seen:
                continue
            seen.add(id(item))
            page = id(item) >> 12
            if page in pages:
                kinds.setdefault(page, Counter())[type(item).__name__] += 1
    totals = Counter(counter.most_common(1)[0][0] for counter in kinds.values())
    totals["(no object found)"] = len(pages) - len(kinds)
    return [(count, kind) for kind, count in totals.most_common(top)]


def line(label: str, fields: dict, sharers: int) -> str:
    private = fields["Private_Clean"] + fields["Private_Dirty"]
    shared = fields["Shared_Clean"] + fields["Shared_Dirty"]
    return (f"{label:<16} private {private / 1024:7.1f} MB   shared {shared / 1024:7.1f} MB   "
            f"PSS with {sharers} sharers ≈ {(private + shared / sharers) / 1024:7.1f} MB   RSS {fields['Rss'] / 1024:7.1f} MB")


def worker(app, trace: bool, sharers: int, master: int = 0) -> None:
    """What one gunicorn worker does: the post_fork hook, then requests of each page type."""
    from portal.ops.lifecycle import after_fork

    after_fork(app)
    if trace:
        tracemalloc.start(25)
    print(line("after fork", rollup(), sharers))
    client = app.test_client()
    for page, paths in PAGES.items():
        started = time.perf_counter()
        for path in paths:
            for _ in range(2):
                client.get(path)
        traced = f"   traced {tracemalloc.get_traced_memory()[0] / 2**20:6.1f} MB" if trace else ""
        print(line(page, rollup(), sharers) + traced + f"   {time.perf_counter() - started:5.2f} s")
    if master:
        pages = unshared_pages(master)
        print(f"{len(pages) * 4 / 1024:.1f} MB of the master's heap and anonymous pages un-shared; by kind of object:")
        for count, kind in owners_of(pages):
            print(f"  {count * 4 / 1024:7.1f} MB  {kind}")
    print("private memory by mapping (kB private, kB rss):")
    for private, rss, name in by_mapping():
        print(f"  {private:8d} {rss:8d}  {name}")
    if trace:
        print("new Python allocations in the worker, by line:")
        for stat in tracemalloc.take_snapshot().statistics("traceback")[:12]:
            frames = [f"{frame.filename.split('site-packages/')[-1].split('/mem/')[-1]}:{frame.lineno}"
                      for frame in stat.traceback if "bench/" not in frame.filename][-4:]
            print(f"  {stat.size / 2**20:6.1f} MB {stat.count:8d} blocks  " + " ← ".join(reversed(frames)))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--library", type=Path, required=True, help="a directory bench/pages.py --keep built")
    parser.add_argument("--trace", action="store_true", help="tracemalloc the worker's new allocations")
    parser.add_argument("--sharers", type=int, default=3, help="processes sharing the master's pages (3: 2 workers)")
    parser.add_argument("--objects", action="store_true", help="which objects the un-shared pages hold (root)")
    args = parser.parse_args(argv)
    os.environ.update({"PORTAL_ENV": "production", "SECRET_KEY": "bench-" + "x" * 30, "REQUEST_LOG": "0",
                       "DATABASE_URL": f"sqlite:///{args.library / 'portal.sqlite3'}",
                       "PORTAL_INSTANCE_DIR": (args.library / "built").read_text().strip()})
    started = time.perf_counter()
    import wsgi
    from portal.ops.lifecycle import before_forking

    before_forking(wsgi.app)
    print(f"master loaded in {time.perf_counter() - started:.1f} s")
    print(line("master", rollup(), 1))
    child = os.fork()
    if child == 0:
        try:
            worker(wsgi.app, args.trace, args.sharers, os.getppid() if args.objects else 0)
        finally:
            os._exit(0)
    os.waitpid(child, 0)


if __name__ == "__main__":
    main()
