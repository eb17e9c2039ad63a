"""Statements and client CPU per page render and per cache hit, the load benchmark's page types.

    .venv/bin/python bench/load_statements.py --database-url postgresql://…/scratch
    .venv/bin/python bench/load_statements.py              # SQLite in a temporary instance dir

Builds a throwaway instance like bench/load.py (migrate, import content/, reindex), then renders each
page type in-process with an empty page cache and again from the cache, counting the SQL statements
each request sends (the page's thread only, version reads included) and the process CPU it takes
(median of --repeat). A render here also recomputes the per-generation values (home and matrix counts),
as the first render after a publish does. Prints one line per page type.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event  # noqa: E402

from bench.loadlib import prepare_instance  # noqa: E402

PAGES = {"home": "/", "list": "/cases", "case": None, "matrix": "/matrix", "collection": "/collections",
         "search": "/search?q=网格"}


def measure(client, path: str, statements: list, clear, repeat: int) -> tuple[int, float, int, float]:
    """Return (statements, CPU ms) of a render and of a hit, medians over `repeat`."""
    renders, hits = [], []
    for _ in range(repeat):
        clear()
        for sample in (renders, hits):
            statements.clear()
            started = time.process_time()
            assert client.get(path).status_code == 200, path
            sample.append((len(statements), (time.process_time() - started) * 1000))
    return (int(statistics.median(n for n, _ in renders)), statistics.median(ms for _, ms in renders),
            int(statistics.median(n for n, _ in hits)), statistics.median(ms for _, ms in hits))


def count_statements(app, statements: list) -> None:
    """Append each statement this thread sends (the search poller's thread is not the page's), the
    version reads on caching/reading.py's own cursor included."""
    from portal.caching import reading
    from portal.extensions import db

    page_thread = threading.get_ident()

    def note(statement) -> None:
        if threading.get_ident() == page_thread:
            statements.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda _c, _cur, statement, *_: note(statement))
    if hasattr(reading, "held_connection"):  # reads on the driver's cursor, which SQLAlchemy's events miss
        read = reading._read
        reading._read = lambda *args: (note(args[-2]), read(*args))[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default: SQLite in a temp dir)")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="load-statements-") as directory:
        env = prepare_instance(args.database_url, Path(directory))
        from portal import create_app

        app = create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "INSTANCE_DIR": directory,
                          "PAGE_CACHE_TYPE": "SimpleCache"})
        statements: list = []
        count_statements(app, statements)
        client = app.test_client()
        listing = client.get("/api/v1/cases?per_page=1").json
        PAGES["case"] = f"/cases/{listing['results'][0]['slug']}"
        clear = app.extensions["caching"].pages.clear
        print(f"{env['DATABASE_URL'].split(':')[0]}: statements and client CPU per request (median of {args.repeat})")
        print(f"{'page':<11} {'render stmts':>12} {'render ms':>10} {'hit stmts':>10} {'hit ms':>7}")
        for name, path in PAGES.items():
            client.get(path)
            rendered, render_ms, hit, hit_ms = measure(client, path, statements, clear, args.repeat)
            print(f"{name:<11} {rendered:>12} {render_ms:>10.2f} {hit:>10} {hit_ms:>7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
