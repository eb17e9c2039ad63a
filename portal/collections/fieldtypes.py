"""The kinds of collection field (text, Markdown, switch, lines, items): each knows every way its value travels.

As with a case's fields (portal.cases.fieldtypes), a value has one plain shape, the *snapshot* value
(text, a flag, a list), from which each kind derives: reading and checking a file's key, writing it
back out, the editor's form input, the row's attribute, the diff and the JSON API.
`portal.collections.fields` lists a collection's fields using these kinds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal import typography
from portal.content.documents import LocatedDict, LocatedList
from portal.content.problems import ProblemCollector
from portal.validation import type_name, unknown_key_message, unknown_message

STRING = {"type": "string"}


def normalize_text(text: str | None) -> str:
    """Drop CRLF and surrounding blank lines, so file, form and database texts compare equal."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n").rstrip()


def split_lines(text: str | None) -> list[str]:
    """Split a text box into its non-empty lines (one question per line)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@dataclass
class Incoming:
    """What a collection file (or one of its items) offers its fields."""

    meta: LocatedDict
    report: ProblemCollector
    case_slugs: set[str]
    body: str | None = None  # a Markdown file's body (the introduction); None in a .yml file


@dataclass(frozen=True)
class CollectionField:
    """One field of a collection (or of one of its items). Subclasses say how its value travels."""

    name: str
    label: str
    attribute: str = ""
    form_name: str = ""
    description: str = ""
    required: bool = False
    in_form: bool = True
    in_api: bool = True
    # False: a switch only publishers move, through review (published, featured); not an edit of content.
    content: bool = True

    @property
    def column(self) -> str:
        return self.attribute or self.name

    @property
    def input_name(self) -> str:
        return self.form_name or self.name

    # The row -------------------------------------------------------------------------------
    def read(self, row) -> Any:
        """The snapshot value: plain data."""
        return getattr(row, self.column)

    def write(self, row, value: Any, cases: dict) -> None:
        setattr(row, self.column, value)

    def comparable(self, value: Any) -> Any:
        """The value as an import and a diff compare it."""
        return value

    def show(self, value: Any) -> str:
        """The value as a diff shows it."""
        return "" if value is None else str(value)

    # Files ---------------------------------------------------------------------------------
    @property
    def file_keys(self) -> tuple[str, ...]:
        return (self.name,)

    def parse(self, incoming: Incoming) -> Any:
        """Read and check the key, reporting problems at its line."""
        return incoming.meta.get(self.name)

    def export(self, value: Any) -> Any:
        """The value written to a file; None, "" or [] leave the key out."""
        return value

    # The editor's form ---------------------------------------------------------------------
    def form_field(self):
        raise NotImplementedError

    def from_form(self, form) -> Any:
        return getattr(form, self.input_name).data

    def form_value(self, value: Any) -> Any:
        """The input's data for a snapshot value."""
        return value

    # API -----------------------------------------------------------------------------------
    def api(self, row) -> dict:
        return {self.name: self.read(row)}

    def api_schema(self) -> dict:
        return {self.name: STRING}


@dataclass(frozen=True)
class TextField(CollectionField):
    """One line, or a paragraph of (Markdown) text; saved with Chinese punctuation."""

    max_length: int | None = None
    rows: int = 0  # a text box of this many rows; 0: one line

    def write(self, row, value, cases):
        setattr(row, self.column, self.comparable(value))

    def comparable(self, value):
        return typography.normalize(normalize_text(value))

    def parse(self, incoming):
        return self.checked(incoming, incoming.meta.get(self.name))

    def checked(self, incoming: Incoming, value: Any) -> str:
        if value is not None and not isinstance(value, str):
            incoming.report.at_key(self.name, f"字段 '{self.name}' 应为文本，实际是 {type_name(value)}")
            value = None
        value = normalize_text(value).strip()
        if self.max_length and len(value) > self.max_length:
            incoming.report.at_key(self.name, f"字段 '{self.name}' 过长（{len(value)} 字），最多 {self.max_length} 字")
        if self.required and not value:
            incoming.report.add(f"缺少必填字段 '{self.name}'")
        return value

    def export(self, value):
        return normalize_text(value)

    def form_field(self):
        first = DataRequired(f"请填写{self.label}") if self.required else Optional()
        length = [Length(max=self.max_length)] if self.max_length else []
        kind, attributes = (TextAreaField, {"rows": self.rows}) if self.rows else (StringField, {})
        return kind(self.label, validators=[first, *length], description=self.description, render_kw=attributes)

    def from_form(self, form):
        return normalize_text(getattr(form, self.input_name).data).strip()


@dataclass(frozen=True)
class MarkdownField(TextField):
    """The introduction: a Markdown file's body, or the `introduction` key of a .yml file.

    Stored with its sanitized rendering through the row's `setter` (e.g. Collection.set_intro).
    """

    setter: str = ""
    html_attribute: str = ""

    @property
    def file_keys(self):
        return ()  # allowed in .yml files only; see `parse`

    def write(self, row, value, cases):
        getattr(row, self.setter)(self.comparable(value))

    def parse(self, incoming):
        value = incoming.body if incoming.body is not None else incoming.meta.get(self.name)
        return self.checked(incoming, value)

    def api(self, row):
        return {f"{self.name}_md": getattr(row, self.column), f"{self.name}_html": getattr(row, self.html_attribute)}

    def api_schema(self):
        return {f"{self.name}_md": STRING, f"{self.name}_html": STRING}


@dataclass(frozen=True)
class SwitchField(CollectionField):
    """A yes/no switch (published, featured)."""

    default: bool = False
    export_default: bool = True  # False: files leave the key out when it holds the default

    def read(self, row):
        return bool(getattr(row, self.column))

    def comparable(self, value):
        return bool(value)

    def show(self, value):
        return "是" if value else "否"

    def parse(self, incoming):
        value = incoming.meta.get(self.name, self.default)
        if not isinstance(value, bool):
            incoming.report.at_key(self.name, f"字段 '{self.name}' 应为 true 或 false")
            return self.default
        return value

    def export(self, value):
        return bool(value) if self.export_default or bool(value) != self.default else None

    def form_field(self):
        return BooleanField(self.label, default=self.default, description=self.description)

    def from_form(self, form):
        return bool(getattr(form, self.input_name).data)

    def api_schema(self):
        return {self.name: {"type": "boolean"}}


@dataclass(frozen=True)
class LinesField(CollectionField):
    """A short list of one-line texts (discussion questions): a list in files, one per line in the form."""

    max_count: int = 10
    max_length: int = 300
    what: str = "讨论题"

    def read(self, row):
        return list(getattr(row, self.column) or [])

    def write(self, row, value, cases):
        setattr(row, self.column, self.comparable(value))

    def comparable(self, value):
        return [typography.normalize(line.strip()) for line in value or []]

    def show(self, value):
        return "\n".join(value or [])

    def parse(self, incoming):
        lines = incoming.meta.get(self.name)
        if lines is None:
            return []
        if not isinstance(lines, LocatedList):
            incoming.report.at_key(self.name, f"字段 '{self.name}' 应为{self.what}列表")
            return []
        cleaned = []
        for line, number in zip(lines, lines.item_lines, strict=True):
            if not isinstance(line, str) or not line.strip():
                incoming.report.add(f"每道{self.what}都应为非空文本", number)
            elif len(line.strip()) > self.max_length:
                incoming.report.add(f"{self.what}过长（{len(line.strip())} 字），最多 {self.max_length} 字", number)
            else:
                cleaned.append(line.strip())
        if len(lines) > self.max_count:
            incoming.report.at_key(self.name, f"{self.what}最多 {self.max_count} 道，现在有 {len(lines)} 道")
        return cleaned

    def export(self, value):
        return list(value or [])

    def form_field(self):
        return TextAreaField(f"{self.label}（每行一题）", validators=[Optional(), self.check_lines],
                             description=f"每行写一道题，最多 {self.max_count} 题。", render_kw={"rows": 4})

    def check_lines(self, form, field) -> None:
        """Refuse too many or too long lines."""
        lines = split_lines(field.data)
        if len(lines) > self.max_count:
            raise ValidationError(f"{self.what}最多 {self.max_count} 道，现在有 {len(lines)} 道")
        too_long = [n for n, line in enumerate(lines, 1) if len(line) > self.max_length]
        if too_long:
            raise ValidationError(f"第 {too_long[0]} 题过长，每题最多 {self.max_length} 字")

    def from_form(self, form):
        return split_lines(getattr(form, self.input_name).data)

    def form_value(self, value):
        return "\n".join(value or [])

    def api_schema(self):
        return {self.name: {"type": "array", "items": STRING}}


ITEM_HINT = "{case: 案例网址名, note: 导读, questions: [讨论题]}"


@dataclass(frozen=True)
class ItemsField(CollectionField):
    """The collection's cases in teaching order, each with the fields `item_fields` declares.

    Edited item by item (add, move, remove, annotate), not in the collection's own form.
    """

    item_fields: tuple[CollectionField, ...] = ()

    def read(self, row):
        return [{"case": item.case.slug, **{field.name: field.read(item) for field in self.item_fields}}
                for item in row.items]

    def write(self, row, value, cases):
        """Update items in place (a case appears once per collection) and store their order."""
        from portal.collections.models import CollectionItem

        by_case = {item.case.slug: item for item in row.items}
        items = []
        for position, entry in enumerate(value):
            item = by_case.get(entry["case"]) or CollectionItem(case=cases[entry["case"]])
            item.position = position
            for field in self.item_fields:
                field.write(item, entry.get(field.name), cases)
            items.append(item)
        row.items = items

    def comparable(self, value):
        return [{"case": entry["case"], **{field.name: field.comparable(entry.get(field.name))
                                           for field in self.item_fields}} for entry in value or []]

    def show(self, value):
        return "、".join(entry["case"] for entry in value or [])

    def parse(self, incoming):
        items = incoming.meta.get(self.name)
        if items is None:
            incoming.report.add(f"缺少必填字段 '{self.name}'：合集至少要列出一个案例")
            return []
        if not isinstance(items, LocatedList) or not items:
            incoming.report.at_key(self.name, f"字段 '{self.name}' 应为非空列表，每项形如 {ITEM_HINT}")
            return []
        entries, seen = [], {}
        for item, line in zip(items, items.item_lines, strict=True):
            entry = self.parse_item(incoming, item, line)
            if entry and entry["case"] in seen:
                incoming.report.add(f"案例 '{entry['case']}' 在本合集中重复出现（第 {seen[entry['case']]} 行已列出）", line)
            elif entry:
                seen[entry["case"]] = line
                entries.append(entry)
        return entries

    def parse_item(self, incoming: Incoming, item: object, line: int) -> dict | None:
        if not isinstance(item, LocatedDict):
            incoming.report.add(f"{self.name} 的每一项应为映射，如 {ITEM_HINT}", line)
            return None
        report = ProblemCollector(incoming.report.path, item.key_lines, default_line=item.line)
        allowed = ("case", *(field.name for field in self.item_fields))
        for key in item:
            if key not in allowed:
                report.at_key(key, unknown_key_message(key, allowed))
        case = item.get("case")
        if not isinstance(case, str) or not case.strip():
            report.at_key("case", "每一项都要写 case：案例的网址名")
        elif case.strip() not in incoming.case_slugs:
            report.at_key("case", unknown_message("案例", case.strip(), sorted(incoming.case_slugs)))
        inner = Incoming(item, report, incoming.case_slugs)
        entry = {"case": (case or "").strip() if isinstance(case, str) else "",
                 **{field.name: field.parse(inner) for field in self.item_fields}}
        incoming.report.problems.extend(report.problems)
        return None if report.problems else entry

    def export(self, value):
        return [{key: found for key, found in
                 {"case": entry["case"], **{field.name: field.export(entry.get(field.name))
                                            for field in self.item_fields}}.items()
                 if found not in (None, "", [])} for entry in value or []]

    def api(self, row):
        shown = [field for field in self.item_fields if field.in_api]
        return {self.name: [{"case": item.case.slug, "title": item.case.title,
                             **{key: found for field in shown for key, found in field.api(item).items()}}
                            for item in row.items if item.case.is_published]}

    def api_schema(self):
        properties = {"case": STRING, "title": STRING}
        for field in self.item_fields:
            properties.update(field.api_schema() if field.in_api else {})
        return {self.name: {"type": "array", "items": {"type": "object", "properties": properties}}}
