"""The rules a synonym group obeys, checked the same way for content/synonyms.yml and the editors' form."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from portal.extensions import db
from portal.search.analysis import normalize, segment
from portal.search.models import SynonymGroup

MAX_TERM_CHARS = 32
MAX_VARIANTS = 20


@dataclass
class GroupSpec:
    """A group as written: the canonical term, its variants, and where it came from (for messages)."""

    term: str
    variants: list[str] = field(default_factory=list)
    line: int = 1

    @property
    def terms(self) -> list[str]:
        return [self.term, *self.variants]


def term_problem(term: object) -> str | None:
    """Return why `term` cannot be a synonym, or None."""
    if not isinstance(term, str) or not term.strip():
        return "同义词不能为空，应为文本"
    term = term.strip()
    if len(term) > MAX_TERM_CHARS:
        return f"同义词“{term[:MAX_TERM_CHARS]}…”过长（{len(term)} 字），最多 {MAX_TERM_CHARS} 字"
    if any(char.isspace() for char in term):
        return f"同义词“{term}”中间不能有空格；每个词单独写一项"
    if not segment(normalize(term)):
        return f"“{term}”只含虚词或符号，搜索时会被忽略，不能作为同义词"
    return None


def group_problems(spec: GroupSpec) -> list[str]:
    """Return what is wrong inside one group (empty, too long, a term repeated)."""
    problems = [problem for problem in map(term_problem, spec.terms) if problem]
    if not spec.variants:
        problems.append(f"“{spec.term}”至少要有一个同义词（variants）")
    if len(spec.variants) > MAX_VARIANTS:
        problems.append(f"一组最多 {MAX_VARIANTS} 个同义词")
    seen: set[str] = set()
    for term in spec.terms:
        key = normalize(term.strip()) if isinstance(term, str) else term
        if key in seen:
            problems.append(f"“{term}”在本组中重复出现")
        seen.add(key)
    return problems


def clash_problems(specs: list[GroupSpec], keep: list[SynonymGroup]) -> dict[int, list[str]]:
    """Return, per spec index, the terms it shares with an earlier spec or a group in `keep`."""
    owners = {normalize(term): group.term for group in keep for term in group.terms}
    clashes: dict[int, list[str]] = {}
    for index, spec in enumerate(specs):
        for term in spec.terms:
            key = normalize(term)
            if key in owners and owners[key] != spec.term:
                clashes.setdefault(index, []).append(f"“{term}”已在“{owners[key]}”一组中，一个词只能属于一组")
            owners.setdefault(key, spec.term)
    return clashes


def cleaned(spec: GroupSpec) -> GroupSpec:
    return GroupSpec(spec.term.strip(), [variant.strip() for variant in spec.variants], spec.line)


def all_groups() -> list[SynonymGroup]:
    return list(db.session.scalars(select(SynonymGroup).order_by(SynonymGroup.term)))


def find_group(term: str) -> SynonymGroup | None:
    """Return the group whose canonical term is `term` (compared as search compares words)."""
    key = normalize(term.strip())
    return next((group for group in all_groups() if normalize(group.term) == key), None)


def write_group(spec: GroupSpec, group: SynonymGroup | None = None) -> tuple[SynonymGroup, bool]:
    """Create or update a group from `spec`; return it and whether anything changed (no commit)."""
    if group is None:
        group = SynonymGroup(term=spec.term, variants=list(spec.variants))
        db.session.add(group)
        return group, True
    if group.term == spec.term and list(group.variants) == list(spec.variants):
        return group, False
    group.term, group.variants = spec.term, list(spec.variants)
    return group, True
