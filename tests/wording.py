"""What a person sees on a page: its text and the attributes read aloud or shown (placeholder, title…)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

SHOWN_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
# Query-parameter and field names that must never reach a reader or an editor as words.
RAW_NAMES = ("slug", "per_page", "page", "area", "region", "level", "scope", "year", "from", "to", "sort",
             "tag", "status", "draft", "in_review", "published", "archived", "editor", "reviewer", "admin")


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        self.parts.extend(value for name, value in attrs if name in SHOWN_ATTRIBUTES and value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The page's shown text and shown attributes, joined by spaces."""
    collector = _TextCollector()
    collector.feed(html)
    return " ".join(part.strip() for part in collector.parts if part.strip())


def raw_names_in(text: str, names: tuple[str, ...] = RAW_NAMES) -> list[str]:
    """The raw names that appear in `text` as words of their own (not inside other Latin words or URLs)."""
    text = re.sub(r"\S*[/=?]\S*", " ", text)  # URLs and query strings shown as examples are not words
    return [name for name in names if re.search(rf"(?<![A-Za-z_-]){re.escape(name)}(?![A-Za-z_-])", text)]
