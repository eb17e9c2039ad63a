"""content/collections/*.md|yml: find, read and check collection files before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from portal import typography
from portal.content.documents import (
    LINK_OUTSIDE,
    LocatedDict,
    LocatedList,
    escapes_folder,
    read_document,
    read_yaml_file,
    text_value,
)
from portal.content.problems import Problem, ProblemCollector
from portal.content.taxonomy import SLUG_PATTERN
from portal.validation import unknown_key_message, unknown_message

COLLECTIONS_DIR = "collections"
MARKDOWN_SUFFIXES = (".md",)
YAML_SUFFIXES = (".yml", ".yaml")
COMMON_KEYS = ("title", "slug", "audience", "featured", "published", "items")
ITEM_KEYS = ("case", "note", "questions")
MAX_LENGTHS = {"title": 200, "slug": 120, "audience": 200}
MAX_QUESTION_LENGTH = 300
IGNORED_NAMES = ("readme",)


@dataclass
class ItemSpec:
    """One case in a collection file, in order."""

    case: str
    note: str = ""
    questions: list[str] = field(default_factory=list)


@dataclass
class CollectionSpec:
    """A validated collection file."""

    slug: str
    title: str
    source_file: str
    audience: str = ""
    introduction: str = ""
    featured: bool = False
    published: bool = True
    items: list[ItemSpec] = field(default_factory=list)


def normalize_text(text: str | None) -> str:
    """Drop CRLF and surrounding blank lines, so file and database texts compare equal."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n").rstrip()


def collection_files(folder: Path, display_root: str) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """Return the collection files (sorted) and a problem for anything else found there."""
    if not folder.is_dir():
        return [], []
    files, problems = [], []
    for path in sorted(folder.iterdir()):
        display = f"{display_root}/{COLLECTIONS_DIR}/{path.name}"
        if path.name.startswith(".") or path.stem.lower() in IGNORED_NAMES:
            continue
        if escapes_folder(path, folder.parent):
            problems.append(Problem(display, 1, LINK_OUTSIDE))
        elif path.is_dir() or path.suffix.lower() not in MARKDOWN_SUFFIXES + YAML_SUFFIXES:
            problems.append(Problem(display, 1, "不是合集文件：collections/ 中只能放 .md 或 .yml 文件"))
        else:
            files.append((path, display))
    return files, problems


def read_collection_file(path: Path, display: str) -> tuple[LocatedDict | None, str, list[Problem]]:
    """Return (fields, introduction, problems): Markdown files carry the introduction as their body."""
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        document, problems = read_document(path, display)
        return (document.meta, document.body, []) if document else (None, "", problems)
    data, problems = read_yaml_file(path, display)
    if problems:
        return None, "", problems
    if not isinstance(data, LocatedDict):
        return None, "", [Problem(display, 1, "合集文件应为“字段: 值”形式的 YAML 映射")]
    introduction = data.get("introduction")
    if introduction is not None and not isinstance(introduction, str):
        return None, "", [Problem(display, data.line_of("introduction"), "字段 'introduction' 应为文本")]
    return data, introduction or "", []


def validate_collection(meta: LocatedDict, introduction: str, path: Path, display: str,
                        case_slugs: set[str]) -> tuple[CollectionSpec | None, list[Problem]]:
    """Check one collection's fields and items; return the spec only if nothing is wrong."""
    report = ProblemCollector(display, meta.key_lines)
    allowed = COMMON_KEYS + (() if path.suffix.lower() in MARKDOWN_SUFFIXES else ("introduction",))
    for key in meta:
        if key not in allowed:
            report.at_key(key, unknown_key_message(key, allowed))
    title = text_value(meta, "title", report, MAX_LENGTHS)
    if not title:
        report.add("缺少必填字段 'title'")
    slug = text_value(meta, "slug", report, MAX_LENGTHS) or path.stem
    if not SLUG_PATTERN.match(slug):
        report.at_key("slug", f"网址名 '{slug}' 只能包含小写字母、数字和连字符（可在文件中用字段 'slug' 指定）")
    spec = CollectionSpec(slug=slug, title=typography.normalize(title or ""), source_file=display,
                          audience=typography.normalize(text_value(meta, "audience", report, MAX_LENGTHS) or ""),
                          introduction=typography.normalize(normalize_text(introduction)),
                          featured=_flag(meta, "featured", False, report),
                          published=_flag(meta, "published", True, report),
                          items=_items(meta, report, case_slugs))
    return (None, report.problems) if report.problems else (spec, [])


def _flag(meta: LocatedDict, key: str, default: bool, report: ProblemCollector) -> bool:
    value = meta.get(key, default)
    if not isinstance(value, bool):
        report.at_key(key, f"字段 '{key}' 应为 true 或 false")
        return default
    return value


def _items(meta: LocatedDict, report: ProblemCollector, case_slugs: set[str]) -> list[ItemSpec]:
    items = meta.get("items")
    if items is None:
        report.add("缺少必填字段 'items'：合集至少要列出一个案例")
        return []
    if not isinstance(items, LocatedList) or not items:
        report.at_key("items", "字段 'items' 应为非空列表，每项形如 {case: 案例网址名, note: 导读, questions: [讨论题]}")
        return []
    specs, seen = [], {}
    for item, line in zip(items, items.item_lines, strict=True):
        spec = _item(item, line, report, case_slugs)
        if spec and spec.case in seen:
            report.add(f"案例 '{spec.case}' 在本合集中重复出现（第 {seen[spec.case]} 行已列出）", line)
        elif spec:
            seen[spec.case] = line
            specs.append(spec)
    return specs


def _item(item: object, line: int, report: ProblemCollector, case_slugs: set[str]) -> ItemSpec | None:
    if not isinstance(item, LocatedDict):
        report.add("items 的每一项应为映射，如 {case: 案例网址名, note: 导读, questions: [讨论题]}", line)
        return None
    problems_before = len(report.problems)
    for key in item:
        if key not in ITEM_KEYS:
            report.add(unknown_key_message(key, ITEM_KEYS), item.line_of(key))
    case = item.get("case")
    if not isinstance(case, str) or not case.strip():
        report.add("每一项都要写 case：案例的网址名", item.line_of("case"))
    elif case.strip() not in case_slugs:
        report.add(unknown_message("案例", case.strip(), sorted(case_slugs)), item.line_of("case"))
    note = item.get("note") or ""
    if not isinstance(note, str):
        report.add("字段 'note' 应为文本（Markdown）", item.line_of("note"))
    questions = _questions(item, report)
    if len(report.problems) > problems_before:
        return None
    return ItemSpec(case=case.strip(), note=typography.normalize(normalize_text(note)), questions=questions)


def _questions(item: LocatedDict, report: ProblemCollector) -> list[str]:
    questions = item.get("questions")
    if questions is None:
        return []
    if not isinstance(questions, LocatedList):
        report.add("字段 'questions' 应为讨论题列表", item.line_of("questions"))
        return []
    cleaned = []
    for question, line in zip(questions, questions.item_lines, strict=True):
        if not isinstance(question, str) or not question.strip():
            report.add("每道讨论题都应为非空文本", line)
        elif len(question.strip()) > MAX_QUESTION_LENGTH:
            report.add(f"讨论题过长（{len(question.strip())} 字），最多 {MAX_QUESTION_LENGTH} 字", line)
        else:
            cleaned.append(typography.normalize(question.strip()))
    return cleaned


def validate_collections(root: Path, display_root: str,
                         case_slugs: set[str]) -> tuple[list[CollectionSpec], list[Problem]]:
    """Read and check every collection file; also catch slugs claimed by two files."""
    files, problems = collection_files(root / COLLECTIONS_DIR, display_root)
    specs, owners = [], {}
    for path, display in files:
        meta, introduction, read_problems = read_collection_file(path, display)
        spec, found = (validate_collection(meta, introduction, path, display, case_slugs)
                       if meta is not None else (None, read_problems))
        problems.extend(found)
        if spec is None:
            continue
        if spec.slug in owners:
            problems.append(Problem(display, meta.line_of("slug") if "slug" in meta else 1,
                                    f"网址名 '{spec.slug}' 重复：{owners[spec.slug]} 也使用了它"))
            continue
        owners[spec.slug] = display
        specs.append(spec)
    return specs, problems
