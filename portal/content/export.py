"""Write the database back out as content/: taxonomy.yml and cases/<slug>.md, in the import format."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml
from sqlalchemy import select

from portal.cases.fields import front_matter
from portal.cases.fieldtypes import normalize_body
from portal.cases.models import Area, Case, Region
from portal.content.cases import CASES_DIR
from portal.content.taxonomy import TAXONOMY_FILE
from portal.extensions import db

# Long summaries stay on one line: easier to diff than YAML's folding.
YAML_WIDTH = 100_000


class FlowList(list):
    """A list written inline, like `tags: [网格治理, 平安建设]`."""


class FlowDict(dict):
    """A mapping written inline, like a leaf region `{code: '331102', name: 莲都区, kind: county}`."""


class ContentDumper(yaml.SafeDumper):
    """SafeDumper writing block style except where FlowList / FlowDict ask for inline."""


ContentDumper.add_representer(
    FlowList, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True))
ContentDumper.add_representer(
    FlowDict, lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True))


def dump_yaml(data: object) -> str:
    """Dump YAML the way the content files are written: Chinese as-is, keys in the given order."""
    return yaml.dump(data, Dumper=ContentDumper, allow_unicode=True, sort_keys=False, width=YAML_WIDTH,
                     default_flow_style=False)


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 with LF line ends whatever the platform."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def export_content_dir(root: Path) -> int:
    """Write every kind of content under `root`; return the number of case files written."""
    from portal.content.pipeline import content_kinds

    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    written = {kind.name: kind.export(root) for kind in content_kinds()}
    return written["cases"]


def export_taxonomy(root: Path) -> int:
    """Write taxonomy.yml; return the number of areas and regions written."""
    areas = db.session.scalars(select(Area).order_by(Area.position, Area.id)).all()
    roots = db.session.scalars(
        select(Region).where(Region.parent_id.is_(None)).order_by(Region.position, Region.id)).all()
    area_items = [{"slug": a.slug, "name": a.name, "description": a.description} for a in areas]
    regions = [_region_item(region) for region in roots]
    write_text(root / TAXONOMY_FILE, dump_yaml({"areas": area_items, "regions": regions}))
    return len(areas) + db.session.scalar(select(db.func.count(Region.id)))


def _region_item(region: Region) -> dict:
    item = {"code": region.code, "name": region.name, "kind": region.kind}
    if not region.children:
        return FlowDict(item)
    return {**item, "children": [_region_item(child) for child in region.children]}


def export_cases(root: Path) -> int:
    """Write one cases/<slug>.md per case, whatever its status; return how many."""
    cases = db.session.scalars(select(Case).order_by(Case.slug)).unique().all()
    shared_names = {name for name, n in Counter(db.session.scalars(select(Region.name))).items() if n > 1}
    for case in cases:
        write_text(root / CASES_DIR / f"{case.slug}.md", case_file_text(case, shared_names))
    return len(cases)


def case_file_text(case: Case, shared_region_names: set[str] = frozenset()) -> str:
    """Return the Markdown file for one case: front matter, blank line, body."""
    return f"---\n{dump_yaml(flow_lists(front_matter(case, shared_region_names)))}---\n\n{normalize_body(case.body_md)}\n"


def flow_lists(meta: dict) -> dict:
    """Write lists of words inline, like `tags: [网格治理, 平安建设]`; lists of entries stay one per line."""
    return {key: FlowList(value) if isinstance(value, list) and not any(isinstance(item, dict) for item in value)
            else value for key, value in meta.items()}
