"""The all-or-nothing import of a content directory, and the extension point for more kinds of content.

`import_content_dir(root, dry_run=False)` validates every file of every kind first. If anything is
wrong it returns the problems and writes nothing; otherwise it applies every kind in one transaction
and commits (or rolls back, for a dry run).

Adding a kind of content (e.g. collections)
-------------------------------------------
Call `register_kind(kind)` once at start-up (e.g. from your feature's `init_app`); registering the
same `name` again replaces the earlier kind. A kind is any object with:

- `name` (str, e.g. "collections") and `label` (str, Chinese, e.g. "专题") for the summary line;
- `validate(root, context) -> (parsed, problems)`: read files under `root` (use
  `portal.content.documents.read_document` / `read_yaml_file`, which handle size, binary junk,
  encodings, BOM, CRLF, front matter and give key line numbers) and return anything you like as
  `parsed`, plus a list of `portal.content.problems.Problem` (`path:line: message`, in Chinese, with
  `context.display(path)` as the path). Read the database if you need to, never write.
  `context.case_slugs` holds every valid case slug: those in the files being imported plus those
  already in the database.
- `apply(parsed, context) -> Counts`: write through `db.session` (never commit; the pipeline does).
  Cases and the taxonomy have already been applied and flushed, so `Case` rows can be looked up by slug.
  Leave rows whose content has not changed untouched and count them as unchanged.
- `export(root) -> int`: write the kind's files under `root`, return how many.

Built-in kinds, in order: taxonomy, cases; registered kinds run after them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from blinker import Namespace
from sqlalchemy import select
from tqdm import tqdm

from portal.cases.models import Case
from portal.content.problems import Problem
from portal.extensions import db

PROGRESS_THRESHOLD = 50
# An import that writes more cases than this leaves their outbox entries to the search pollers (or
# `portal search sync` / `reindex`) instead of indexing them, and recomputing related cases, inline
# after its commit: at 10k cases that inline pass took longer than the import itself.
BULK_CASES = 200
BULK_IMPORT = "content_bulk_import"  # session.info flag read by portal.search after the commit

applying = Namespace().signal("content-applying", doc=(
    "Sent with the ImportContext once every file is valid, before anything is written; keyword argument "
    "parsed (each kind's validated specs, by kind name). A receiver may return a callable, called after "
    "every kind is applied and flushed, that returns notices (Problems, `path:line: message`): what the "
    "import did that someone must act on, such as changing a published text that has a pending working copy."))


@dataclass
class Counts:
    """How many items an import created, updated and left unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.created + other.created, self.updated + other.updated,
                      self.unchanged + other.unchanged)

    def __str__(self) -> str:
        return f"新增 {self.created}，更新 {self.updated}，未变 {self.unchanged}"


@dataclass
class ImportContext:
    """What every kind sees during one import run."""

    root: Path
    dry_run: bool = False
    show_progress: bool | None = None
    case_slugs: set[str] = field(default_factory=set)
    taxonomy: Any = None

    @property
    def display_root(self) -> str:
        return self.root.as_posix()

    def display(self, path: Path) -> str:
        """Return `path` as messages show it: below the content directory as the user gave it."""
        try:
            return f"{self.display_root}/{path.relative_to(self.root).as_posix()}"
        except ValueError:
            return str(path)

    def progress(self, items: list, desc: str) -> Iterable:
        """Wrap `items` in a progress bar on stderr when there are many of them."""
        show = len(items) > PROGRESS_THRESHOLD if self.show_progress is None else self.show_progress
        if not show:
            return items
        return tqdm(items, desc=desc, file=sys.stderr, unit="个", leave=False)


class ContentKind(Protocol):
    """One kind of content file the importer understands (see the module docstring)."""

    name: str
    label: str

    def validate(self, root: Path, context: ImportContext) -> tuple[Any, list[Problem]]: ...

    def apply(self, parsed: Any, context: ImportContext) -> Counts: ...

    def export(self, root: Path) -> int: ...


@dataclass
class ImportReport:
    """The outcome of an import: problems (nothing written) or counts per kind."""

    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)  # imported, but someone must look (see `applying`)
    counts: dict[str, Counts] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    dry_run: bool = False
    bulk: bool = False  # so many cases changed that the search index is updated in the background

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def total(self) -> Counts:
        return sum(self.counts.values(), Counts())

    def summary_lines(self) -> list[str]:
        """Return one Chinese line per kind, e.g. "案例：新增 20，更新 0，未变 0"."""
        return [f"{self.labels.get(name, name)}：{counts}" for name, counts in self.counts.items()]


_registered: dict[str, ContentKind] = {}


def register_kind(kind: ContentKind) -> None:
    """Add a kind of content to every later import and export (replacing one of the same name)."""
    _registered[kind.name] = kind


def content_kinds() -> list[ContentKind]:
    """Return the built-in kinds followed by the registered ones, in import order."""
    from portal.content.kinds import CaseKind, TaxonomyKind

    return [TaxonomyKind(), CaseKind(), *_registered.values()]


def import_content_dir(root: Path, *, dry_run: bool = False, progress: bool | None = None) -> ImportReport:
    """Validate everything under `root`, then apply it all in one transaction (or nothing)."""
    root = Path(root)
    context = ImportContext(root=root, dry_run=dry_run, show_progress=progress)
    kinds = content_kinds()
    report = ImportReport(labels={kind.name: kind.label for kind in kinds}, dry_run=dry_run)
    if not root.is_dir():
        report.problems.append(Problem(context.display_root, 1, "内容目录不存在"))
        return report
    try:
        parsed = _validate(kinds, context, report)
        if report.problems:
            db.session.rollback()
            return report
        checks = [check for _receiver, check in applying.send(context, parsed=parsed) if check]
        for kind in kinds:
            report.counts[kind.name] = kind.apply(parsed[kind.name], context)
            db.session.flush()
        report.notices = sorted(notice for check in checks for notice in check())
        cases = report.counts.get("cases", Counts())
        report.bulk = cases.created + cases.updated > BULK_CASES
        if dry_run:
            db.session.rollback()
        else:
            db.session.info[BULK_IMPORT] = report.bulk
            db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        db.session.info.pop(BULK_IMPORT, None)
    return report


def _validate(kinds: list[ContentKind], context: ImportContext, report: ImportReport) -> dict[str, Any]:
    parsed = {}
    for kind in kinds:
        parsed[kind.name], problems = kind.validate(context.root, context)
        report.problems.extend(sorted(problems))
    return parsed


def database_case_slugs() -> set[str]:
    """Return the slugs of every case in the database."""
    return set(db.session.scalars(select(Case.slug)))
