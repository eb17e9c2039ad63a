"""Find executable markup in a rendered page: what the XSS tests assert is absent."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import NamedTuple
from urllib.parse import urlsplit
from xml.etree import ElementTree

# Elements that never come from our templates; if one appears, it came from content.
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "svg", "math", "object", "embed", "applet", "base",
                      "style", "template", "portal"}
# The one <svg> a template draws (cases/adoption.html): allowed once per page, never a second.
OWN_SVG_CLASS = "spread-map"
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
                  "srcset", "cite", "lowsrc", "dynsrc", "ping", "codebase"}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


class Checked(NamedTuple):
    problems: list[str]
    text: str
    unprotected_forms: list[str]  # actions of POST forms without a csrf_token field


class InertChecker(HTMLParser):
    """Collect every piece of markup that could run script; also keep the visible text and POST forms."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self.unprotected_forms: list[str] = []
        self.open_post_form: str | None = None
        self.seen_own_svg = False

    def handle_starttag(self, tag, attrs):
        self.check_element(tag, dict(attrs))
        for name, value in attrs:
            self.check_attribute(tag, name, value or "")
        self.track_forms(tag, dict(attrs))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "form" and self.open_post_form is not None:
            self.unprotected_forms.append(self.open_post_form)
            self.open_post_form = None

    def track_forms(self, tag: str, attrs: dict) -> None:
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.open_post_form = attrs.get("action") or "(this page)"
        # Prefixed Flask-WTF forms name the field "<prefix>-csrf_token"; CSRFProtect accepts those too.
        elif tag == "input" and (attrs.get("name") or "").endswith("csrf_token") and attrs.get("value"):
            self.open_post_form = None

    def handle_data(self, data):
        self.text.append(data)

    def check_element(self, tag: str, attrs: dict) -> None:
        if tag == "svg" and attrs.get("class") == OWN_SVG_CLASS and not self.seen_own_svg:
            self.seen_own_svg = True  # the /adoption diagram, drawn by our template; its insides are checked
            return
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


def check_html(html: str) -> Checked:
    """Return the problems, visible text and unprotected POST forms of an HTML document or fragment."""
    checker = InertChecker()
    checker.feed(html)
    checker.close()
    return Checked(checker.problems, "".join(checker.text), checker.unprotected_forms)


def check_xml(document: str) -> Checked:
    """Check a feed: the markup itself, and the HTML that readers will unescape from type="html" fields."""
    problems, text, _ = check_html(document)
    for element in ElementTree.fromstring(document.encode()).iter():
        if element.get("type") == "html" and element.text:
            inner = check_html(element.text).problems
            problems += [f"inside <{element.tag}>: {problem}" for problem in inner]
    return Checked(problems, text, [])


def check_json(body: str) -> Checked:
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
                problems.extend(f"in JSON {key}: {problem}" for problem in check_html(value).problems)

    walk(json.loads(body))
    return Checked(problems, "\n".join(strings), [])


def check_response(response) -> Checked | None:
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
