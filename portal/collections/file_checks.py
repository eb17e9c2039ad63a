"""content/collections/*.md|yml: find, read and check collection files before anything is written.

The fields are read and checked as portal.collections.fields declares them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from portal.collections import fields
from portal.collections.fieldtypes import Incoming
from portal.content.documents import (
    LINK_OUTSIDE,
    LocatedDict,
    escapes_folder,
    read_document,
    read_yaml_file,
    text_value,
)
from portal.content.problems import Problem, ProblemCollector
from portal.content.taxonomy import SLUG_PATTERN
from portal.validation import unknown_key_message

COLLECTIONS_DIR = "collections"
MARKDOWN_SUFFIXES = (".md",)
YAML_SUFFIXES = (".yml", ".yaml")
IGNORED_NAMES = ("readme",)
MAX_SLUG_LENGTH = 120


@dataclass
class CollectionSpec:
    """A checked collection file: its slug and its fields' snapshot values."""

    slug: str
    source_file: str
    values: dict = field(default_factory=dict)


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


def read_collection_file(path: Path, display: str) -> tuple[LocatedDict | None, str | None, list[Problem]]:
    """Return (fields, body, problems): a Markdown file's body is its introduction; a .yml file has none."""
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        document, problems = read_document(path, display)
        return (document.meta, document.body, []) if document else (None, None, problems)
    data, problems = read_yaml_file(path, display)
    if problems:
        return None, None, problems
    if not isinstance(data, LocatedDict):
        return None, None, [Problem(display, 1, "合集文件应为“字段: 值”形式的 YAML 映射")]
    return data, None, []


def validate_collection(meta: LocatedDict, body: str | None, path: Path, display: str,
                        case_slugs: set[str]) -> tuple[CollectionSpec | None, list[Problem]]:
    """Check one collection's keys, slug and fields; return the spec only if nothing is wrong."""
    report = ProblemCollector(display, meta.key_lines)
    allowed = fields.file_keys(markdown=body is not None)
    for key in meta:
        if key not in allowed:
            report.at_key(key, unknown_key_message(key, allowed))
    values = fields.parse_collection_file(Incoming(meta, report, case_slugs, body))
    slug = text_value(meta, "slug", report, {"slug": MAX_SLUG_LENGTH}) or path.stem
    if not SLUG_PATTERN.match(slug):
        report.at_key("slug", f"网址名 '{slug}' 只能包含小写字母、数字和连字符（可在文件中用字段 'slug' 指定）")
    return (None, report.problems) if report.problems else (CollectionSpec(slug, display, values), [])


def validate_collections(root: Path, display_root: str,
                         case_slugs: set[str]) -> tuple[list[CollectionSpec], list[Problem]]:
    """Read and check every collection file; also catch slugs claimed by two files."""
    files, problems = collection_files(root / COLLECTIONS_DIR, display_root)
    specs, owners = [], {}
    for path, display in files:
        meta, body, read_problems = read_collection_file(path, display)
        spec, found = (validate_collection(meta, body, path, display, case_slugs)
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
