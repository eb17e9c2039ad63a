"""Helpers shared by the content importer tests: sample files and a database-state probe."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from portal.cases.models import Case
from portal.config import PROJECT_ROOT
from portal.extensions import db

CONTENT_DIR = PROJECT_ROOT / "content"
SAMPLE_SLUG = "huangnidun-yangguang-piaojue"
GOOD_FRONT = "title: 测试案例\narea: 区域统筹\nregion: 莲都区\nlevel: 村级\ntags: [测试]\n"
GOOD_BODY = "## 背景\n\n这是一个用于测试的案例正文。\n"


def taxonomy_only(parent: Path) -> Path:
    """A content/ directory under `parent` holding the real taxonomy and an empty cases/ folder."""
    root = parent / "content"
    (root / "cases").mkdir(parents=True)
    (root / "taxonomy.yml").write_text((CONTENT_DIR / "taxonomy.yml").read_text(encoding="utf-8"), encoding="utf-8")
    return root


def write_case(content_dir: Path, name: str, front: str = GOOD_FRONT, body: str = GOOD_BODY) -> Path:
    """Write cases/<name> with the given front matter (without delimiters) and body."""
    path = content_dir / "cases" / name
    path.write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")
    return path


def database_state() -> dict:
    """Row counts of every table plus the sample case's fields: equal states mean nothing changed."""
    counts = {table.name: db.session.scalar(select(func.count()).select_from(table))
              for table in db.metadata.sorted_tables}
    case = db.session.scalar(select(Case).where(Case.slug == SAMPLE_SLUG))
    sample = None if case is None else {**case.snapshot(), "version": case.version,
                                        "updated_at": case.updated_at, "html": case.body_html}
    db.session.rollback()
    return {"counts": counts, "sample": sample}
