"""Case files (content/cases/*.md): find them, validate their front matter, upsert them by slug."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from portal.cases.fields import all_keys, comparable_state, front_matter_keys, parse_case_file, write_case
from portal.cases.fieldtypes import Incoming, Rows
from portal.cases.models import Area, Case, Region, Revision, Tag
from portal.content.documents import LINK_OUTSIDE, Document, escapes_folder, read_document, text_value
from portal.content.parallel import map_on_every_core, render_bodies
from portal.content.problems import Problem, ProblemCollector
from portal.content.taxonomy import TaxonomyLookup
from portal.extensions import db
from portal.slugs import MAX_SLUG_LENGTH, SLUG_PATTERN
from portal.validation import unknown_key_message

CASES_DIR = "cases"
IGNORED_NAMES = ("readme",)


@dataclass
class CaseSpec:
    """A validated case file: its slug and its fields as snapshot values (see portal.cases.fields)."""

    slug: str
    source_file: str
    values: dict
    references: list[tuple[str, int]] = field(default_factory=list)


def is_ignored(path: Path) -> bool:
    """Dotfiles (editor swap files, .DS_Store) and READMEs are not cases and not junk."""
    return path.name.startswith(".") or path.stem.lower() in IGNORED_NAMES


def case_files(cases_dir: Path, display_root: str) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """Return the .md files under cases/ (sorted) and a problem for every other file found there."""
    if not cases_dir.is_dir():
        return [], []
    files, problems = [], []
    # Resolving every path was a tenth of checking 10k files: only a link can lead out of a folder
    # that is itself inside the content folder.
    inside = not escapes_folder(cases_dir, cases_dir.parent)
    for path in sorted(cases_dir.iterdir()):
        display = f"{display_root}/{CASES_DIR}/{path.name}"
        if is_ignored(path):
            continue
        if (path.is_symlink() or not inside) and escapes_folder(path, cases_dir.parent):
            problems.append(Problem(display, 1, LINK_OUTSIDE))
        elif path.is_dir():
            problems.append(Problem(display, 1, "cases/ 下不支持子目录，案例文件请直接放在 cases/ 中"))
        elif path.suffix.lower() != ".md":
            problems.append(Problem(display, 1, "不是 Markdown 文件：cases/ 中只能放 .md 案例文件"))
        else:
            files.append((path, display))
    return files, problems


def validate_case(document: Document, lookup: TaxonomyLookup) -> tuple[CaseSpec | None, list[Problem]]:
    """Check one case file's front matter and body; return the spec only if nothing is wrong."""
    meta = document.meta
    report = ProblemCollector(document.display, meta.key_lines)
    allowed = front_matter_keys()
    for key in meta:
        if key not in allowed:
            report.at_key(key, unknown_key_message(key, allowed))
    slug = text_value(meta, "slug", report, {"slug": MAX_SLUG_LENGTH}) or document.path.stem
    if not SLUG_PATTERN.match(slug):
        report.at_key("slug", f"网址名 '{slug}' 只能包含小写字母、数字和连字符（可在前置信息中用字段 'slug' 指定）")
    incoming = Incoming(meta, document.body, lookup)
    values = parse_case_file(incoming, report)
    if not values["body"]:
        report.add("正文为空：前置信息之后应有案例正文", document.body_line)
    if report.problems:
        return None, report.problems
    return CaseSpec(slug=slug, source_file=document.display, values=values, references=incoming.references), []


def validate_cases(root: Path, display_root: str, lookup: TaxonomyLookup,
                   progress=lambda items, **_: items) -> tuple[list[CaseSpec], list[Problem]]:
    """Read and check every case file; also catch slugs claimed by two files."""
    files, problems = case_files(root / CASES_DIR, display_root)
    specs, owners = [], {}
    checked = map_on_every_core(check_file, progress(files, desc="检查案例"), lookup=lookup)
    for (_path, display), (spec, case_problems, slug_line) in zip(files, checked, strict=True):
        problems.extend(case_problems)
        if spec is None:
            continue
        if spec.slug in owners:
            problems.append(Problem(display, slug_line, f"网址名 '{spec.slug}' 重复：{owners[spec.slug]} 也使用了它"))
            continue
        owners[spec.slug] = display
        specs.append(spec)
    problems.extend(reference_problems(specs, set(owners)))
    return specs, problems


def reference_problems(specs: list[CaseSpec], slugs_in_files: set[str]) -> list[Problem]:
    """Check every case a file names (learned_from) exists, here or in the database, and is not itself."""
    named = {slug for spec in specs for slug, _line in spec.references}
    known = slugs_in_files | set(db.session.scalars(select(Case.slug).where(Case.slug.in_(named)))) if named else set()
    problems = []
    for spec in specs:
        for slug, line in spec.references:
            if slug == spec.slug:
                problems.append(Problem(spec.source_file, line, f"'learned_from' 不能引用案例自己（{slug}）"))
            elif slug not in known:
                problems.append(Problem(spec.source_file, line,
                                        f"'learned_from' 引用的案例 '{slug}' 不存在：content/cases/ 和数据库中都没有这个网址名"))
    return problems


def check_file(file: tuple[Path, str], lookup: TaxonomyLookup) -> tuple[CaseSpec | None, list[Problem], int]:
    """Read and check one case file: its spec (if valid), its problems, and the line of its slug."""
    document, problems = read_document(*file)
    if document is None:
        return None, problems, 1
    spec, problems = validate_case(document, lookup)
    return spec, problems, document.meta.line_of("slug") if "slug" in document.meta else 1


def apply_cases(specs: list[CaseSpec], display_root: str,
                progress=lambda items, **_: items) -> tuple[int, int, int]:
    """Create or update each case; leave unchanged ones untouched. Return (created, updated, unchanged)."""
    rows = Rows({area.slug: area for area in db.session.scalars(select(Area))},
                {region.code: region for region in db.session.scalars(select(Region))},
                {tag.name: tag for tag in db.session.scalars(select(Tag))})
    existing = {case.slug: case for case in db.session.scalars(select(Case))}
    changed = [spec for spec in specs if not is_unchanged(existing.get(spec.slug), spec)]
    rows.renderings = render_bodies([spec.values.get("body") for spec in changed])
    created = sum(spec.slug not in existing for spec in changed)
    for spec in progress(changed, desc="导入案例"):
        _upsert_case(existing.get(spec.slug), spec, rows)
    return created, len(changed) - created, len(specs) - len(changed)


def is_unchanged(case: Case | None, spec: CaseSpec) -> bool:
    # Compared as written, not as rendered: a body that differs only in line ends or trailing
    # blank lines (as web-edited bodies do) is the same case.
    return case is not None and comparable_state(case.snapshot()) == comparable_state(spec.values)


def _upsert_case(case: Case | None, spec: CaseSpec, rows: Rows) -> None:
    if case is None:
        case = Case(slug=spec.slug)
    write_case(case, spec.values, keys=all_keys(), rows=rows)
    db.session.add(case)
    Revision.record(case, None, f"从 {spec.source_file} 导入")
