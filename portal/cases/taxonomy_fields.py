"""The case fields that point into the taxonomy or the tag list: area, secondary areas, region, tags."""

from __future__ import annotations

from dataclasses import dataclass

from wtforms import SelectField, SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, ValidationError

from portal.cases.fieldtypes import STRING, CaseField, parse_tags, ref, region_chain
from portal.cases.models import Area, Region
from portal.validation import type_name, unknown_message


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


@dataclass(frozen=True)
class TaxonomyRowField(CaseField):
    """One row of the taxonomy (the area, the region): its key in snapshots, a select in the form.

    `Rows` has a finder named like the field's column (`rows.area(slug)`, `rows.region(code)`).
    """

    key: str = "slug"  # the row's attribute snapshots hold
    what: str = ""  # the row's kind, in Chinese, for messages
    file_form: str = ""  # how a file names the row, for the wrong-type message
    numbers_as_text: bool = False  # a bare number in a file is a code (YAML reads 331102 as an integer)

    def read(self, case):
        row = getattr(case, self.column)
        return getattr(row, self.key) if row else None

    def resolve(self, value, case, values, rows):
        return getattr(rows, self.column)(value) or getattr(case, self.column)

    def file_text(self, incoming, report) -> str:
        """The file's text for the row, stripped; "" (reported if of the wrong type) otherwise."""
        value = incoming.meta.get(self.name)
        if self.numbers_as_text and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if value in (None, ""):
            return ""
        if not isinstance(value, str):
            report.at_key(self.name, f"字段 '{self.name}' 应为{self.file_form}，实际是 {type_name(value)}")
            return ""
        return value.strip()

    def form_field(self):
        return SelectField(self.label, validators=[DataRequired(f"请选择{self.what}。")])

    def from_form(self, form):
        return getattr(form, self.name).data or None


@dataclass(frozen=True)
class AreaField(TaxonomyRowField):
    """The primary 统筹 area: a slug in snapshots, its name in files."""

    what: str = "统筹领域"
    file_form: str = "统筹领域名称或网址名"

    def parse(self, incoming, report):
        value = self.file_text(incoming, report)
        return resolve_area(value, incoming.lookup, report, incoming.meta, self.name) if value else ""

    def export(self, case, shared_region_names):
        return case.area.name

    def search_words(self, case):
        return [case.area.name] if case.area else []

    def index_values(self, case):
        return {"area": case.area.slug if case.area else "", "area_name": case.area.name if case.area else ""}

    def api(self, case):
        return {self.name: area_json(case.area)}

    def api_schema(self):
        return {self.name: ref("AreaRef")}


@dataclass(frozen=True)
class SecondaryAreasField(CaseField):
    """Further areas the case also speaks to, never repeating the primary one."""

    primary: str = "area"

    def read(self, case):
        return [area.slug for area in case.secondary_areas]

    def resolve(self, value, case, values, rows):
        primary = rows.area(values.get(self.primary)) or case.area
        found = [area for slug in value or [] if (area := rows.area(slug))]
        return [area for area in found if area is not primary]

    def comparable(self, value, snapshot):
        return set(value or []) - {snapshot.get(self.primary)}

    def differs(self, old, new):
        return set(old or []) != set(new or [])

    def parse(self, incoming, report):
        values = incoming.meta.get(self.name)
        if values is None:
            return []
        if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
            report.at_key(self.name, f"字段 '{self.name}' 应为统筹领域名称的列表，如 [力量统筹, 责任统筹]")
            return []
        slugs = []
        for value in values:
            slug = resolve_area(value.strip(), incoming.lookup, report, incoming.meta, self.name)
            if slug and slug == incoming.values.get(self.primary):
                report.at_key(self.name, f"次要领域 '{value}' 与主领域 area 相同")
            elif slug and slug not in slugs:
                slugs.append(slug)
        return slugs

    def export(self, case, shared_region_names):
        return [area.name for area in case.secondary_areas if area.id != case.area_id]

    def form_field(self):
        return MultiCheckboxField(self.label, validators=[self._not_primary])

    def _not_primary(self, form, field) -> None:
        if getattr(form, self.primary).data in (field.data or []):
            raise ValidationError("其他相关领域不必重复选择主要领域。")

    def from_form(self, form):
        primary = getattr(form, self.primary).data
        return [slug for slug in (getattr(form, self.name).data or []) if slug != primary]

    def to_form(self, form, value):
        getattr(form, self.name).data = value or []

    def search_words(self, case):
        return [area.name for area in case.secondary_areas]

    def api(self, case):
        return {self.name: [area_json(area) for area in case.secondary_areas]}

    def api_schema(self):
        return {self.name: {"type": "array", "items": ref("AreaRef")}}


@dataclass(frozen=True)
class RegionField(TaxonomyRowField):
    """Where the case happened: a region code in snapshots, its name (or code if shared) in files."""

    key: str = "code"
    what: str = "地区"
    file_form: str = "地区名称或代码"
    numbers_as_text: bool = True

    def parse(self, incoming, report):
        value = self.file_text(incoming, report)
        if not value:
            return ""
        codes = incoming.lookup.region_codes(value)
        if len(codes) > 1:
            report.at_key(self.name, f"地区名称 '{value}' 不唯一（代码 {'、'.join(codes)}），请改写地区代码")
            return ""
        if not codes:
            report.at_key(self.name, unknown_message("地区", value, incoming.lookup.region_candidates()))
            return ""
        return codes[0]

    def export(self, case, shared_region_names):
        return case.region.code if case.region.name in shared_region_names else case.region.name

    def search_words(self, case):
        return []  # the place field names the region chain, after the place itself

    def index_values(self, case):
        regions = region_chain(case)
        return {"region": ",".join(region.code for region in regions),
                "region_code": case.region.code if case.region else "",
                "region_name": case.region.name if case.region else "",
                "region_names": ",".join(region.name for region in regions)}

    def api(self, case):
        return {self.name: region_json(case.region)}

    def api_schema(self):
        return {self.name: ref("RegionRef")}


@dataclass(frozen=True)
class TagsField(CaseField):
    """Free Chinese keywords: a list in files and snapshots, one line split on 、 or commas in the form."""

    max_length: int = 64

    def read(self, case):
        return case.tag_names

    def resolve(self, value, case, values, rows):
        return [rows.tag(name) for name in value or []]

    def assign(self, case, resolved):
        case.set_tags(resolved)

    def comparable(self, value, snapshot):
        # In order: a file that only reorders its tags still updates the case, whose tags keep the file's order.
        return [name.strip() for name in value or []]

    def differs(self, old, new):
        # A reordered tag list is the same tags: re-saving a case shows no tag change.
        return set(old or []) != set(new or [])

    def parse(self, incoming, report):
        values = incoming.meta.get(self.name)
        if values is None:
            return []
        if not isinstance(values, list):
            report.at_key(self.name, f"字段 '{self.name}' 应为列表，如 [网格治理, 平安建设]，实际是 {type_name(values)}")
            return []
        tags = []
        for value in values:
            if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
                report.at_key(self.name, f"标签 {value!r} 应为非空文本")
            elif len(str(value).strip()) > self.max_length:
                report.at_key(self.name, f"标签 '{value}' 过长，最多 {self.max_length} 字")
            elif str(value).strip() not in tags:
                tags.append(str(value).strip())
        return tags

    def form_field(self):
        return StringField(self.label, validators=[self._short_enough], description=self.description,
                           render_kw={"list": "tag-options", "autocomplete": "off"})

    def _short_enough(self, form, field) -> None:
        too_long = [name for name in parse_tags(field.data) if len(name) > self.max_length]
        if too_long:
            raise ValidationError(f"标签过长（最多 {self.max_length} 个字）：{too_long[0][:20]}…")

    def from_form(self, form):
        return parse_tags(getattr(form, self.name).data)

    def to_form(self, form, value):
        getattr(form, self.name).data = "、".join(value or [])

    def search_words(self, case):
        return list(case.tag_names)

    def index_values(self, case):
        return {"tags": ",".join(case.tag_names)}

    def api_schema(self):
        return {self.name: {"type": "array", "items": STRING}}


def area_json(area: Area) -> dict:
    """Return an area as the API's {"slug", "name"} reference."""
    return {"slug": area.slug, "name": area.name}


def region_json(region: Region) -> dict:
    """Return a region as the API's {"code", "name"} reference."""
    return {"code": region.code, "name": region.name}


def resolve_area(value: str, lookup, report, meta: dict, key: str) -> str:
    """Return the slug of an area named by slug or name, reporting an unknown one at `key`."""
    slug = lookup.area_slug(value)
    if slug is None:
        report.at_key(key, unknown_message("统筹领域", value, lookup.area_candidates()))
        return ""
    return slug
