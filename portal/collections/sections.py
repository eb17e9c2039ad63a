"""Cut a case's rendered body into its level-2 sections for slides; render trainers' notes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from portal.markdown import render_markdown

_H2_START = re.compile(r"(?=<h2[\s>])")
_H2 = re.compile(r"^<h2[^>]*>(.*?)</h2>\s*", re.S)
_TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Section:
    heading: str
    html: Markup


def split_sections(body_html: str) -> list[Section]:
    """Return the body's sections; text before the first heading becomes an untitled section."""
    sections = []
    for chunk in _H2_START.split(body_html or ""):
        match = _H2.match(chunk)
        heading = _TAGS.sub("", match.group(1)).strip() if match else ""
        content = chunk[match.end():] if match else chunk
        if content.strip() or heading:
            # body_html was sanitized by portal.markdown when the case was saved.
            sections.append(Section(heading=heading, html=Markup(content)))
    return sections


def note_html(note_md: str) -> Markup:
    """Render a trainer's note (Markdown) to sanitized HTML."""
    return Markup(render_markdown(note_md or "").html)
