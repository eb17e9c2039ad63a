"""content/synonyms.yml: synonym groups imported and exported with the rest of the content.

    - term: 陈尸陈案          # the canonical term
      variants: [陈尸案件]    # words readers use for the same thing

Groups are matched to the database by their canonical term; groups only in the database (added by
editors) are kept, so importing an older file never loses an editor's work.
"""

from __future__ import annotations

from pathlib import Path

from portal.content.documents import LocatedDict, LocatedList, read_yaml_file
from portal.content.pipeline import Counts, ImportContext
from portal.content.problems import Problem
from portal.search.analysis import normalize
from portal.search.synonym_groups import (
    GroupSpec,
    all_groups,
    clash_problems,
    cleaned,
    group_problems,
    write_group,
)
from portal.validation import unknown_key_message

SYNONYMS_FILE = "synonyms.yml"
KEYS = ("term", "variants")
HEADER = ("# 同义词组：搜索时，输入任一个词也会同时搜索同组的其他词（无需重建索引）。\n"
          "# term 是规范用词，variants 是读者常用的其他说法。也可在“编辑台 → 同义词”中修改。\n")
SHAPE = "每一组应写成 {term: 规范用词, variants: [其他说法, …]}"


class SynonymKind:
    """The content kind for synonym groups (see portal.content.pipeline)."""

    name = "synonyms"
    label = "同义词组"

    def validate(self, root: Path, context: ImportContext) -> tuple[list[GroupSpec], list[Problem]]:
        path = root / SYNONYMS_FILE
        if not path.exists():
            return [], []
        return validate_file(path, context.display(path))

    def apply(self, parsed: list[GroupSpec], context: ImportContext) -> Counts:
        existing = {normalize(group.term): group for group in all_groups()}
        counts = Counts()
        for spec in parsed:
            group = existing.get(normalize(spec.term))
            _, changed = write_group(spec, group)
            counts += Counts(created=int(group is None), updated=int(changed and group is not None),
                             unchanged=int(not changed))
        return counts

    def export(self, root: Path) -> int:
        from portal.content.export import FlowList, dump_yaml, write_text

        groups = all_groups()
        if not groups and not (root / SYNONYMS_FILE).exists():
            return 0
        items = [{"term": group.term, "variants": FlowList(group.variants)} for group in groups]
        write_text(root / SYNONYMS_FILE, HEADER + (dump_yaml(items) if items else "[]\n"))
        return len(groups)


def validate_file(path: Path, display: str) -> tuple[list[GroupSpec], list[Problem]]:
    """Read and check every group in the file, and that no word belongs to two groups."""
    data, problems = read_yaml_file(path, display)
    if problems:
        return [], problems
    if data is None:
        return [], []
    if not isinstance(data, LocatedList):
        return [], [Problem(display, 1, f"同义词文件应为列表，{SHAPE}")]
    specs = []
    for item, line in zip(data, data.item_lines, strict=True):
        spec, found = read_group(item, line)
        problems.extend(Problem(display, spec_line, message) for spec_line, message in found)
        if spec is not None:
            specs.append(spec)
    return specs, problems + clashes(specs, display)


def read_group(item: object, line: int) -> tuple[GroupSpec | None, list[tuple[int, str]]]:
    """Return one group from the file with its problems as (line, message)."""
    if not isinstance(item, LocatedDict):
        return None, [(line, SHAPE)]
    found = [(item.line_of(key), unknown_key_message(key, KEYS)) for key in item if key not in KEYS]
    variants = item.get("variants")
    if not isinstance(variants, LocatedList):
        found.append((item.line_of("variants"), f"“variants”应为同义词列表，{SHAPE}"))
        variants = []
    spec = GroupSpec(item.get("term"), list(variants), line)
    found += [(item.line_of("term"), message) for message in group_problems(spec)]
    return (None, found) if found else (cleaned(spec), [])


def clashes(specs: list[GroupSpec], display: str) -> list[Problem]:
    """Report words shared between groups of the file, or with groups only in the database."""
    in_file = {normalize(spec.term) for spec in specs}
    kept = [group for group in all_groups() if normalize(group.term) not in in_file]
    found = clash_problems(specs, kept)
    return [Problem(display, specs[index].line, message) for index, messages in found.items()
            for message in messages]
