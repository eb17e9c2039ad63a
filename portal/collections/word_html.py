"""Sanitized case HTML written into a python-docx document (or a table cell), block by block.

Lists become real Word lists (word_lists), tables Word tables, uploaded images embedded pictures —
formats Word cannot show (WebP …) converted to PNG with Pillow first.
"""

from __future__ import annotations

from docx.shared import Cm
from lxml import html as lxml_html

from portal.collections.handout_images import picture_of, uploaded_file
from portal.collections.word_lists import (
    Numbering,
    continuation_style,
    indent_as_item,
    number_paragraph,
    style_for,
)

IMAGE_MAX_WIDTH = Cm(16.6)  # the A4 page between word.py's 2.2 cm margins
INLINE_FORMATS = {"strong": "bold", "b": "bold", "em": "italic", "i": "italic"}
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
LISTS = ("ul", "ol")
BLOCK_TAGS = {"p", "table", "blockquote", "pre", "hr", "div", "section", "figure", "nav", *HEADINGS, *LISTS}
SKIPPED_CLASSES = {"footnote-backref"}  # the ↩ back-links of footnotes mean nothing on paper


class HtmlWriter:
    """Write sanitized HTML into a document or a table cell (anything with add_paragraph/add_table)."""

    def __init__(self, document, numbering: Numbering, container=None) -> None:
        self.document = document
        self.numbering = numbering
        self.container = container if container is not None else document

    def write(self, html: str) -> None:
        if not (html or "").strip():
            return
        for node in lxml_html.fragments_fromstring(html):
            if isinstance(node, str):
                if node.strip():
                    self.container.add_paragraph(node.strip())
            else:
                self.block(node)

    def block(self, element) -> None:
        tag = element.tag
        if tag in HEADINGS:
            self.container.add_paragraph(element.text_content().strip(), style=f"Heading {min(int(tag[1]), 4)}")
        elif tag in LISTS:
            self.list(element, level=0)
        elif tag == "table":
            self.table(element)
        elif tag == "blockquote":
            for child in element:
                self.inline(self.container.add_paragraph(style="Quote"), child, {})
        elif tag == "pre":
            self.container.add_paragraph(element.text_content())
        elif tag in ("div", "section", "figure", "nav"):
            for child in element:
                self.block(child)
        elif tag != "hr":
            self.inline(self.container.add_paragraph(), element, {})

    def numbered(self, texts: list[str]) -> None:
        """Write plain texts (discussion questions) as one real numbered list."""
        num_id = self.numbering.new_list(ordered=True)
        for text in texts:
            paragraph = self.container.add_paragraph(text, style=style_for(True, 0))
            number_paragraph(paragraph, num_id, 0)

    def list(self, element, level: int) -> None:
        """Write an <ol>/<ul> as a Word list at this nesting level; each <ol> numbers from its start."""
        ordered = element.tag == "ol"
        num_id = self.numbering.new_list(ordered, start_of(element))
        for item in element.findall("li"):
            self.list_item(item, ordered, num_id, level)

    def list_item(self, item, ordered: bool, num_id: int, level: int) -> None:
        """The item's first paragraph carries the number; further paragraphs line up under its text."""
        first = self.container.add_paragraph(style=style_for(ordered, level))
        number_paragraph(first, num_id, level)
        current = first
        if item.text and item.text.strip():
            self.run(current, item.text, {})
        for child in item:
            if child.tag in LISTS:
                self.list(child, level + 1)
                current = None
            elif child.tag == "p" and current is first and not first.text.strip():
                self.inline(first, child, {})
                current = None
            elif child.tag == "p":
                self.inline(self.continuation(level), child, {})
                current = None
            elif child.tag in BLOCK_TAGS:
                self.block(child)
                current = None
            else:
                current = current or self.continuation(level)
                self.inline_child(current, child, {})
            if child.tail and child.tail.strip():
                current = current or self.continuation(level)
                self.run(current, child.tail, {})

    def continuation(self, level: int):
        paragraph = self.container.add_paragraph(style=continuation_style(level))
        indent_as_item(paragraph, level)
        return paragraph

    def table(self, element) -> None:
        rows = element.findall(".//tr")
        width = max((len([cell for cell in row if cell.tag in ("th", "td")]) for row in rows), default=0)
        if not width:
            return
        table = self.container.add_table(rows=0, cols=width)
        table.style = self.document.styles["Table Grid"]
        for row in rows:
            cells = table.add_row().cells
            for index, cell in enumerate([c for c in row if c.tag in ("th", "td")][:width]):
                inside = HtmlWriter(self.document, self.numbering, container=cells[index])
                inside.inline(cells[index].paragraphs[0], cell, {"bold": cell.tag == "th"})

    def inline(self, paragraph, element, formats: dict) -> None:
        """Add the element's text and inline children to `paragraph` as formatted runs."""
        if element.text:
            self.run(paragraph, element.text, formats)
        for child in element:
            self.inline_child(paragraph, child, formats)
            if child.tail:
                self.run(paragraph, child.tail, formats)

    def inline_child(self, paragraph, child, formats: dict) -> None:
        if SKIPPED_CLASSES & set((child.get("class") or "").split()):
            return
        if child.tag == "br":
            paragraph.add_run().add_break()
        elif child.tag == "img":
            self.image(paragraph, child)
        elif child.tag in BLOCK_TAGS:
            self.block(child)
        else:
            flag = INLINE_FORMATS.get(child.tag)
            self.inline(paragraph, child, {**formats, flag: True} if flag else formats)
            href = child.get("href", "") if child.tag == "a" else ""
            if href.startswith(("http://", "https://")):
                self.run(paragraph, f"（{href}）", formats)

    def run(self, paragraph, text: str, formats: dict) -> None:
        run = paragraph.add_run(text)
        run.bold = formats.get("bold") or None
        run.italic = formats.get("italic") or None

    def image(self, paragraph, element) -> None:
        """Embed an uploaded image at its own size (at most the text width); otherwise its description."""
        path = uploaded_file(element.get("src", ""))
        picture = picture_of(path) if path is not None else None
        if picture is None:
            self.run(paragraph, f"［图片：{element.get('alt', '') or '说明'}］", {})
            return
        shape = paragraph.add_run().add_picture(picture)
        for side in ("distT", "distB", "distL", "distR"):
            shape._inline.set(side, "0")  # as Word writes them; LibreOffice otherwise pads 0.32 cm each side
        if shape.width > IMAGE_MAX_WIDTH:
            shape.height = int(shape.height * IMAGE_MAX_WIDTH / shape.width)
            shape.width = IMAGE_MAX_WIDTH


def start_of(element) -> int:
    """An <ol start="3"> numbers from 3 (Markdown writes it for a list beginning at 3.)."""
    value = element.get("start", "1")
    return int(value) if value.isdigit() and 0 < int(value) < 32768 else 1
