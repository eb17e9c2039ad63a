"""A writer process for the concurrency test: publishes, edits, unpublishes and deletes its own cases.

Run as `python -m tests.search.concurrent_writer <database url> <instance dir> <worker number> <cases>`.
"""

from __future__ import annotations

import random
import sys
import time

from sqlalchemy.exc import OperationalError

from portal import create_app
from portal.extensions import db


def retrying(action, attempts: int = 50):
    """Run `action`, retrying while SQLite reports the database locked by another writer."""
    for attempt in range(attempts):
        try:
            return action()
        except OperationalError:
            db.session.rollback()
            time.sleep(0.05 * (attempt + 1))
    raise RuntimeError("database stayed locked")


def work(worker: int, count: int) -> None:
    from portal.cases.models import Case
    from tests.factories import make_case

    rng = random.Random(worker)
    slugs = []
    for number in range(count):
        slug = f"w{worker}-case-{number}"
        status = "published" if number % 3 else "draft"
        title = f"并发写入{worker}号{number}"
        retrying(lambda slug=slug, status=status, title=title: make_case(
            title, slug=slug, body=f"第{worker}组的调解记录。", status=status))
        slugs.append(slug)
    for _round in range(count):
        slug = rng.choice(slugs)

        def change(slug=slug):
            case = db.session.scalar(db.select(Case).where(Case.slug == slug))
            if case is None:
                return
            roll = rng.random()
            if roll < 0.5:
                case.title = f"{case.title}·改"
                case.body_md += "又修改了一次。"
            elif roll < 0.75:
                case.status = "draft" if case.status == "published" else "published"
            elif roll < 0.85:
                db.session.delete(case)
            else:
                case.summary = f"摘要{rng.random()}"
            db.session.commit()

        retrying(change)


def main() -> None:
    url, instance, worker, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url, "INSTANCE_DIR": instance})
    with app.app_context():
        work(worker, count)
        db.session.remove()
        db.engine.dispose()


if __name__ == "__main__":
    main()
