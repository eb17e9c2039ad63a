"""taxonomy.yml: the 统筹 areas and the region tree — validated, looked up by name or code, upserted."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from portal.cases.models import REGION_KINDS, Area, Region
from portal.content.documents import LINK_OUTSIDE, LocatedDict, LocatedList, escapes_folder, read_yaml_file
from portal.content.problems import Problem, ProblemCollector
from portal.extensions import db
from portal.slugs import SLUG_PATTERN
from portal.validation import unknown_key_message, unknown_message

TAXONOMY_FILE = "taxonomy.yml"
AREA_KEYS = ("slug", "name", "description")
REGION_KEYS = ("code", "name", "kind", "children")


@dataclass
class AreaSpec:
    slug: str
    name: str
    description: str
    position: int


@dataclass
class RegionSpec:
    code: str
    name: str
    kind: str
    position: int
    parent_code: str | None


@dataclass
class TaxonomySpec:
    """What taxonomy.yml asks for; `present` is False when the file does not exist."""

    present: bool = False
    areas: list[AreaSpec] = field(default_factory=list)
    regions: list[RegionSpec] = field(default_factory=list)


class TaxonomyLookup:
    """Resolve the area and region names or codes written in case files, against file + database."""

    def __init__(self, spec: TaxonomySpec):
        self.areas = {area.slug: area.name for area in db.session.scalars(select(Area))}
        self.areas.update({area.slug: area.name for area in spec.areas})
        self.regions = {region.code: region.name for region in db.session.scalars(select(Region))}
        self.regions.update({region.code: region.name for region in spec.regions})
        self.region_kinds = {region.code: region.kind for region in db.session.scalars(select(Region))}
        self.region_kinds.update({region.code: region.kind for region in spec.regions})

    def area_slug(self, value: str) -> str | None:
        """Return the slug of the area named or slugged `value`."""
        if value in self.areas:
            return value
        return next((slug for slug, name in self.areas.items() if name == value), None)

    def region_codes(self, value: str) -> list[str]:
        """Return the codes of the regions coded or named `value` (several if the name is shared)."""
        if value in self.regions:
            return [value]
        return [code for code, name in self.regions.items() if name == value]

    def area_candidates(self) -> list[str]:
        return list(self.areas.values()) + list(self.areas)

    def region_candidates(self) -> list[str]:
        return list(self.regions.values()) + list(self.regions)


def validate_taxonomy(root: Path, display_root: str) -> tuple[TaxonomySpec, list[Problem]]:
    """Read and check taxonomy.yml; a missing file means "keep the database's taxonomy"."""
    path = root / TAXONOMY_FILE
    display = f"{display_root}/{TAXONOMY_FILE}"
    if not path.is_file():
        return TaxonomySpec(), []
    if escapes_folder(path, root):
        return TaxonomySpec(), [Problem(display, 1, LINK_OUTSIDE)]
    data, problems = read_yaml_file(path, display)
    if problems:
        return TaxonomySpec(), problems
    report = ProblemCollector(display)
    spec = TaxonomySpec(present=True)
    if not isinstance(data, LocatedDict):
        report.add("taxonomy.yml 应包含 areas 与 regions 两个字段")
        return spec, report.problems
    report.key_lines = data.key_lines
    for key in data:
        if key not in ("areas", "regions"):
            report.at_key(key, unknown_key_message(key, ("areas", "regions")))
    spec.areas = _areas(data.get("areas"), report, data.line_of("areas"))
    spec.regions = _regions(data.get("regions"), None, report, data.line_of("regions"))
    _check_unique([a.slug for a in spec.areas], "统筹领域网址名", report, data.line_of("areas"))
    _check_unique([a.name for a in spec.areas], "统筹领域名称", report, data.line_of("areas"))
    _check_unique([r.code for r in spec.regions], "地区代码", report, data.line_of("regions"))
    _check_area_names_free(spec.areas, report, data.line_of("areas"))
    return spec, report.problems


def _text(item: LocatedDict, key: str, report: ProblemCollector, *, required: bool = True) -> str:
    value = item.get(key)
    if isinstance(value, int) and not isinstance(value, bool) and key == "code":
        value = str(value)
    if value is None or value == "":
        if required:
            report.add(f"缺少字段 '{key}'", item.line)
        return ""
    if not isinstance(value, str):
        report.add(f"字段 '{key}' 应为文本", item.line_of(key))
        return ""
    return value.strip()


def _unknown_keys(item: LocatedDict, allowed: tuple[str, ...], report: ProblemCollector) -> None:
    for key in item:
        if key not in allowed:
            report.add(unknown_key_message(key, allowed), item.line_of(key))


def _areas(items: object, report: ProblemCollector, line: int) -> list[AreaSpec]:
    if items is None:
        return []
    if not isinstance(items, LocatedList):
        report.add("areas 应为列表", line)
        return []
    areas = []
    for position, item in enumerate(items):
        if not isinstance(item, LocatedDict):
            report.add("areas 的每一项应包含 'slug'（网址名）、'name'、'description' 三个字段", items.item_lines[position])
            continue
        _unknown_keys(item, AREA_KEYS, report)
        slug, name = _text(item, "slug", report), _text(item, "name", report)
        if slug and not SLUG_PATTERN.match(slug):
            report.add(f"网址名 '{slug}' 只能包含小写字母、数字和连字符", item.line_of("slug"))
        description = _text(item, "description", report, required=False)
        if slug and name:
            areas.append(AreaSpec(slug, name, description, position))
    return areas


def _regions(items: object, parent: str | None, report: ProblemCollector, line: int) -> list[RegionSpec]:
    if items is None:
        return []
    if not isinstance(items, LocatedList):
        report.add("regions / children 应为列表", line)
        return []
    regions = []
    for position, item in enumerate(items):
        if not isinstance(item, LocatedDict):
            report.add("地区的每一项应包含 code、name、kind", items.item_lines[position])
            continue
        regions.extend(_region(item, position, parent, report))
    return regions


def _region(item: LocatedDict, position: int, parent: str | None, report: ProblemCollector) -> list[RegionSpec]:
    _unknown_keys(item, REGION_KEYS, report)
    code, name = _text(item, "code", report), _text(item, "name", report)
    kind = _text(item, "kind", report, required=False) or "county"
    if kind not in REGION_KINDS:
        report.add(unknown_message("地区类型", kind, list(REGION_KINDS)), item.line_of("kind"))
    children = _regions(item.get("children"), code, report, item.line_of("children"))
    if not (code and name):
        return children
    return [RegionSpec(code, name, kind, position, parent), *children]


def _check_unique(values: list[str], what: str, report: ProblemCollector, line: int) -> None:
    seen = set()
    for value in values:
        if value in seen:
            report.add(f"{what} '{value}' 重复", line)
        seen.add(value)


def _check_area_names_free(areas: list[AreaSpec], report: ProblemCollector, line: int) -> None:
    """Area names are unique in the database: a renamed slug must not take another area's name."""
    slugs = {area.slug for area in areas}
    taken = {area.name: area.slug for area in db.session.scalars(select(Area)) if area.slug not in slugs}
    for area in areas:
        if area.name in taken:
            report.add(f"统筹领域名称 '{area.name}' 已被数据库中的 '{taken[area.name]}' 使用", line)


def apply_taxonomy(spec: TaxonomySpec) -> tuple[int, int, int]:
    """Upsert areas by slug and regions by code; never delete. Return (created, updated, unchanged)."""
    totals = [0, 0, 0]
    existing_areas = {area.slug: area for area in db.session.scalars(select(Area))}
    for area_spec in spec.areas:
        _count(totals, _upsert(existing_areas.get(area_spec.slug), Area, _area_fields(area_spec)))
    regions = {region.code: region for region in db.session.scalars(select(Region))}
    for region_spec in spec.regions:
        fields = _region_fields(region_spec, regions)
        outcome = _upsert(regions.get(region_spec.code), Region, fields)
        regions.setdefault(region_spec.code, outcome[1])
        _count(totals, outcome)
    return totals[0], totals[1], totals[2]


def _area_fields(spec: AreaSpec) -> dict:
    return {"slug": spec.slug, "name": spec.name, "description": spec.description, "position": spec.position}


def _region_fields(spec: RegionSpec, regions: dict[str, Region]) -> dict:
    parent = regions.get(spec.parent_code) if spec.parent_code else None
    return {"code": spec.code, "name": spec.name, "kind": spec.kind, "position": spec.position,
            "parent": parent}


def _upsert(row, model, fields: dict) -> tuple[str, object]:
    if row is None:
        row = model(**fields)
        db.session.add(row)
        return "created", row
    changed = {key: value for key, value in fields.items() if getattr(row, key) != value}
    for key, value in changed.items():
        setattr(row, key, value)
    return ("updated" if changed else "unchanged"), row


def _count(totals: list[int], outcome: tuple[str, object]) -> None:
    totals[("created", "updated", "unchanged").index(outcome[0])] += 1
