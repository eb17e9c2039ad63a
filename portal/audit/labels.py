"""Chinese names for audit-log actions, detail keys and values; unknown ones show as recorded.

Each feature describes its own actions beside the code that records them (`describe(...)`), so this
module knows no feature: auth names user.* and roles, editor case.* and states, search synonym.*.
"""

from __future__ import annotations

ACTION_LABELS: dict[str, str] = {}
DETAIL_LABELS: dict[str, str] = {
    "title": "标题", "comment": "说明", "term": "词条", "before": "修改前",
}
# Which vocabulary a detail value comes from, so "draft" reads 草稿 and "reviewer" reads 审核人.
VALUE_LABELS: dict[str, dict[str, str]] = {}


def describe(actions: dict[str, str] | None = None, details: dict[str, str] | None = None,
             values: dict[str, dict[str, str]] | None = None) -> None:
    """Name a feature's actions, its detail keys, and the vocabulary of detail values, in Chinese."""
    ACTION_LABELS.update(actions or {})
    DETAIL_LABELS.update(details or {})
    VALUE_LABELS.update(values or {})


def action_label(action: str) -> str:
    """Return the Chinese label for an audit action."""
    return ACTION_LABELS.get(action, action)


def detail_rows(detail: dict | None) -> list[tuple[str, str]]:
    """An entry's details as (Chinese label, readable value) pairs, empty values left out."""
    return [(DETAIL_LABELS.get(key, key), shown_value(key, value))
            for key, value in (detail or {}).items() if value not in (None, "", [])]


def shown_value(key: str, value) -> str:
    """A detail value as a person reads it: states and roles by name, lists joined with 、."""
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    if isinstance(value, dict):
        return "，".join(f"{label}：{shown}" for label, shown in detail_rows(value))
    return VALUE_LABELS.get(key, {}).get(value, str(value)) if isinstance(value, str) else str(value)
