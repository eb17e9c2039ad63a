"""Relevance benchmark: the judged query set against the portal, SQLite FTS5 and a LIKE scan, in one run.

    .venv/bin/python bench/relevance.py            # make bench-relevance
    .venv/bin/python bench/relevance.py --misses   # also list each engine's failed queries

Builds a throwaway instance (SQLite, content/ imported with its synonyms, search index built), then
asks every query of tests/search/judged_queries.py (≥150, graded by reading the 20 cases) of:
the portal's search; SQLite FTS5 over the same jieba tokens (all words, else any; BM25 with the
portal's field weights); and SQL LIKE over every 2-character window of the query. Prints MRR@10,
P@3, S@3, nDCG@5 and the zero-result rate over answerable queries, and how many negatives (topics
the library does not cover) each engine answered as a full match — overall and per kind of query.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.relevance_lib import Fts5Engine, LikeEngine, case_rows, evaluate, portal_answer  # noqa: E402
from tests.search.judged_queries import JUDGED, KIND_LABELS, KINDS  # noqa: E402

COLUMNS = ("MRR@10", "P@3", "S@3", "nDCG@5", "zero")


def build_instance(work: Path):
    """A fresh portal instance with content/ imported and the search index built."""
    from flask_migrate import upgrade

    from portal import create_app
    from portal.content.pipeline import import_content_dir
    from portal.extensions import db
    from portal.search import rebuild

    app = create_app({"ENV_NAME": "testing", "INSTANCE_DIR": str(work),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'portal.sqlite3'}"})
    with app.app_context():
        upgrade()
        report = import_content_dir(ROOT / "content", progress=False)
        if not report.ok:
            raise SystemExit("\n".join(map(str, report.problems)))
        rebuild.rebuild(db.engine, app.config["SEARCH_INDEX_DIR"], procs=1)
    return app


def run(app) -> dict[str, dict]:
    with app.app_context():
        rows = case_rows()
        engines = {"portal": portal_answer, "FTS5 (jieba)": Fts5Engine(rows).answer,
                   "LIKE 2-char": LikeEngine(rows).answer}
        return {name: evaluate(JUDGED, answer_of) for name, answer_of in engines.items()}


def print_report(reports: dict[str, dict]) -> None:
    counts = {kind: sum(item.kind == kind for item in JUDGED) for kind in KINDS}
    answerable = sum(item.answerable for item in JUDGED)
    print(f"\n== relevance: {len(JUDGED)} judged queries ({answerable} answerable, "
          f"{counts['negative']} negatives) over the 20 seed cases ==")
    print(f"{'group':<22}{'engine':<14}" + "".join(f"{name:>8}" for name in COLUMNS) + f"{'neg full':>9}")
    for group in ("all", *KINDS):
        label = "全部" if group == "all" else f"{KIND_LABELS[group]}（{counts[group]}）"
        for engine, report in reports.items():
            figures = report[group]
            values = "".join("     -  " if figures[name] != figures[name] else f"{figures[name]:>8.3f}"
                             for name in COLUMNS)
            negatives = f"{int(figures['neg_full']):>9}" if group in ("all", "negative") else f"{'':>9}"
            print(f"{label if engine == 'portal' else '':<22}{engine:<14}{values}{negatives}")
    portal, fts, like = (reports[name]["all"] for name in reports)
    print(f"\nportal nDCG@5 {portal['nDCG@5']:.3f} vs FTS5 {fts['nDCG@5']:.3f} and LIKE {like['nDCG@5']:.3f}; "
          f"S@3 {portal['S@3']:.3f} (target ≥ 0.97); answerable queries with no result: "
          f"{portal['zero'] * answerable:.0f}; negatives answered as a full match: {int(portal['neg_full'])}")


def print_misses(reports: dict[str, dict]) -> None:
    """List, per engine, the answerable queries without a relevant case in the top 3."""
    for engine, report in reports.items():
        answers = report["_answers"]
        missed = [item for item in JUDGED if item.answerable and not item.relevant() & set(answers[item.query].slugs[:3])]
        print(f"\n-- {engine}: {len(missed)} answerable queries without a relevant case in the top 3 --")
        for item in missed:
            print(f"  [{KIND_LABELS[item.kind]}] {item.query} → {answers[item.query].slugs[:3]}")
        full_negatives = [item.query for item in JUDGED if not item.answerable and answers[item.query].full_match]
        if full_negatives:
            print(f"  negatives answered as a full match: {'、'.join(full_negatives)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list each engine's failed queries")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-relevance-"))
    try:
        reports = run(build_instance(work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_report(reports)
    if args.misses:
        print_misses(reports)


if __name__ == "__main__":
    main()
