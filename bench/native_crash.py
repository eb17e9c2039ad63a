"""Can Whoosh's memory-mapped segment files crash a worker (issue 10 item 14, the SIGSEGV suspect)?

Each path runs in its own process, so a native crash kills only that process and shows as its signal:

    python -m bench.native_crash            # all three paths, one line each, then the verdict
    python -m bench.native_crash --forks 40  # and the fork check below, with 40 children
    python -m bench.native_crash PATH SECS   # one path in this process (what the runner starts)

- `rewrite`: a segment file is truncated in place while searchers read it (no code of ours or of Whoosh
  does this: both write new files and delete or rename old ones). The mapping loses its pages: SIGBUS.
- `shared-close`: the unguarded pattern of the suspect, one searcher shared by threads and closed and
  replaced by another thread (as a poller refreshing a shared searcher would) while they search.
- `portal`: the portal's pattern (portal.search.state): each thread keeps its own searcher and closes it
  only itself, reopening when the generation changes, while a writer commits and merges segments and
  a rebuild swaps in a new generation directory and deletes the old one (portal.search.engine).
  This path found a Python-level race: a commit deletes the previous table of contents right after
  writing the new one, so opening the generation just listed can raise FileNotFoundError; the portal
  answered that search with "index rebuilding". engine.listing_again now lists again.

The other suspect, native libraries in forked workers: `forks` forks children while a thread of the
parent renders with WeasyPrint and cuts words with jieba. A child forked while that thread holds a
lock inside them can hang (one of 60 did, under load); so gunicorn's master, which forks the workers
after loading the app (--preload), must run no thread, which tests/production/test_native_crash.py checks.
"""

from __future__ import annotations

import faulthandler
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

PATHS = ("rewrite", "shared-close", "portal")
THREADS = 3


def build_index(directory: Path, batches: int = 3, size: int = 1500):
    """A small index of several segments (each one mapped when a searcher opens it)."""
    from whoosh import fields, index

    directory.mkdir(parents=True, exist_ok=True)
    schema = fields.Schema(id=fields.ID(stored=True), body=fields.TEXT(stored=True))
    ix = index.create_in(str(directory), schema)
    for batch in range(batches):
        writer = ix.writer()
        for n in range(size):
            writer.add_document(id=f"{batch}-{n}", body=f"网格 治理 alpha word{n % 97} text{n}")
        writer.commit(merge=False)
    return ix


def search_once(searcher, query) -> None:
    """One search that reads postings and stored fields (both from mapped segment files)."""
    for hit in searcher.search(query, limit=20):
        hit["body"]


def run_path(path: str, seconds: float) -> dict:
    """Run one path for `seconds` in this process; return the Python exceptions the searching threads saw."""
    from whoosh import index
    from whoosh.query import Term

    root = Path(tempfile.mkdtemp(prefix="native-crash-"))
    live = root / "search-index"
    engine = portal_engine() if path == "portal" else PlainDirectory
    first = engine.new_generation_dir(live)
    build_index(first)
    engine.swap_in(live, first)
    query = Term("body", "alpha")
    deadline = time.monotonic() + seconds
    errors: dict[str, int] = {}
    where: dict[str, str] = {}  # the first traceback of each kind, for whoever reads the figures
    shared = {"searcher": index.open_dir(str(engine.live_dir(live))).searcher()}

    def count(error: Exception) -> None:
        errors[type(error).__name__] = errors.get(type(error).__name__, 0) + 1
        where.setdefault(type(error).__name__, traceback.format_exc(limit=-4))

    def shared_searching() -> None:
        while time.monotonic() < deadline:
            try:
                search_once(shared["searcher"], query)
            except Exception as error:  # noqa: BLE001  (counted: the point is what happens)
                count(error)

    def own_searching() -> None:
        current, generation, opened = None, None, {}
        while time.monotonic() < deadline:
            try:
                folder = str(engine.live_dir(live))
                if folder not in opened:  # one index per generation directory, as SearchState.open_index
                    opened.clear()
                    opened[folder] = engine.listing_again(lambda folder=folder: index.open_dir(folder))
                ix = opened[folder]
                key = (folder, ix.latest_generation())
                if key != generation:
                    fresh = engine.open_searcher(ix)
                    if current is not None:
                        current.close()
                    current, generation = fresh, key
                search_once(current, query)
            except Exception as error:  # noqa: BLE001
                count(error)

    def replacing() -> None:
        while time.monotonic() < deadline:
            fresh = index.open_dir(str(engine.live_dir(live))).searcher()
            old, shared["searcher"] = shared["searcher"], fresh
            old.close()

    def rewriting() -> None:
        time.sleep(0.3)
        for name in os.listdir(engine.live_dir(live)):
            if name.endswith(".seg"):
                os.truncate(engine.live_dir(live) / name, 0)
        shared_searching()  # at least one search reads the rewritten file, however busy the machine

    def writing() -> None:
        n = 0
        while time.monotonic() < deadline:
            ix = index.open_dir(str(engine.live_dir(live)))
            writer = ix.writer()
            writer.add_document(id=f"new-{n}", body="网格 alpha 新增")
            writer.commit(optimize=n % 3 == 2)  # merging deletes the merged segments' files
            n += 1
            if n % 5 == 0:  # a rebuild: a fresh generation swapped in, the one before the last removed
                build = engine.new_generation_dir(live)
                build_index(build, batches=2, size=300)
                engine.swap_in(live, build)

    searching = own_searching if path == "portal" else shared_searching
    other = {"rewrite": rewriting, "shared-close": replacing, "portal": writing}[path]
    threads = [threading.Thread(target=searching) for _ in range(THREADS)] + [threading.Thread(target=other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for text in where.values():
        print(text, file=sys.stderr)
    return errors


def portal_engine():
    """The portal's index directory handling (imported only for its path: it loads the portal's analysis)."""
    from portal.search import engine

    return engine


class PlainDirectory:
    """One index directory, never swapped: enough for the paths that are not the portal's."""

    @staticmethod
    def new_generation_dir(path: Path) -> Path:
        return path

    @staticmethod
    def swap_in(path: Path, build: Path) -> None:
        """Nothing to swap."""

    @staticmethod
    def live_dir(path: Path) -> Path:
        return path


HANDOUT = "<h1>培训讲义</h1>" + "<p>丽水市矛盾纠纷就地化解，<b>网格</b>治理。</p>" * 150
CHILD_DEADLINE = 120  # seconds a forked child may take for one handout before it counts as hung


def fork_while_rendering(children: int) -> dict:
    """Fork children while a thread of this process renders handouts (WeasyPrint) and cuts words (jieba),
    as a worker would be forked if the master ran such a thread; each child renders one handout.

    Return how the children ended: "exit 0", "signal SIGALRM" (hung past CHILD_DEADLINE), other signals."""
    import jieba
    from weasyprint import HTML

    jieba.initialize()
    HTML(string=HANDOUT).write_pdf()
    stop = threading.Event()

    def busy() -> None:
        while not stop.is_set():
            HTML(string=HANDOUT).write_pdf()
            list(jieba.cut("丽水市矛盾纠纷就地化解网格治理" * 20))

    threading.Thread(target=busy, daemon=True).start()
    pids = []
    for _ in range(children):
        time.sleep(0.05)
        pid = os.fork()
        if pid == 0:
            signal.alarm(CHILD_DEADLINE)
            HTML(string=HANDOUT).write_pdf()
            list(jieba.cut("丽水市网格治理" * 20))
            os._exit(0)
        pids.append(pid)
    outcomes: dict[str, int] = {}
    for pid in pids:
        _, status = os.waitpid(pid, 0)
        key = (f"signal {signal.Signals(os.WTERMSIG(status)).name}" if os.WIFSIGNALED(status)
               else f"exit {os.WEXITSTATUS(status)}")
        outcomes[key] = outcomes.get(key, 0) + 1
    stop.set()
    return outcomes


def run_in_subprocess(path: str, seconds: float, timeout: float = 120) -> dict:
    """Run one path in a child process: {"path", "signal" (name or None), "exit", "errors", "stack"}."""
    completed = subprocess.run([sys.executable, "-m", "bench.native_crash", path, str(seconds)],
                               capture_output=True, text=True, timeout=timeout,
                               cwd=Path(__file__).resolve().parent.parent)
    died = -completed.returncode if completed.returncode < 0 else None
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    return {"path": path, "signal": signal.Signals(died).name if died else None, "exit": completed.returncode,
            "errors": json.loads(lines[-1])["errors"] if lines else None,
            "stack": completed.stderr[:2000] if died else ""}


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "forks":
        print(json.dumps({"children": fork_while_rendering(int(sys.argv[2]))}), flush=True)
        return
    if len(sys.argv) == 3 and sys.argv[1] in PATHS:
        faulthandler.enable()  # as gunicorn's post_fork does: a native crash prints the Python stack
        print(json.dumps({"errors": run_path(sys.argv[1], float(sys.argv[2]))}), flush=True)
        return
    started = time.perf_counter()
    outcomes = [run_in_subprocess(path, 4.0) for path in PATHS]
    for outcome in outcomes:
        print(f"{outcome['path']:>12}: {outcome['signal'] or 'no signal'}; Python exceptions while searching: "
              f"{outcome['errors']}")
    crashed = {outcome["path"] for outcome in outcomes if outcome["signal"]}
    print("verdict:", "only rewriting a mapped file in place kills the process, and that is SIGBUS, not SIGSEGV;"
          " closing or deleting segments under a search raises Python exceptions at worst"
          if crashed == {"rewrite"} else f"processes killed by a signal: {sorted(crashed)}")
    if "--forks" in sys.argv:
        children = int(sys.argv[sys.argv.index("--forks") + 1])
        completed = subprocess.run([sys.executable, "-m", "bench.native_crash", "forks", str(children)],
                                   capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
        lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
        print(f"forked while a thread renders: {json.loads(lines[-1])['children'] if lines else completed.stderr[-500:]}")
    print(f"elapsed {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
