"""A problem found while validating content: reported as `path:line: message`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file; `line` is 1-based (1 for problems with the whole file)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ProblemCollector:
    """Collect the problems of one file, so validators can report many and carry on."""

    def __init__(self, path: str, key_lines: dict | None = None, default_line: int = 1):
        self.path = path
        self.key_lines = key_lines or {}
        self.default_line = default_line
        self.problems: list[Problem] = []

    def add(self, message: str, line: int | None = None) -> None:
        """Record a problem at `line`, or at the file's default line."""
        self.problems.append(Problem(self.path, line or self.default_line, message))

    def at_key(self, key: str, message: str) -> None:
        """Record a problem on the line where `key` is written (line 1 if it is absent)."""
        self.add(message, self.key_lines.get(key))
