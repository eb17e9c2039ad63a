"""Markdown to safe HTML: one renderer for published pages, previews, collections and handouts."""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol",
    "p", "pre", "s", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul", "section",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    "ol": {"start"},
}
# Stored beside every cached rendering (cases.body_html, collections.intro_html). Bump it whenever a
# change here alters the HTML a Markdown text gives: stale rows re-render when read, and
# `portal content rerender` stores the new HTML.
# 2: user ids and footnote anchors carry the `user-content-` prefix (rows stored before it show version 1).
RENDERER_VERSION = 2
# data: and javascript: are refused; relative URLs (uploads, anchors) pass.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Ids written by users (headings, footnotes, raw HTML) live under this prefix, as on GitHub, so
# they can never clobber the page's own elements (e.g. the links training mode's keys follow).
USER_ID_PREFIX = "user-content-"


@dataclass(frozen=True)
class Rendered:
    html: str
    toc_html: str
    headings: list[dict]


def slugify_heading(value: str, separator: str) -> str:
    """Make a heading anchor that keeps Chinese characters (the default drops them all)."""
    value = unicodedata.normalize("NFKC", value).strip().lower()
    value = re.sub(r"[^\w\u3400-\u9fff\s-]", "", value)
    return re.sub(r"[\s_-]+", separator, value).strip(separator) or "section"


def _new_converter() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["tables", "footnotes", "fenced_code", "sane_lists", "toc"],
        extension_configs={"toc": {"slugify": slugify_heading, "toc_depth": "2-3"}},
        output_format="html",
    )


_per_thread = threading.local()


def _converter() -> markdown.Markdown:
    """This thread's converter, reset for the next text (Python-Markdown's documented reuse: building
    one with its extensions cost a quarter of a render). A converter is not shared between threads."""
    converter = getattr(_per_thread, "converter", None)
    if converter is None:
        converter = _per_thread.converter = _new_converter()
    return converter.reset()


def sanitize_html(html: str) -> str:
    """Strip scripts, event handlers and dangerous URLs from HTML; prefix user ids and their links."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, attribute_filter=_scope_ids,
                     url_schemes=ALLOWED_URL_SCHEMES, link_rel="noopener noreferrer nofollow")


def _scope_ids(element: str, attribute: str, value: str) -> str | None:
    if attribute == "id":
        return _prefixed(value)
    if attribute == "href" and value.startswith("#") and len(value) > 1:
        return "#" + _prefixed(value[1:])
    return value


def _prefixed(name: str) -> str:
    return name if name.startswith(USER_ID_PREFIX) else USER_ID_PREFIX + name


def render_markdown(text: str) -> Rendered:
    """Render Markdown to sanitized HTML plus a sanitized table of contents."""
    converter = _converter()
    html = converter.convert(text or "")
    headings = [{"id": _prefixed(t["id"]), "name": t["name"], "level": t["level"]}
                for t in _flatten(converter.toc_tokens)]
    toc = converter.toc if headings else ""
    return Rendered(html=sanitize_html(html), toc_html=sanitize_html(toc), headings=headings)


def _flatten(tokens: list[dict]) -> list[dict]:
    flat = []
    for token in tokens:
        flat.append(token)
        flat.extend(_flatten(token.get("children", [])))
    return flat


MARKDOWN_NOISE = [
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.M), ""),
    (re.compile(r"^\s*\|?\s*:?-{3,}.*$", re.M), ""),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"<[^>]{0,200}>"), ""),
    (re.compile(r"[*_`>|]+"), " "),
    (re.compile(r"^\s*[-+]\s+", re.M), ""),
    (re.compile(r"[ \t]{2,}"), " "),
    (re.compile(r"\n{2,}"), "\n"),
]


def plain_text(markdown_text: str) -> str:
    """Strip Markdown syntax, leaving the words readers see (for indexing and snippets)."""
    text = markdown_text or ""
    for pattern, replacement in MARKDOWN_NOISE:
        text = pattern.sub(replacement, text)
    return text.strip()
