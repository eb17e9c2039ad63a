"""Case files (content/cases/*.md): find them, validate their front matter, upsert them by slug."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from portal.cases.models import LEVELS, STATUSES, Area, Case, Region, Tag
from portal.content.documents import Document, LocatedDict, read_document, text_value, type_name
from portal.content.problems import Problem, ProblemCollector
from portal.content.taxonomy import SLUG_PATTERN, TaxonomyLookup, unknown_key_message, unknown_message
from portal.editor.models import Revision
from portal.extensions import db
from portal.markdown import render_markdown
from portal.timeutil import utcnow

CASES_DIR = "cases"
CASE_KEYS = ("title", "slug", "summary", "area", "secondary_areas", "region", "place", "level", "tags",
             "year", "source", "status")
# Longest values the columns hold (see portal/cases/models.py).
MAX_LENGTHS = {"title": 200, "slug": 120, "place": 120, "source": 300}
MAX_TAG_LENGTH = 64
LEVEL_BY_REGION_KIND = {"city": "市级", "county": "县级", "township": "乡镇级", "village": "村级"}
IGNORED_NAMES = ("readme",)


@dataclass
class CaseSpec:
    """A validated case file: everything needed to create or update its row."""

    slug: str
    title: str
    area: str
    region: str
    level: str
    body: str
    source_file: str
    summary: str = ""
    secondary_areas: list[str] = field(default_factory=list)
    place: str | None = None
    tags: list[str] = field(default_factory=list)
    year: int | None = None
    source: str | None = None
    status: str = "published"


def normalize_body(text: str | None) -> str:
    """Drop CRLF and surrounding blank lines, so web-edited and file bodies compare equal."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n").rstrip()


def is_ignored(path: Path) -> bool:
    """Dotfiles (editor swap files, .DS_Store) and READMEs are not cases and not junk."""
    return path.name.startswith(".") or path.stem.lower() in IGNORED_NAMES


def case_files(cases_dir: Path, display_root: str) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """Return the .md files under cases/ (sorted) and a problem for every other file found there."""
    if not cases_dir.is_dir():
        return [], []
    files, problems = [], []
    for path in sorted(cases_dir.iterdir()):
        display = f"{display_root}/{CASES_DIR}/{path.name}"
        if is_ignored(path):
            continue
        if path.is_dir():
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
    for key in meta:
        if key not in CASE_KEYS:
            report.at_key(key, unknown_key_message(key, CASE_KEYS))
    values = {key: text_value(meta, key, report, MAX_LENGTHS) for key in ("title", "slug", "summary", "place", "source")}
    for key in ("title", "area", "region"):
        if meta.get(key) in (None, ""):
            report.add(f"缺少必填字段 '{key}'")
    slug = values["slug"] or document.path.stem
    if not SLUG_PATTERN.match(slug):
        report.at_key("slug", f"网址名 '{slug}' 只能包含小写字母、数字和连字符（可在前置信息中用字段 'slug' 指定）")
    area = _area(meta, "area", lookup, report)
    secondary = _secondary_areas(meta, area, lookup, report)
    region = _region(meta, lookup, report)
    spec_fields = {
        "level": _level(meta, region, lookup, report), "tags": _tags(meta, report),
        "year": _year(meta, report), "status": _status(meta, report),
    }
    body = normalize_body(document.body)
    if not body:
        report.add("正文为空：前置信息之后应有案例正文", document.body_line)
    if report.problems:
        return None, report.problems
    return CaseSpec(slug=slug, title=values["title"], summary=values["summary"] or "", area=area,
                    secondary_areas=secondary, region=region, place=values["place"] or None,
                    source=values["source"] or None, body=body, source_file=document.display,
                    **spec_fields), []


def _area(meta: LocatedDict, key: str, lookup: TaxonomyLookup, report: ProblemCollector) -> str:
    value = meta.get(key)
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        report.at_key(key, f"字段 '{key}' 应为统筹领域名称或网址名，实际是 {type_name(value)}")
        return ""
    return _resolve_area(value.strip(), lookup, report, meta.line_of(key))


def _resolve_area(value: str, lookup: TaxonomyLookup, report: ProblemCollector, line: int) -> str:
    slug = lookup.area_slug(value)
    if slug is None:
        report.add(unknown_message("统筹领域", value, lookup.area_candidates()), line)
        return ""
    return slug


def _secondary_areas(meta: LocatedDict, primary: str, lookup: TaxonomyLookup,
                     report: ProblemCollector) -> list[str]:
    values = meta.get("secondary_areas")
    if values is None:
        return []
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        report.at_key("secondary_areas", "字段 'secondary_areas' 应为统筹领域名称的列表，如 [力量统筹, 责任统筹]")
        return []
    slugs = []
    for value in values:
        slug = _resolve_area(value.strip(), lookup, report, meta.line_of("secondary_areas"))
        if slug and slug == primary:
            report.at_key("secondary_areas", f"次要领域 '{value}' 与主领域 area 相同")
        elif slug and slug not in slugs:
            slugs.append(slug)
    return slugs


def _region(meta: LocatedDict, lookup: TaxonomyLookup, report: ProblemCollector) -> str:
    value = meta.get("region")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        report.at_key("region", f"字段 'region' 应为地区名称或代码，实际是 {type_name(value)}")
        return ""
    codes = lookup.region_codes(value.strip())
    if len(codes) > 1:
        report.at_key("region", f"地区名称 '{value}' 不唯一（代码 {'、'.join(codes)}），请改写地区代码")
        return ""
    if not codes:
        report.at_key("region", unknown_message("地区", value.strip(), lookup.region_candidates()))
        return ""
    return codes[0]


def _level(meta: LocatedDict, region: str, lookup: TaxonomyLookup, report: ProblemCollector) -> str:
    value = meta.get("level")
    if value in (None, ""):
        return LEVEL_BY_REGION_KIND.get(lookup.region_kinds.get(region, ""), "市级")
    if value not in LEVELS:
        report.at_key("level", unknown_message("层级", str(value), list(LEVELS)) + f"（可选：{'、'.join(LEVELS)}）")
        return ""
    return value


def _tags(meta: LocatedDict, report: ProblemCollector) -> list[str]:
    values = meta.get("tags")
    if values is None:
        return []
    if not isinstance(values, list):
        report.at_key("tags", f"字段 'tags' 应为列表，如 [网格治理, 平安建设]，实际是 {type_name(values)}")
        return []
    tags = []
    for value in values:
        if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
            report.at_key("tags", f"标签 {value!r} 应为非空文本")
        elif len(str(value).strip()) > MAX_TAG_LENGTH:
            report.at_key("tags", f"标签 '{value}' 过长，最多 {MAX_TAG_LENGTH} 字")
        elif str(value).strip() not in tags:
            tags.append(str(value).strip())
    return tags


def _year(meta: LocatedDict, report: ProblemCollector) -> int | None:
    value = meta.get("year")
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        report.at_key("year", f"字段 'year' 应为整数年份（如 2020），实际是 {type_name(value)} '{value}'")
        return None
    if not 1949 <= value <= 2100:
        report.at_key("year", f"年份 {value} 不合理，应在 1949 到 2100 之间")
        return None
    return value


def _status(meta: LocatedDict, report: ProblemCollector) -> str:
    value = meta.get("status")
    if value is None:
        return "published"
    if value not in STATUSES:
        report.at_key("status", unknown_message("状态", str(value), list(STATUSES)) + f"（可选：{'、'.join(STATUSES)}）")
        return "published"
    return value


def validate_cases(root: Path, display_root: str, lookup: TaxonomyLookup,
                   progress=lambda items, **_: items) -> tuple[list[CaseSpec], list[Problem]]:
    """Read and check every case file; also catch slugs claimed by two files."""
    files, problems = case_files(root / CASES_DIR, display_root)
    specs, owners = [], {}
    for path, display in progress(files, desc="检查案例"):
        document, read_problems = read_document(path, display)
        spec, case_problems = validate_case(document, lookup) if document else (None, read_problems)
        problems.extend(case_problems)
        if spec is None:
            continue
        if spec.slug in owners:
            line = document.meta.line_of("slug") if "slug" in document.meta else 1
            problems.append(Problem(display, line, f"网址名 '{spec.slug}' 重复：{owners[spec.slug]} 也使用了它"))
            continue
        owners[spec.slug] = display
        specs.append(spec)
    return specs, problems


def apply_cases(specs: list[CaseSpec], display_root: str,
                progress=lambda items, **_: items) -> tuple[int, int, int]:
    """Create or update each case; leave unchanged ones untouched. Return (created, updated, unchanged)."""
    areas = {area.slug: area for area in db.session.scalars(select(Area))}
    regions = {region.code: region for region in db.session.scalars(select(Region))}
    existing = {case.slug: case for case in db.session.scalars(select(Case))}
    totals = {"created": 0, "updated": 0, "unchanged": 0}
    for spec in progress(specs, desc="导入案例"):
        outcome = _upsert_case(existing.get(spec.slug), spec, areas, regions)
        totals[outcome] += 1
    return totals["created"], totals["updated"], totals["unchanged"]


def _upsert_case(case: Case | None, spec: CaseSpec, areas: dict, regions: dict) -> str:
    # Compared as written, not as rendered: a body that differs only in line ends or trailing
    # blank lines (as web-edited bodies do) is the same case.
    if case is not None and _state_of(case) == _state_from_spec(spec):
        return "unchanged"
    rendered = render_markdown(spec.body)
    outcome = "created" if case is None else "updated"
    # Tags first: their lookups autoflush, which must not write a half-filled case.
    tags = [Tag.get_or_create(name) for name in spec.tags]
    if case is None:
        case = Case(slug=spec.slug)
        db.session.add(case)
    _fill(case, spec, rendered, areas, regions)
    case.set_tags(tags)
    Revision.record(case, None, f"从 {spec.source_file} 导入")
    return outcome


def _state_from_spec(spec: CaseSpec) -> dict:
    return {
        "title": spec.title, "summary": spec.summary, "body_md": spec.body, "area": spec.area,
        "secondary_areas": set(spec.secondary_areas), "region": spec.region, "place": spec.place, "level": spec.level, "tags": list(spec.tags),
        "year": spec.year, "source": spec.source, "status": spec.status,
    }


def _state_of(case: Case) -> dict:
    """Return the case as its exported file would describe it (see export.case_front_matter)."""
    return {
        "title": (case.title or "").strip(), "summary": _stripped(case.summary) or "",
        "body_md": normalize_body(case.body_md), "area": case.area.slug,
        "secondary_areas": {area.slug for area in case.secondary_areas if area.id != case.area_id},
        "region": case.region.code, "place": _stripped(case.place), "level": case.level,
        "tags": [name.strip() for name in case.tag_names], "year": case.year,
        "source": _stripped(case.source), "status": case.status,
    }


def _stripped(value: str | None) -> str | None:
    return (value or "").strip() or None


def _fill(case: Case, spec: CaseSpec, rendered, areas: dict, regions: dict) -> None:
    case.title, case.summary, case.body_md = spec.title, spec.summary, spec.body
    case.body_html, case.toc_html = rendered.html, rendered.toc_html
    case.area, case.region = areas[spec.area], regions[spec.region]
    case.secondary_areas = [areas[slug] for slug in spec.secondary_areas]
    case.place, case.level, case.year, case.source = spec.place, spec.level, spec.year, spec.source
    case.status = spec.status
    if spec.status == "published" and case.published_at is None:
        case.published_at = utcnow()
    # An explicit timestamp makes every real update an UPDATE of the row, so the version
    # (optimistic lock) moves even when only tags or secondary areas changed.
    case.updated_at = utcnow()
