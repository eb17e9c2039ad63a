"""The case fields that record how a practice travels: what it learned from, and where it was adopted.

Snapshot values are lists of small dicts, in the order written:
  learned_from: {"case": slug} or {"place": 地点, "year": 年份}
  adopted_in:   {"region": code, "place": 乡镇或村, "year": 年份, "note": 说明, "source": 来源}
(keys with no value are left out). Files write the same lists under the same keys, with the
region's name instead of its code; the editor's form takes one entry per line (see `lineage_lines`).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from wtforms import TextAreaField
from wtforms.validators import ValidationError

from portal import typography
from portal.cases import lineage_lines
from portal.cases.fieldtypes import STRING, CaseField, nullable
from portal.cases.lineage_lines import ADOPTION_LIMITS, YEAR_RANGE, EntryError
from portal.cases.models import Case, CaseAdoption, CaseLearnedFrom
from portal.extensions import db
from portal.slugs import SLUG_PATTERN
from portal.validation import type_name, unknown_key_message, unknown_message

LEARNED_KEYS = ("case", "place", "year")
ADOPTION_KEYS = ("region", "place", "year", "note", "source")
INTEGER_OR_NULL = nullable({"type": "integer"})
STRING_OR_NULL = nullable(STRING)


def tidy(entry: dict) -> dict:
    """Leave out the keys without a value, so snapshots, files and comparisons agree."""
    return {key: value for key, value in entry.items() if value not in (None, "")}


def clean_text(value: str | None) -> str | None:
    """Text as saved everywhere else: stripped, with Chinese punctuation (portal.typography)."""
    return typography.normalize(value.strip()) if value and value.strip() else None


class ItemReport:
    """Report problems of one list item at its own line of the file."""

    def __init__(self, report, line: int):
        self.report, self.line = report, line

    def add(self, message: str) -> None:
        self.report.add(message, self.line)


def list_items(incoming, key: str, report, example: str) -> list[tuple[object, ItemReport]]:
    """Return the items of a list-valued key with a reporter at each item's line, or report the wrong shape."""
    values = incoming.meta.get(key)
    if values is None:
        return []
    if not isinstance(values, list):
        report.at_key(key, f"字段 '{key}' 应为列表，实际是 {type_name(values)}；写法如：\n{example}")
        return []
    key_line = incoming.meta.line_of(key) if hasattr(incoming.meta, "line_of") else 1
    lines = getattr(values, "item_lines", None) or [key_line] * len(values)
    return [(item, ItemReport(report, line)) for item, line in zip(values, lines, strict=True)]


def check_keys(item: dict, allowed: tuple[str, ...], key: str, where: ItemReport) -> bool:
    unknown = [name for name in item if name not in allowed]
    for name in unknown:
        where.add(f"'{key}' 的条目中：{unknown_key_message(name, allowed)}")
    return not unknown


def text_in(item: dict, name: str, key: str, limit: int, where: ItemReport) -> str | None:
    value = item.get(name)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        where.add(f"'{key}' 的 {name} 应为文本，实际是 {type_name(value)}")
        return None
    if len(value.strip()) > limit:
        where.add(f"'{key}' 的 {name} 过长（{len(value.strip())} 字），最多 {limit} 字")
    return value.strip() or None


def year_in(item: dict, key: str, where: ItemReport) -> int | None:
    value = item.get("year")
    if value is None:
        return None
    low, high = YEAR_RANGE
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        where.add(f"'{key}' 的 year 应为 {low} 到 {high} 之间的整数年份，实际是 {value!r}")
        return None
    return value


@dataclass(frozen=True)
class RecordListField(CaseField):
    """A list of small records: checked item by item at their lines in files, one per line in the form."""

    help_text = ""
    rows = 2

    def differs(self, old, new):
        return (old or []) != (new or [])

    def parse(self, incoming, report):
        entries = []
        for item, where in list_items(incoming, self.name, report, self.example):
            entry = self.parse_item(item, where, incoming)
            if entry:
                entries.append(entry)
        return entries

    def parse_item(self, item, where: ItemReport, incoming) -> dict | None:
        raise NotImplementedError

    def read_lines(self, text: str | None, own_slug: str | None = None) -> list[dict]:
        """The form's lines as snapshot entries; raise EntryError naming the bad lines."""
        raise NotImplementedError

    def write_lines(self, entries: list[dict] | None) -> str:
        raise NotImplementedError

    def form_field(self):
        return TextAreaField(self.form_label or self.label, validators=[self._lines_valid],
                             description=self.help_text, render_kw={"rows": self.rows})

    def _lines_valid(self, form, field) -> None:
        own = form.case.slug if getattr(form, "case", None) is not None else None
        try:
            self.read_lines(field.data, own)
        except EntryError as error:
            raise ValidationError(str(error)) from None

    def from_form(self, form):
        try:
            return self.read_lines(getattr(form, self.name).data)
        except EntryError:
            return []  # the validator has already refused the form

    def to_form(self, form, value):
        getattr(form, self.name).data = self.write_lines(value)

    def search_words(self, case):
        return []


@dataclass(frozen=True)
class LearnedFromField(RecordListField):
    """What the practice learned from: other cases by slug, or places (with the year, if known)."""

    example = "learned_from:\n  - case: pingan-baobiao-guanlifa\n  - place: 某县某镇\n    year: 2018"
    help_text = lineage_lines.LEARNED_HELP

    def read(self, case):
        return [tidy({"case": row.source_slug, "place": row.place, "year": row.year})
                for row in case.learned_from_rows]

    def resolve(self, value, case, values, rows):
        return [CaseLearnedFrom(position=position, source_slug=entry.get("case"),
                                place=clean_text(entry.get("place")), year=entry.get("year"))
                for position, entry in enumerate(value or [])]

    def assign(self, case, resolved):
        case.learned_from_rows = resolved

    def comparable(self, value, snapshot):
        return [tidy({**entry, "place": clean_text(entry.get("place"))}) for entry in value or []]

    def parse_item(self, item, where, incoming):
        if isinstance(item, str):
            item = {"case": item}
        if not isinstance(item, dict):
            where.add(f"'{self.name}' 的每一项应写 case: 案例网址名，或 place: 地点（可加 year: 年份），实际是 {type_name(item)}")
            return None
        if not check_keys(item, LEARNED_KEYS, self.name, where):
            return None
        slug, place = text_in(item, "case", self.name, 120, where), text_in(item, "place", self.name, 120, where)
        year = year_in(item, self.name, where)
        if bool(slug) == bool(place):
            where.add(f"'{self.name}' 的每一项写 case（另一个案例的网址名）或 place（地点）二者之一")
            return None
        if slug and not SLUG_PATTERN.match(slug):
            where.add(f"'{self.name}' 的 case '{slug}' 不是案例网址名（小写字母、数字和连字符）")
            return None
        if slug and year is not None:
            where.add(f"'{self.name}' 引用案例 '{slug}' 时不写 year：年份以该案例为准")
            return None
        if slug:
            incoming.references.append((slug, where.line))
        return tidy({"case": slug, "place": place, "year": year})

    def read_lines(self, text, own_slug=None):
        return lineage_lines.parse_learned(text, own_slug=own_slug)

    def write_lines(self, entries):
        return lineage_lines.learned_text(entries)

    def api(self, case):
        return {self.name: [learned_json(row) for row in case.learned_from_rows if shown_publicly(row)]}

    def api_schema(self):
        reference = {"type": "object", "required": ["slug", "title", "url"],
                     "properties": {"slug": STRING, "title": STRING, "url": STRING}}
        item = {"type": "object", "required": ["case", "place", "year"], "properties": {
            "case": {**reference, "nullable": True}, "place": STRING_OR_NULL, "year": INTEGER_OR_NULL}}
        return {self.name: {"type": "array", "items": item,
                            "description": "本案例借鉴的做法：另一个已发布案例，或一个地点（及年份）"}}


@dataclass(frozen=True)
class AdoptedInField(RecordListField):
    """Where the practice was taken up: a region, perhaps a township or village, a year, a note, a source."""

    example = "adopted_in:\n  - region: 遂昌县\n    place: 某某村\n    year: 2020\n    note: 说明\n    source: 资料来源"
    help_text = lineage_lines.ADOPTION_HELP
    rows = 3

    def read(self, case):
        return [tidy({"region": row.region.code, "place": row.place, "year": row.year, "note": row.note,
                      "source": row.source}) for row in case.adoptions]

    def resolve(self, value, case, values, rows):
        adoptions = []
        for position, entry in enumerate(value or []):
            region = rows.region(entry.get("region"))
            if region is None:
                raise ValueError(f"unknown region {entry.get('region')!r}")  # parse and the form refuse these
            adoptions.append(CaseAdoption(position=position, region=region, place=clean_text(entry.get("place")),
                                          year=entry.get("year"), note=clean_text(entry.get("note")),
                                          source=clean_text(entry.get("source"))))
        return adoptions

    def assign(self, case, resolved):
        case.adoptions = resolved

    def comparable(self, value, snapshot):
        return [tidy({**entry, **{key: clean_text(entry.get(key)) for key in ("place", "note", "source")}})
                for entry in value or []]

    def parse_item(self, item, where, incoming):
        if not isinstance(item, dict):
            where.add(f"'{self.name}' 的每一项应为映射（region、place、year、note、source），实际是 {type_name(item)}")
            return None
        if not check_keys(item, ADOPTION_KEYS, self.name, where):
            return None
        texts = {name: text_in(item, name, self.name, limit, where) for name, limit in ADOPTION_LIMITS.items()}
        year = year_in(item, self.name, where)
        name = texts.pop("region")
        if not name:
            where.add(f"'{self.name}' 的每一项都要写 region（推广到的地区）")
            return None
        lookup = incoming.lookup
        codes = lookup.region_codes(name)
        if len(codes) != 1:
            where.add(f"'{self.name}' 的地区名称 '{name}' 不唯一（代码 {'、'.join(codes)}），请改写地区代码" if codes
                      else f"'{self.name}' 中：{unknown_message('地区', name, lookup.region_candidates())}")
            return None
        return tidy({"region": codes[0], **texts, "year": year})

    def export(self, case, shared_region_names):
        return [tidy({"region": row.region.code if row.region.name in shared_region_names else row.region.name,
                      "place": row.place, "year": row.year, "note": row.note, "source": row.source})
                for row in case.adoptions]

    def read_lines(self, text, own_slug=None):
        return lineage_lines.parse_adoptions(text)

    def write_lines(self, entries):
        return lineage_lines.adoption_text(entries)

    def api(self, case):
        return {self.name: [{"region": {"code": row.region.code, "name": row.region.name}, "place": row.place,
                             "year": row.year, "note": row.note, "source": row.source} for row in case.adoptions]}

    def api_schema(self):
        item = {"type": "object", "required": ["region", "place", "year", "note", "source"], "properties": {
            "region": {"$ref": "#/components/schemas/RegionRef"}, "place": STRING_OR_NULL,
            "year": INTEGER_OR_NULL, "note": STRING_OR_NULL, "source": STRING_OR_NULL}}
        return {self.name: {"type": "array", "items": item,
                            "description": "本案例做法推广到的地区（可含乡镇或村）、年份、说明和资料来源"}}


def published_case(slug: str) -> Case | None:
    return db.session.scalar(db.select(Case).where(Case.slug == slug, Case.status == "published"))


def shown_publicly(row: CaseLearnedFrom) -> bool:
    """Readers see a learned-from case only once it is published; places always."""
    return row.source_slug is None or published_case(row.source_slug) is not None


def learned_json(row: CaseLearnedFrom) -> dict:
    source = published_case(row.source_slug) if row.source_slug else None
    reference = ({"slug": source.slug, "title": source.title,
                  "url": url_for("cases.case_detail", slug=source.slug, _external=True)} if source else None)
    return {"case": reference, "place": row.place, "year": row.year}

