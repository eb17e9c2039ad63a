"""The built-in content kinds: the taxonomy and the cases, in the shape every kind has."""

from __future__ import annotations

from pathlib import Path

from portal.content.cases import CaseSpec, apply_cases, validate_cases
from portal.content.pipeline import Counts, ImportContext, database_case_slugs
from portal.content.problems import Problem
from portal.content.taxonomy import TaxonomyLookup, TaxonomySpec, apply_taxonomy, validate_taxonomy


class TaxonomyKind:
    """content/taxonomy.yml: the five areas and the region tree."""

    name = "taxonomy"
    label = "分类（领域与地区）"

    def validate(self, root: Path, context: ImportContext) -> tuple[TaxonomySpec, list[Problem]]:
        spec, problems = validate_taxonomy(root, context.display_root)
        context.taxonomy = TaxonomyLookup(spec)
        return spec, problems

    def apply(self, parsed: TaxonomySpec, context: ImportContext) -> Counts:
        return Counts(*apply_taxonomy(parsed))

    def export(self, root: Path) -> int:
        from portal.content.export import export_taxonomy

        return export_taxonomy(root)


class CaseKind:
    """content/cases/*.md: one Markdown file with YAML front matter per case."""

    name = "cases"
    label = "案例"

    def validate(self, root: Path, context: ImportContext) -> tuple[list[CaseSpec], list[Problem]]:
        specs, problems = validate_cases(root, context.display_root, context.taxonomy, context.progress)
        context.case_slugs = database_case_slugs() | {spec.slug for spec in specs}
        return specs, problems

    def apply(self, parsed: list[CaseSpec], context: ImportContext) -> Counts:
        return Counts(*apply_cases(parsed, context.display_root, context.progress))

    def export(self, root: Path) -> int:
        from portal.content.export import export_cases

        return export_cases(root)
