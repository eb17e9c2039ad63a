"""What differs between two versions of a collection (snapshot values plus 网址名), for the review pages."""

from __future__ import annotations

from dataclasses import dataclass

from portal.collections import fields

ORDER_LABEL = "案例（按讲授顺序）"


@dataclass(frozen=True)
class Difference:
    """One changed field: its label and how each version shows it."""

    label: str
    old: str
    new: str


def differences(old: dict, new: dict, titles: dict[str, str]) -> list[Difference]:
    """Every field two versions hold differently: 网址名, the collection's fields, the cases and each case's notes."""
    found = [Difference("网址名", old["slug"], new["slug"])] if old["slug"] != new["slug"] else []
    found += [Difference(*change) for change in fields.changes(without_items(old), without_items(new))]
    old_items, new_items = by_case(old), by_case(new)
    if list(old_items) != list(new_items):
        found.append(Difference(ORDER_LABEL, listing(old_items, titles), listing(new_items, titles)))
    for slug, entry in new_items.items():
        found += item_differences(titles.get(slug, slug), old_items.get(slug, {}), entry)
    return found


def without_items(values: dict) -> dict:
    return {name: value for name, value in values.items() if name not in ("slug", "items")}


def by_case(values: dict) -> dict[str, dict]:
    return {entry["case"]: entry for entry in values.get("items", [])}


def listing(items: dict[str, dict], titles: dict[str, str]) -> str:
    return "\n".join(f"{number}. {titles.get(slug, slug)}" for number, slug in enumerate(items, 1)) or "（无）"


def item_differences(title: str, old: dict, new: dict) -> list[Difference]:
    """The changed note and questions of one case."""
    found = []
    for field in fields.item_fields():
        before, after = old.get(field.name), new.get(field.name)
        if field.comparable(before) != field.comparable(after):
            found.append(Difference(f"{title}：{field.label}", field.show(before), field.show(after)))
    return found
