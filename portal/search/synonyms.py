"""Synonym groups applied at query time (filled in by the synonyms work; see TEAM.md's shared seams)."""

from __future__ import annotations


def variants(term: str) -> tuple[str, ...]:
    """Return `term` followed by the other terms of its synonym group; (term,) when it has none."""
    return (term,)
