"""Cut a collection into projector slides that each fit one screen: 背景 / 做法 / 成效 / 讨论 per case.

A section longer than one screen's worth of text continues on the next slide (“做法（续）”),
split between top-level blocks (paragraphs, lists, tables), never inside one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from markupsafe import Markup

from portal.collections.models import Collection, CollectionItem
from portal.collections.sections import split_sections

# The sections shown on screen, in order; 经验与启示 (analysis) stays on paper.
SLIDE_SECTIONS = ("背景", "做法", "成效")
DISCUSSION = "讨论"
# Rough screen budget per slide, in characters; each block also costs a line of its own.
SLIDE_BUDGET = 460
FIRST_SLIDE_BUDGET = 300  # the first slide of a case also shows the summary
BLOCK_COST = 25
ROW_COST = 30
_TAGS = re.compile(r"<[^>]+>")
_VOID = {"br", "hr", "img", "input", "meta", "link", "col", "source", "wbr"}


@dataclass(frozen=True)
class Slide:
    """One projector screen; `number` 0 is the title screen."""

    number: int
    kind: str
    heading: str = ""
    html: Markup = Markup("")
    item: CollectionItem | None = None
    case_number: int = 0

    @property
    def is_first_of_case(self) -> bool:
        return self.kind == "背景" and not self.heading.endswith("（续）")


class _BlockSplitter(HTMLParser):
    """Record where each top-level element of an HTML fragment ends."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.ends: list[tuple[int, int]] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag not in _VOID:
            self.depth += 1

    def handle_endtag(self, tag) -> None:
        if tag in _VOID:
            return
        self.depth -= 1
        if self.depth == 0:
            self.ends.append(self.getpos())


def top_level_blocks(html: str) -> list[str]:
    """Split sanitized HTML into its top-level elements."""
    splitter = _BlockSplitter()
    splitter.feed(html)
    splitter.close()
    line_starts = [0] + [match.end() for match in re.finditer("\n", html)]
    blocks, start = [], 0
    for line, column in splitter.ends:
        end = html.index(">", line_starts[line - 1] + column) + 1
        blocks.append(html[start:end])
        start = end
    blocks.append(html[start:])
    return [block.strip() for block in blocks if block.strip()]


def block_cost(block: str) -> int:
    """Estimate how much of a screen a block fills."""
    rows = block.count("<tr") + block.count("<li")
    return len(_TAGS.sub("", block).strip()) + BLOCK_COST + ROW_COST * rows


def paginate(html: str, first_budget: int, budget: int) -> list[str]:
    """Group a section's blocks into pages that each stay within the budget (a lone big block stays whole)."""
    pages: list[list[str]] = [[]]
    used, limit = 0, first_budget
    for block in top_level_blocks(html):
        cost = block_cost(block)
        if pages[-1] and used + cost > limit:
            pages.append([])
            used, limit = 0, budget
        pages[-1].append(block)
        used += cost
    return ["\n".join(page) for page in pages if page]


def case_slides(item: CollectionItem, case_number: int) -> list[tuple[str, str, Markup]]:
    """Return (kind, heading, html) for each slide of one case."""
    by_heading = {section.heading: section for section in split_sections(item.case.body_html)}
    slides = []
    for kind in SLIDE_SECTIONS:
        section = by_heading.get(kind)
        if section is None and kind != "背景":
            continue
        html = str(section.html) if section else ""
        first = FIRST_SLIDE_BUDGET if kind == "背景" else SLIDE_BUDGET
        pages = paginate(html, first, SLIDE_BUDGET) or [""]
        for part, page in enumerate(pages):
            heading = kind if part == 0 else f"{kind}（续）"
            # body_html was sanitized by portal.markdown when the case was saved.
            slides.append((kind, heading, Markup(page)))
    if item.questions:
        slides.append((DISCUSSION, DISCUSSION, Markup("")))
    return slides


def build_deck(collection: Collection, items: list[CollectionItem]) -> list[Slide]:
    """Return every slide of the collection: the title screen, then each case's slides in order."""
    deck = [Slide(number=0, kind="title")]
    for case_number, item in enumerate(items, 1):
        for kind, heading, html in case_slides(item, case_number):
            deck.append(Slide(number=len(deck), kind=kind, heading=heading, html=html, item=item,
                              case_number=case_number))
    return deck


def first_slide_of_case(deck: list[Slide], case_number: int) -> int:
    """Return the number of the slide a case starts on."""
    return next(slide.number for slide in deck if slide.case_number == case_number)
