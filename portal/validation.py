"""Wording every validator shares: Chinese type names and "did you mean" suggestions."""

from __future__ import annotations

import difflib

TYPE_NAMES = ((bool, "布尔值"), (int, "整数"), (float, "小数"), (str, "文本"), (list, "列表"), (dict, "映射"))


def type_name(value: object) -> str:
    """Name a parsed YAML value's type in Chinese, for error messages."""
    return next((name for kind, name in TYPE_NAMES if isinstance(value, kind)), type(value).__name__)


def closest(value: str, candidates: list[str]) -> str | None:
    """Return the candidate most like `value`, if any is reasonably close."""
    matches = difflib.get_close_matches(value, candidates, n=1, cutoff=0.5)
    return matches[0] if matches else None


def unknown_message(what: str, value: str, candidates: list[str]) -> str:
    """Say `value` is not a known `what`, suggesting the closest candidate."""
    suggestion = closest(value, candidates)
    if suggestion:
        return f"未知的{what} '{value}'，是否指 '{suggestion}'？"
    return f"未知的{what} '{value}'"


def unknown_key_message(key: object, allowed: tuple[str, ...]) -> str:
    """Say `key` is not an allowed field, suggesting the closest one."""
    suggestion = closest(str(key), list(allowed))
    hint = f"，是否指 '{suggestion}'？" if suggestion else f"（可用字段：{'、'.join(allowed)}）"
    return f"未知的字段 '{key}'{hint}"


def choice_message(what: str, value: object, choices: tuple[str, ...]) -> str:
    """Say `value` is not one of `choices`, listing them all."""
    return unknown_message(what, str(value), list(choices)) + f"（可选：{'、'.join(choices)}）"
