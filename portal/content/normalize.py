"""`portal content normalize [DIR] [--check]`: Chinese typography in content files, checked by YAML round-trip."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from portal import typography

CONTENT_GLOBS = ("cases/*.md", "collections/*.md", "collections/*.yml", "collections/*.yaml")
# A YAML flow list such as `tags: [网格治理,平安建设]`: its commas are syntax, never prose.
FLOW_LIST = re.compile(r"^\s*[\w-]+:\s*\[")
# A YAML scalar in quotes (`title: "…"`): the outer quotes are syntax, only the text inside is prose.
QUOTED_SCALAR = re.compile(r"^(\s*(?:- )?[\w-]+:\s*|\s*- )(['\"])(.*)\2(\s*)$")


@dataclass(frozen=True)
class Outcome:
    path: Path
    new_text: str | None = None  # None: nothing to change
    line: int = 0  # the first line that changes
    problem: str = ""


def normalized_lines(text: str) -> str:
    """Normalise YAML text line by line, leaving flow lists and the quotes around scalars alone."""
    return "".join(_normalized_line(line) for line in text.splitlines(True))


def _normalized_line(line: str) -> str:
    if FLOW_LIST.match(line):
        return line
    body, ending = line.rstrip("\r\n"), line[len(line.rstrip("\r\n")):]
    quoted = QUOTED_SCALAR.match(body)
    if quoted:
        start, mark, inside, trail = quoted.groups()
        return f"{start}{mark}{typography.normalize(inside)}{mark}{trail}{ending}"
    return typography.normalize(body) + ending


def deep_normalize(value):
    """The parsed YAML as it should read after normalisation."""
    if isinstance(value, str):
        return typography.normalize(value)
    if isinstance(value, list):
        return [deep_normalize(item) for item in value]
    if isinstance(value, dict):
        return {key: deep_normalize(item) for key, item in value.items()}
    return value


def split_front_matter(text: str) -> tuple[str, str, str]:
    """(front matter with its --- lines, YAML inside, body); a .yml file is all YAML."""
    match = re.match(r"---\r?\n(.*?\r?\n)---\r?\n", text, re.S)
    if not match:
        return "", text, ""
    return match.group(0), match.group(1), text[match.end():]


def normalize_file(path: Path) -> Outcome:
    """Work out the normalised text of one content file, refusing any change that alters its YAML's meaning."""
    text = path.read_text(encoding="utf-8")
    is_markdown = path.suffix == ".md"
    head, meta, body = split_front_matter(text) if is_markdown else ("", text, "")
    new_meta = normalized_lines(meta)
    new_text = (head.replace(meta, new_meta, 1) + typography.normalize(body)) if head else (
        new_meta if not is_markdown else typography.normalize(text))
    if new_text == text:
        return Outcome(path)
    try:
        same_meaning = yaml.safe_load(new_meta) == deep_normalize(yaml.safe_load(meta))
    except yaml.YAMLError:
        same_meaning = False
    line = next((number for number, (old, new) in enumerate(zip(text.splitlines(), new_text.splitlines(),
                                                                 strict=False), 1) if old != new), 1)
    if not same_meaning:
        return Outcome(path, None, line, "自动改写会改变 YAML 的含义，请手工把标点改为中文全角")
    return Outcome(path, new_text, line)


def content_files(root: Path) -> list[Path]:
    return sorted(path for pattern in CONTENT_GLOBS for path in root.glob(pattern))


def normalize_dir(root: Path) -> list[Outcome]:
    """Every content file that needs (or refuses) normalisation."""
    return [outcome for outcome in map(normalize_file, content_files(root)) if outcome.new_text or outcome.problem]
