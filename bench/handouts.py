"""Handout benchmark: how long a PDF handout takes to render the first time, and from the cache after.

    .venv/bin/python bench/handouts.py              # every collection and three cases, 20 warm requests each
    .venv/bin/python bench/handouts.py --warm 50

It builds a throwaway SQLite instance (migrate, import content/) and requests the handouts through the
Flask test client, so the figures are the portal's own work without a network. Prints, per handout,
the cold time (WeasyPrint renders and the PDF is written under <instance>/handouts/), the median warm
time (the cached file is sent) and the PDF size.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import select  # noqa: E402

from portal import create_app  # noqa: E402
from portal.collections.models import Collection  # noqa: E402
from portal.config import PROJECT_ROOT  # noqa: E402
from portal.content.pipeline import import_content_dir  # noqa: E402
from portal.extensions import db  # noqa: E402

SAMPLE_CASES = ("yingcun-minshi-cunliao", "qingyuan-shitai-heyi", "xinren-liren-zeren-jiaojie")


def build_app(instance: Path):
    """Create a migrated instance holding content/."""
    app = create_app({"ENV_NAME": "testing", "INSTANCE_DIR": str(instance),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'bench.sqlite3'}"})
    with app.app_context():
        upgrade()
        report = import_content_dir(PROJECT_ROOT / "content", progress=False)
        if not report.ok:
            raise SystemExit("\n".join(str(problem) for problem in report.problems))
    return app


def handout_urls(app) -> list[str]:
    """Return the handout URLs of every published collection and a few cases."""
    with app.app_context():
        slugs = db.session.scalars(select(Collection.slug).where(Collection.published.is_(True))).all()
    return [f"/collections/{slug}/handout.pdf" for slug in slugs] + [
        f"/cases/{slug}/handout.pdf" for slug in SAMPLE_CASES]


def timed_get(client, url: str) -> tuple[float, int]:
    """Fetch `url`; return (milliseconds, bytes)."""
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed, len(response.data)


def measure(client, url: str, warm: int) -> dict:
    """Time one cold request and `warm` cached ones."""
    cold, size = timed_get(client, url)
    warm_times = [timed_get(client, url)[0] for _ in range(warm)]
    return {"url": url, "cold_ms": cold, "warm_median_ms": statistics.median(warm_times), "kb": size / 1024}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warm", type=int, default=20, help="cached requests per handout (20)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        app = build_app(Path(folder))
        client = app.test_client()
        rows = [measure(client, url, args.warm) for url in handout_urls(app)]
    print(f"{'handout':58} {'cold ms':>9} {'warm ms':>9} {'KB':>7}")
    for row in rows:
        print(f"{row['url']:58} {row['cold_ms']:9.0f} {row['warm_median_ms']:9.1f} {row['kb']:7.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
