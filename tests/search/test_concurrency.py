"""Several real processes write cases at once against one database and one index directory."""

from __future__ import annotations

import subprocess
import sys

from flask import current_app
from sqlalchemy import select

from portal.cases.models import Case
from portal.config import PROJECT_ROOT
from portal.extensions import db
from portal.search import index_status, rebuild
from tests.helpers.search import indexed_versions, slugs

WORKERS = 4
CASES_EACH = 12


def test_concurrent_writers_lose_nothing(taxonomy, database_url, instance_dir):
    with taxonomy.app_context():
        rebuild.rebuild(db.engine, current_app.config["SEARCH_INDEX_DIR"])  # the shared, empty index
    processes = [
        subprocess.Popen([sys.executable, "-m", "tests.search.concurrent_writer", database_url,
                          str(instance_dir), str(worker), str(CASES_EACH)],
                         cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for worker in range(WORKERS)
    ]
    outputs = [process.communicate(timeout=600)[0] for process in processes]
    assert all(process.returncode == 0 for process in processes), "\n".join(outputs)

    with taxonomy.app_context():
        # No apply here: the writers themselves must have left the index complete.
        published = {case.slug: case.version for case in db.session.scalars(
            select(Case).where(Case.status == "published"))}
        assert len(published) > WORKERS  # the writers did publish things
        assert indexed_versions() == published
        report = rebuild.verify(db.engine, current_app.config["SEARCH_INDEX_DIR"])
        assert report.drift == 0, report
        assert index_status()["pending_outbox"] == 0
        assert sorted(slugs("调解记录", per_page=100)) == sorted(published)
