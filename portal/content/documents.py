"""Read content files safely: size, binary and encoding checks, BOM and CRLF, front matter, key lines.

`read_document(path)` splits a Markdown file into YAML front matter and body and returns the
front matter as a `LocatedDict`: a dict that also knows the line each key was written on, so
validators can report `path:line: message` at the offending key. `read_yaml_file(path)` does
the same for a plain YAML file (taxonomy.yml, collection files).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from portal.content.problems import Problem
from portal.validation import type_name

MAX_FILE_BYTES = 1024 * 1024
FRONT_MATTER_DELIMITER = "---"


class LocatedDict(dict):
    """A YAML mapping that remembers its own line and the line of each key."""

    line: int = 1
    key_lines: dict

    def line_of(self, key) -> int:
        """Return the line `key` was written on, or the mapping's own line if it is absent."""
        return self.key_lines.get(key, self.line)


class LocatedList(list):
    """A YAML sequence that remembers its own line and the line of each item."""

    line: int = 1
    item_lines: list


@dataclass
class Document:
    """A Markdown file split into front matter (with key lines) and body."""

    path: Path
    display: str
    meta: LocatedDict
    body: str
    body_line: int

    @property
    def key_lines(self) -> dict:
        return self.meta.key_lines


class ContentError(Exception):
    """A problem that stops a file from being read at all."""

    def __init__(self, message: str, line: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line


def escapes_folder(path: Path, root: Path) -> bool:
    """Return True if `path` (through symbolic links) leads outside the content folder `root`."""
    return not path.resolve().is_relative_to(root.resolve())


LINK_OUTSIDE = "是指向内容目录之外的符号链接，已拒绝导入：请把文件本身放进内容目录"


def read_text(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Return the file's text with BOM removed and line ends normalised, or raise ContentError."""
    size = path.stat().st_size
    if size > max_bytes:
        raise ContentError(f"文件过大（{size / 1024 / 1024:.1f} MB），单个文件不能超过 {max_bytes // 1024 // 1024} MB")
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ContentError(f"文件 {path.name} 是 UTF-16 编码，请用 UTF-8 重新保存")
    if b"\x00" in data:
        raise ContentError("不是文本文件（含有二进制内容），内容文件必须是 UTF-8 编码的文本")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ContentError(f"文件 {path.name} 不是 UTF-8 编码（第 {line} 行有无法解码的字节），"
                           "请用 UTF-8 重新保存", line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Return (front matter, body, line of the closing delimiter); raise ContentError if malformed."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FRONT_MATTER_DELIMITER:
        raise ContentError("缺少 YAML 前置信息：文件第一行应为 '---'，随后是 title、area 等字段，再以 '---' 结束")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FRONT_MATTER_DELIMITER, "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 1
    raise ContentError("前置信息没有结束：找不到第二个 '---' 行")


class AliasRefused(Exception):
    """A YAML alias (*name) in a content file; carries the 0-based line it was written on."""

    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


class NoAliasLoader(yaml.SafeLoader):
    """A safe loader that refuses aliases: content files never need them, and nested aliases
    ("billion laughs") expand a few hundred bytes into gigabytes."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise AliasRefused(self.peek_event().start_mark.line)
        return super().compose_node(parent, index)


# libyaml's parser, when PyYAML was built with it: composing 10k front matters in pure Python was
# most of checking them. Anything it refuses, and any alias, is composed again by NoAliasLoader,
# whose messages (and alias refusal) are the ones users see.
FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def compose_fast(text: str) -> Node | None | bool:
    """Return the node tree libyaml composes, or False when the pure-Python composer must look."""
    if FAST_LOADER is None:
        return False
    try:
        node = yaml.compose(text, Loader=FAST_LOADER)
    except yaml.YAMLError:
        return False
    return False if node is not None and has_shared_nodes(node) else node


def has_shared_nodes(root: Node) -> bool:
    """Return True if a node is reached twice: an alias (*name) names its anchor's node again."""
    seen: set[int] = set()
    pending = [root]
    while pending:
        node = pending.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, MappingNode):
            pending.extend(part for pair in node.value for part in pair)
        elif isinstance(node, SequenceNode):
            pending.extend(node.value)
    return False


def parse_yaml(text: str, *, first_line: int = 1) -> object:
    """Parse YAML into plain data with Located containers; `first_line` is the text's line in the file."""
    try:
        node = compose_fast(text)
        if node is False:
            node = yaml.compose(text, Loader=NoAliasLoader)
    except yaml.MarkedYAMLError as error:
        raise _yaml_error(error, first_line) from None
    except AliasRefused as refused:
        raise ContentError("不支持 YAML 别名（*名称）：请把内容直接写出来，不要引用锚点（&名称）",
                           refused.line + first_line) from None
    if node is None:
        return None
    return _build(node, yaml.SafeLoader(""), first_line - 1)


def _yaml_error(error: yaml.MarkedYAMLError, first_line: int) -> ContentError:
    mark = error.problem_mark or error.context_mark
    line = (mark.line if mark else 0) + first_line
    detail = " ".join(part for part in (error.context, error.problem) if part)
    return ContentError(f"YAML 语法错误：{detail}", line)


def _line(node: Node, offset: int) -> int:
    return node.start_mark.line + 1 + offset


def _build(node: Node, constructor: yaml.SafeLoader, offset: int) -> object:
    if isinstance(node, MappingNode):
        return _build_mapping(node, constructor, offset)
    if isinstance(node, SequenceNode):
        items = LocatedList(_build(item, constructor, offset) for item in node.value)
        items.line, items.item_lines = _line(node, offset), [_line(item, offset) for item in node.value]
        return items
    try:
        return constructor.construct_object(node, deep=True)
    except yaml.MarkedYAMLError as error:
        raise _yaml_error(error, offset + 1) from None


def _build_mapping(node: MappingNode, constructor: yaml.SafeLoader, offset: int) -> LocatedDict:
    mapping = LocatedDict()
    mapping.line, mapping.key_lines = _line(node, offset), {}
    for key_node, value_node in node.value:
        key = _build(key_node, constructor, offset)
        if not isinstance(key, str | int):
            raise ContentError("YAML 的键必须是简单文本", _line(key_node, offset))
        if key in mapping:
            raise ContentError(f"字段 '{key}' 重复出现（第 {mapping.key_lines[key]} 行已写过）",
                               _line(key_node, offset))
        mapping[key] = _build(value_node, constructor, offset)
        mapping.key_lines[key] = _line(key_node, offset)
    return mapping


def read_document(path: Path, display: str | None = None,
                  *, max_bytes: int = MAX_FILE_BYTES) -> tuple[Document | None, list[Problem]]:
    """Read a Markdown file with front matter; return (document, []) or (None, [problem])."""
    display = display or str(path)
    try:
        front, body, closing_line = split_front_matter(read_text(path, max_bytes=max_bytes))
        meta = parse_yaml(front, first_line=2)
    except ContentError as error:
        return None, [Problem(display, error.line, error.message)]
    if meta is None:
        meta = LocatedDict()
        meta.line, meta.key_lines = 1, {}
    if not isinstance(meta, LocatedDict):
        return None, [Problem(display, 2, "前置信息应为“字段: 值”形式的 YAML 映射")]
    return Document(path, display, meta, body, closing_line + 1), []


def read_yaml_file(path: Path, display: str | None = None,
                   *, max_bytes: int = MAX_FILE_BYTES) -> tuple[object, list[Problem]]:
    """Read a whole YAML file into Located containers; return (data, problems)."""
    display = display or str(path)
    try:
        return parse_yaml(read_text(path, max_bytes=max_bytes)), []
    except ContentError as error:
        return None, [Problem(display, error.line, error.message)]


def text_value(meta: LocatedDict, key: str, report, max_lengths: dict[str, int]) -> str | None:
    """Return a stripped text field, reporting a wrong type or an over-long value at its line."""
    value = meta.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        report.at_key(key, f"字段 '{key}' 应为文本，实际是 {type_name(value)}")
        return None
    value = value.strip()
    if key in max_lengths and len(value) > max_lengths[key]:
        report.at_key(key, f"字段 '{key}' 过长（{len(value)} 字），最多 {max_lengths[key]} 字")
    return value
