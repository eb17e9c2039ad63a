"""The kinds of case field (text, area, region, tags...): each knows every way its value travels.

A field's value has one plain shape, the *snapshot* value (text, a slug, a code, a list of names),
which revisions store. From it each kind derives: reading and checking a front-matter key, writing
it back out, the editor's form input, the Case row's attribute, the search text and facets, and the
JSON API. `portal.cases.fields` lists the case's fields using these kinds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from wtforms import IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal import typography
from portal.cases.house_template import strip_prompts
from portal.cases.models import Area, Case, Region, Tag
from portal.extensions import db
from portal.markdown import Rendered, plain_text
from portal.timeutil import utcnow
from portal.validation import choice_message, type_name

STRING = {"type": "string"}
# Editors type Chinese or ASCII separators alike.
TAG_SEPARATORS = re.compile(r"[,，、;；\n]+")


def nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def normalize_body(text: str | None) -> str:
    """Drop CRLF and surrounding blank lines, so web-edited and file bodies compare equal."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n").rstrip()


def parse_tags(raw: str | None) -> list[str]:
    """Split the tags input on commas (ASCII or Chinese), 、 or semicolons; drop blanks and repeats."""
    names: list[str] = []
    for piece in TAG_SEPARATORS.split(raw or ""):
        name = piece.strip()
        if name and name not in names:
            names.append(name)
    return names


@dataclass
class Incoming:
    """What a case file offers its fields: front matter, body, the taxonomy, and values read so far."""

    meta: dict
    body: str
    lookup: Any  # portal.content.taxonomy.TaxonomyLookup
    values: dict = field(default_factory=dict)
    # Other cases named by slug, with the line naming them: the importer checks them once it
    # knows every slug of the import.
    references: list[tuple[str, int]] = field(default_factory=list)


class Rows:
    """Areas, regions and tags by slug, code and name, loaded once when many cases are written.

    A bulk writer (the import) passes them all, so writing a case looks nothing up: each lookup would
    autoflush the cases before it, one flush (and its outbox and generation listeners) per case.
    """

    def __init__(self, areas: dict[str, Area] | None = None, regions: dict[str, Region] | None = None,
                 tags: dict[str, Tag] | None = None, renderings: dict[str, Rendered] | None = None):
        self.areas, self.regions, self.tags = areas, regions, tags
        self.renderings = renderings or {}  # Markdown body → its rendering, made ahead (in a process pool)

    def tag(self, name: str) -> Tag:
        """Return the tag with this name, adding it to the session if it is new."""
        if self.tags is None:
            return Tag.get_or_create(name)
        tag = self.tags.get(name)
        if tag is None:
            tag = self.tags[name] = Tag(name=name)
            db.session.add(tag)
        return tag

    def area(self, slug: str | None) -> Area | None:
        if not slug:
            return None
        if self.areas is not None:
            return self.areas.get(slug)
        return db.session.scalar(db.select(Area).where(Area.slug == slug))

    def region(self, code: str | None) -> Region | None:
        if not code:
            return None
        if self.regions is not None:
            return self.regions.get(code)
        return db.session.scalar(db.select(Region).where(Region.code == code))


@dataclass(frozen=True)
class CaseField:
    """One editable field of a case. Subclasses say how its value travels; see the module docstring."""

    name: str
    label: str
    attribute: str = ""
    required: bool = False
    form_label: str = ""
    description: str = ""
    in_form: bool = True
    in_front_matter: bool = True
    search_part: str | None = None
    in_api: bool = True
    api_summary: bool = False

    @property
    def column(self) -> str:
        return self.attribute or self.name

    # The case row ------------------------------------------------------------------------
    def read(self, case: Case) -> Any:
        """The snapshot value: plain data a revision stores."""
        return getattr(case, self.column)

    def resolve(self, value: Any, case: Case, values: dict, rows: Rows) -> Any:
        """Turn a snapshot value into what the row's attribute holds (rows for slugs and codes)."""
        return value

    def assign(self, case: Case, resolved: Any) -> None:
        setattr(case, self.column, resolved)

    def comparable(self, value: Any, snapshot: dict) -> Any:
        """The value as an import compares it: unchanged files leave rows alone."""
        return value

    def differs(self, old: Any, new: Any) -> bool:
        """Whether a revision diff shows the field as changed."""
        return (old or None) != (new or None)

    # Files ---------------------------------------------------------------------------------
    def parse(self, incoming: Incoming, report) -> Any:
        """Read and check the front-matter key, reporting problems at its line."""
        return incoming.meta.get(self.name)

    def export(self, case: Case, shared_region_names: set[str]) -> Any:
        """The front-matter value written on export; None, "" or [] leave the key out."""
        return self.read(case)

    # The editor's form ---------------------------------------------------------------------
    def form_field(self):
        raise NotImplementedError

    def from_form(self, form) -> Any:
        return getattr(form, self.name).data

    def to_form(self, form, value: Any) -> None:
        getattr(form, self.name).data = value

    # Search and API ------------------------------------------------------------------------
    def search_words(self, case: Case) -> list[str]:
        """The words this field adds to its search part (see fields.SEARCH_PARTS)."""
        value = self.read(case)
        return [value] if isinstance(value, str) else []

    def index_values(self, case: Case) -> dict:
        """Stored or filterable index fields besides the weighted search text."""
        return {}

    def api(self, case: Case) -> dict:
        return {self.name: self.read(case)}

    def api_schema(self) -> dict:
        return {self.name: STRING}


@dataclass(frozen=True)
class TextField(CaseField):
    """One line or a paragraph of plain text."""

    max_length: int | None = None
    multiline: bool = False
    blank: str | None = None  # what an empty optional value is stored as

    def resolve(self, value, case, values, rows):
        # Saved and imported text gets Chinese punctuation (“ ” （ ）), see portal.typography.
        value = typography.normalize(value) if value else value
        return (value or getattr(case, self.column)) if self.required else (value or self.blank)

    def comparable(self, value, snapshot):
        return typography.normalize((value or "").strip())

    def parse(self, incoming, report):
        value = incoming.meta.get(self.name)
        if value is None:
            return self.blank
        if not isinstance(value, str):
            report.at_key(self.name, f"字段 '{self.name}' 应为文本，实际是 {type_name(value)}")
            return self.blank
        value = value.strip()
        if self.max_length and len(value) > self.max_length:
            report.at_key(self.name, f"字段 '{self.name}' 过长（{len(value)} 字），最多 {self.max_length} 字")
        return value or self.blank

    def form_field(self):
        length = [Length(max=self.max_length)] if self.max_length else []
        first = DataRequired(f"请填写{self.label}。") if self.required else Optional()
        kind, attributes = (TextAreaField, {"rows": 3}) if self.multiline else (StringField, {})
        if self.max_length and not self.multiline:
            attributes["maxlength"] = self.max_length
        return kind(self.form_label or self.label, validators=[first, *length], description=self.description,
                    render_kw=attributes)

    def from_form(self, form):
        return (getattr(form, self.name).data or "").strip() or self.blank

    def api_schema(self):
        return {self.name: STRING if self.required or self.blank == "" else nullable(STRING)}


@dataclass(frozen=True)
class PlaceField(TextField):
    """The place within the region; its search words name the whole region chain too."""

    def search_words(self, case):
        return [case.place or "", *(region.name for region in region_chain(case))]


@dataclass(frozen=True)
class ChoiceField(CaseField):
    """One of a fixed list of words (level, status)."""

    choices: tuple[str, ...] = ()
    what: str = ""
    default: Callable[[Incoming], str] | str = ""
    export_default: bool = True  # False: the default is left out of exported files
    indexed: bool = False  # a filter of the search index

    def resolve(self, value, case, values, rows):
        return value or getattr(case, self.column)

    def parse(self, incoming, report):
        value = incoming.meta.get(self.name)
        default = self.default(incoming) if callable(self.default) else self.default
        if value in (None, ""):
            return default
        if value not in self.choices:
            report.at_key(self.name, choice_message(self.what, value, self.choices))
            return "" if callable(self.default) else default
        return value

    def export(self, case, shared_region_names):
        value = self.read(case)
        return None if not self.export_default and value == self.default else value

    def form_field(self):
        return SelectField(self.label, choices=[SelectChoice(choice, choice) for choice in self.choices])

    def index_values(self, case):
        return {self.name: self.read(case) or ""} if self.indexed else {}

    def api_schema(self):
        return {self.name: {"type": "string", "enum": list(self.choices)}}


@dataclass(frozen=True)
class StatusField(ChoiceField):
    """Where the case stands in review; files may set it, the editor moves it only through review."""

    def assign(self, case, resolved):
        case.status = resolved
        if resolved == "published" and case.published_at is None:
            case.published_at = utcnow()


@dataclass(frozen=True)
class YearField(CaseField):
    """The year the practice started or was reported."""

    low: int = 1949
    high: int = 2100

    def parse(self, incoming, report):
        value = incoming.meta.get(self.name)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            report.at_key(self.name, f"字段 '{self.name}' 应为整数年份（如 2020），实际是 {type_name(value)} '{value}'")
            return None
        if not self.low <= value <= self.high:
            report.at_key(self.name, f"年份 {value} 不合理，应在 {self.low} 到 {self.high} 之间")
            return None
        return value

    def form_field(self):
        message = f"年份应在 {self.low} 到 {self.high} 之间。"
        return IntegerField(self.label, validators=[Optional(), NumberRange(self.low, self.high, message)],
                            render_kw={"inputmode": "numeric"})

    def search_words(self, case):
        return []

    def index_values(self, case):
        return {"year": case.year or 0}

    def api_schema(self):
        return {self.name: nullable({"type": "integer"})}


@dataclass(frozen=True)
class DateField(CaseField):
    """A calendar date (最近核实, 复核期限): ISO text in snapshots and the API, a YAML date in files."""

    def read(self, case):
        value = getattr(case, self.column)
        return value.isoformat() if value else None

    def resolve(self, value, case, values, rows):
        return date.fromisoformat(value) if isinstance(value, str) else value

    def parse(self, incoming, report):
        value = incoming.meta.get(self.name)
        if value is None:
            return None
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value.strip())
            except ValueError:
                value = None
        if not isinstance(value, date):
            report.at_key(self.name, f"字段 '{self.name}' 应为日期，写法如 2024-05-01")
            return None
        return value.isoformat()

    def export(self, case, shared_region_names):
        return getattr(case, self.column)

    def search_words(self, case):
        return []

    def api_schema(self):
        return {self.name: nullable({"type": "string", "format": "date"})}


@dataclass(frozen=True)
class BodyField(CaseField):
    """The Markdown body: written after the front matter, stored with its sanitized rendering."""

    def read(self, case):
        return case.body_md

    def resolve(self, value, case, values, rows):
        text = typography.normalize(value or "")
        return text, rows.renderings.get(text)

    def assign(self, case, resolved):
        case.set_body(*resolved)

    def comparable(self, value, snapshot):
        return typography.normalize(normalize_body(value))

    def parse(self, incoming, report):
        return normalize_body(incoming.body)

    def form_field(self):
        return TextAreaField(self.form_label or self.label, description=self.description,
                             render_kw={"rows": 24, "spellcheck": "false"})

    def from_form(self, form):
        # Browsers send CRLF; store the body as the importer does so exports round-trip unchanged.
        return normalize_body(strip_prompts(getattr(form, self.name).data))

    def search_words(self, case):
        return [plain_text(case.body_md)]

    def api(self, case):
        return {"body_md": case.body_md, "body_html": case.body_html}

    def api_schema(self):
        return {"body_md": STRING, "body_html": STRING}



def region_chain(case: Case) -> list[Region]:
    """Return the case's region and every region above it, root first."""
    if case.region is None:
        return []
    return [*case.region.ancestors(), case.region]
