"""Find executable markup in a rendered page: what the XSS tests assert is absent."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from urllib.parse import urlsplit
from xml.etree import ElementTree

# Elements that never come from our templates; if one appears, it came from content.
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "svg", "math", "object", "embed", "applet", "base",
                      "style", "template", "portal"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
                  "srcset", "cite", "lowsrc", "dynsrc", "ping", "codebase"}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


class InertChecker(HTMLParser):
    """Collect every piece of markup that could run script; also keep the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.check_element(tag, dict(attrs))
        for name, value in attrs:
            self.check_attribute(tag, name, value or "")

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)

    def check_element(self, tag: str, attrs: dict) -> None:
        if tag in FORBIDDEN_ELEMENTS:
            self.problems.append(f"<{tag}> element")
        if tag == "script" and not is_own_static_file(attrs.get("src") or ""):
            self.problems.append(f"<script> that is not one of our static files: {attrs!r}")
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")

    def check_attribute(self, tag: str, name: str, value: str) -> None:
        if name.startswith("on"):
            self.problems.append(f"<{tag} {name}=...> event handler")
        if name in URL_ATTRIBUTES and has_bad_scheme(value):
            self.problems.append(f"<{tag} {name}={value[:60]!r}> script URL")


def has_bad_scheme(value: str) -> bool:
    """Return True for javascript:/data:/vbscript: URLs, also inside srcset-style lists."""
    return any(squeeze(part).startswith(BAD_SCHEMES) for part in (value, *value.split(",")))


def squeeze(value: str) -> str:
    # Browsers ignore whitespace and control characters inside a URL scheme, so do the same.
    return "".join(char for char in value if ord(char) > 32).lower()


def is_own_static_file(src: str) -> bool:
    parts = urlsplit(src)
    return bool(src) and not parts.scheme and not parts.netloc and src.startswith("/") and "/static/" in parts.path


def check_html(html: str) -> tuple[list[str], str]:
    """Return (problems, visible text) for an HTML document or fragment."""
    checker = InertChecker()
    checker.feed(html)
    checker.close()
    return checker.problems, "".join(checker.text)


def check_xml(document: str) -> tuple[list[str], str]:
    """Check a feed: the markup itself, and the HTML that readers will unescape from type="html" fields."""
    problems, text = check_html(document)
    for element in ElementTree.fromstring(document.encode()).iter():
        if element.get("type") == "html" and element.text:
            inner, _ = check_html(element.text)
            problems += [f"inside <{element.tag}>: {problem}" for problem in inner]
    return problems, text


def check_json(body: str) -> tuple[list[str], str]:
    """Check every JSON string whose key says it holds HTML."""
    problems: list[str] = []
    strings: list[str] = []

    def walk(value, key=""):
        if isinstance(value, dict):
            for child_key, child in value.items():
                walk(child, str(child_key))
        elif isinstance(value, list):
            for child in value:
                walk(child, key)
        elif isinstance(value, str):
            strings.append(value)
            if "html" in key.lower():
                problems.extend(f"in JSON {key}: {problem}" for problem in check_html(value)[0])

    walk(json.loads(body))
    return problems, "\n".join(strings)


def check_response(response) -> tuple[list[str], str] | None:
    """Check a response by its type; None for types a browser would not render as markup."""
    mimetype = response.mimetype or ""
    body = response.get_data(as_text=True)
    if mimetype == "text/html":
        return check_html(body)
    if mimetype.endswith("xml"):
        return check_xml(body)
    if mimetype == "application/json":
        return check_json(body)
    return None
