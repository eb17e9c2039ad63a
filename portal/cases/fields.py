"""A case's editable fields, declared once; import, export, form, snapshot, diff, search and API derive from here.

To add a field: add its column to `Case` (plus a migration) and one entry to CASE_FIELDS below.
Entries are in front-matter order; the field kinds live in `portal.cases.fieldtypes`.
"""

from __future__ import annotations

from portal.cases.fieldtypes import (
    BodyField,
    CaseField,
    ChoiceField,
    DateField,
    Incoming,
    PlaceField,
    Rows,
    StatusField,
    TextField,
    YearField,
)
from portal.cases.lineage_fields import AdoptedInField, LearnedFromField
from portal.cases.models import LEVELS, STATUSES, Case
from portal.cases.taxonomy_fields import AreaField, RegionField, SecondaryAreasField, TagsField
from portal.timeutil import utcnow

LEVEL_BY_REGION_KIND = {"city": "市级", "county": "县级", "township": "乡镇级", "village": "村级"}


def level_of_region(incoming: Incoming) -> str:
    """A case without a level takes its region's: a county's case is 县级."""
    kind = incoming.lookup.region_kinds.get(incoming.values.get("region"), "")
    return LEVEL_BY_REGION_KIND.get(kind, "市级")


CASE_FIELDS: tuple[CaseField, ...] = (
    TextField("title", "标题", required=True, max_length=200, search_part="title", api_summary=True),
    TextField("summary", "摘要", max_length=2000, multiline=True, blank="", search_part="summary",
              api_summary=True),
    AreaField("area", "主要统筹领域", attribute="area", required=True, search_part="meta", api_summary=True),
    SecondaryAreasField("secondary_areas", "其他相关领域", search_part="meta"),
    RegionField("region", "地区", required=True, api_summary=True),
    PlaceField("place", "具体地点", form_label="具体地点（乡镇、村）", max_length=120, search_part="place"),
    ChoiceField("level", "层级", choices=LEVELS, what="层级", default=level_of_region, search_part="meta",
                indexed=True),
    TagsField("tags", "标签", description="用逗号或顿号分隔，如：网格治理、党建统领", search_part="tags_text",
              api_summary=True),
    YearField("year", "年份"),
    TextField("source", "资料来源", max_length=300),
    LearnedFromField("learned_from", "借鉴来源", form_label="借鉴自（另一个案例，或地点和年份）"),
    AdoptedInField("adopted_in", "推广情况", form_label="推广到（地区、乡镇或村、年份、说明、来源）"),
    StatusField("status", "状态", choices=STATUSES, what="状态", default="published", export_default=False,
                in_form=False, in_api=False),
    # Changed by marking a case re-checked (editor/freshness.py), not in the case form.
    DateField("checked_on", "最近核实", in_form=False),
    DateField("review_by", "复核期限", in_form=False),
    BodyField("body", "正文", attribute="body_md", in_front_matter=False, search_part="body",
              description="用 Markdown 书写：## 小标题、- 列表、[链接](网址)，详见下方“写作帮助”。"),
)
# The weighted parts of a case's search text, in index order: a word in the title says far more
# about a case than one in its body. Fields name their part with `search_part`.
SEARCH_PARTS = {"title": 6.0, "tags_text": 3.0, "place": 3.0, "summary": 2.0, "meta": 1.0, "body": 1.0}


# Everything below reads CASE_FIELDS when called, so a test can declare an extra field.
def field_named(name: str) -> CaseField:
    return next(field for field in CASE_FIELDS if field.name == name)


def form_fields() -> tuple[CaseField, ...]:
    """Fields editors change in the case form; the status moves only through review."""
    return tuple(field for field in CASE_FIELDS if field.in_form)


def front_matter_fields() -> tuple[CaseField, ...]:
    return tuple(field for field in CASE_FIELDS if field.in_front_matter)


def front_matter_keys() -> tuple[str, ...]:
    """Every key a case file may carry: the fields, and the slug (which names the file's case)."""
    names = [field.name for field in front_matter_fields()]
    return (names[0], "slug", *names[1:])


def content_keys() -> tuple[str, ...]:
    return tuple(field.name for field in form_fields())


def all_keys() -> tuple[str, ...]:
    return tuple(field.name for field in CASE_FIELDS)


def snapshot(case: Case) -> dict:
    """Return the editable fields as plain data, as stored in a revision."""
    return {field.name: field.read(case) for field in CASE_FIELDS}


def write_case(case: Case, values: dict, *, keys: tuple[str, ...] | None = None, rows: Rows | None = None) -> None:
    """The one writer: set the fields named by `keys` (default: the form's) and render the Markdown."""
    rows = rows or Rows()
    fields = [field_named(key) for key in keys or content_keys()]
    # Every lookup (and new tag) before any assignment: their autoflush must not write a
    # half-filled case, and must flush the tags earlier cases created.
    resolved = [(field, field.resolve(values.get(field.name), case, values, rows)) for field in fields]
    for field, value in resolved:
        field.assign(case, value)
    # An explicit timestamp makes every real update an UPDATE of the row, so the version
    # (optimistic lock) moves even when only tags or secondary areas changed.
    case.updated_at = utcnow()


def comparable_state(values: dict) -> dict:
    """Return snapshot values as an import compares them (stripped text, unordered lists)."""
    return {field.name: field.comparable(values.get(field.name), values) for field in CASE_FIELDS}


def parse_case_file(incoming: Incoming, report) -> dict:
    """Read every field from a case file's front matter and body into snapshot values."""
    for field in front_matter_fields():
        if field.required and incoming.meta.get(field.name) in (None, ""):
            report.add(f"缺少必填字段 '{field.name}'")
    for field in CASE_FIELDS:
        incoming.values[field.name] = field.parse(incoming, report)
    return incoming.values


def front_matter(case: Case, shared_region_names: set[str] = frozenset()) -> dict:
    """Return the case's front matter in declaration order, without empty optional keys."""
    meta = {field.name: field.export(case, shared_region_names) for field in front_matter_fields()}
    return {key: value for key, value in meta.items() if value not in (None, "", [])}


def form_values(form) -> dict:
    """Return the form's values as snapshot values (without the status)."""
    return {field.name: field.from_form(form) for field in form_fields()}


def fill_form(form, values: dict) -> None:
    """Put snapshot values into a form (a first load, a conflict page or a restored draft)."""
    for field in form_fields():
        field.to_form(form, values.get(field.name))


def search_parts(case: Case) -> dict[str, str]:
    """Return each weighted search part's text, its fields' words in declaration order."""
    words: dict[str, list[str]] = {part: [] for part in SEARCH_PARTS}
    for field in CASE_FIELDS:
        if field.search_part:
            words[field.search_part].extend(field.search_words(case))
    return {part: " ".join(filter(None, found)) for part, found in words.items()}


def index_values(case: Case) -> dict:
    """Return the index's stored and filterable values the fields supply."""
    return {key: value for field in CASE_FIELDS for key, value in field.index_values(case).items()}


def api_values(case: Case, *, summary_only: bool = False) -> dict:
    """Return the fields the JSON API shows: listing fields, or every public one."""
    shown = [field for field in CASE_FIELDS if field.in_api and (field.api_summary or not summary_only)]
    return {key: value for field in shown for key, value in field.api(case).items()}


def api_schema(*, summary_only: bool) -> dict:
    """Return the OpenAPI properties of api_values(summary_only=...) minus the other half."""
    shown = [field for field in CASE_FIELDS if field.in_api and field.api_summary == summary_only]
    return {key: schema for field in shown for key, schema in field.api_schema().items()}


def field_labels() -> dict[str, str]:
    """The Chinese name of every front-matter field, for diffs."""
    return {field.name: field.label for field in front_matter_fields()}
