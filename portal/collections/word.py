"""Word (.docx) handouts with python-docx: Chinese fonts set, real heading styles, tables, images.

The case bodies are sanitized HTML (portal.markdown); this module walks that HTML with lxml and
writes Word paragraphs, so trainers can adapt a handout in Word or WPS before a course.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from flask import current_app
from lxml import html as lxml_html

from portal.cases.models import Case
from portal.collections.models import Collection, CollectionItem

BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
FONTED_STYLES = ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading 4",
                 "List Bullet", "List Bullet 2", "List Paragraph", "Quote", "Table Grid")
THEME_FONT_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
IMAGE_WIDTH = Cm(14)
UPLOAD_URL = re.compile(r"^/uploads/([A-Za-z0-9_.-]+)$")
INLINE_FORMATS = {"strong": "bold", "b": "bold", "em": "italic", "i": "italic"}
BLOCK_TAGS = {"p", "ul", "ol", "table", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
              "div", "section", "figure", "nav"}


def collection_docx(collection: Collection, items: list[CollectionItem], teacher: bool = False) -> bytes:
    """Build a collection's Word handout: title, introduction, every case with its questions (and notes)."""
    document = new_document(collection.title)
    document.add_paragraph(collection.title, style="Title")
    edition = "教师版（含培训者导读，请勿发给学员）" if teacher else "学员版"
    document.add_paragraph(f"善治案例库 · 培训合集讲义 · {edition}", style="Subtitle")
    if collection.audience:
        document.add_paragraph(f"适用对象：{collection.audience}")
    if collection.intro_html:
        document.add_heading("导言", level=1)
        HtmlWriter(document).write(collection.intro_html)
    for number, item in enumerate(items, 1):
        page_break(document)
        note = item.note_md if teacher else ""
        write_case(document, item.case, item.questions or [], f"案例 {number}　", note_html_of(note))
    return saved(document)


def case_docx(case: Case, questions: list[str]) -> bytes:
    """Build one case's Word handout: the case and its questions, nothing else."""
    document = new_document(case.title)
    write_case(document, case, questions)
    return saved(document)


def note_html_of(note_md: str) -> str:
    from portal.collections.sections import note_html

    return str(note_html(note_md)) if note_md else ""


def write_case(document, case: Case, questions: list[str], prefix: str = "", note: str = "") -> None:
    """Write one case: heading, facts table, summary, teaching note, body, questions."""
    document.add_heading(prefix + case.title, level=1)
    facts = case_facts(case)
    table = document.add_table(rows=0, cols=2, style="Table Grid")
    for label, value in facts:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].text = value
    summary = document.add_paragraph()
    summary.add_run(case.summary).bold = True
    if note:
        document.add_heading("培训者导读", level=2)
        HtmlWriter(document).write(note)
    HtmlWriter(document).write(case.body_html)
    if questions:
        document.add_heading("讨论题", level=2)
        for number, question in enumerate(questions, 1):
            document.add_paragraph(f"{number}. {question}", style="List Paragraph")


def case_facts(case: Case) -> list[tuple[str, str]]:
    areas = "、".join([case.area.name] + [area.name for area in case.secondary_areas])
    place = case.region.name + (f" · {case.place}" if case.place else "") + f"（{case.level}）"
    facts = [("领域", areas), ("地区", place)]
    if case.tags:
        facts.append(("标签", "、".join(case.tag_names)))
    if case.source:
        facts.append(("来源", case.source))
    return facts


def new_document(title: str):
    """Return an A4 document whose styles use Chinese fonts and black headings."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    document.core_properties.title = title
    document.core_properties.language = "zh-CN"
    for name in FONTED_STYLES:
        style = document.styles[name]
        set_fonts(style, HEADING_FONT if name.startswith(("Heading", "Title")) else BODY_FONT)
        if name.startswith(("Heading", "Title")):
            style.font.color.rgb = RGBColor(0, 0, 0)
    document.styles["Normal"].font.size = Pt(10.5)
    return document


def set_fonts(style, east_asian: str) -> None:
    """Set the style's Latin and East-Asian fonts, dropping theme fonts that would override them."""
    style.font.name = LATIN_FONT
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in THEME_FONT_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:eastAsia"), east_asian)
    language = style.element.get_or_add_rPr().find(qn("w:lang"))
    if language is None:
        language = style.element.get_or_add_rPr().makeelement(qn("w:lang"), {})
        style.element.get_or_add_rPr().append(language)
    language.set(qn("w:eastAsia"), "zh-CN")


def page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def saved(document) -> bytes:
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


class HtmlWriter:
    """Write sanitized HTML into a python-docx document, block by block."""

    def __init__(self, document) -> None:
        self.document = document

    def write(self, html: str) -> None:
        if not (html or "").strip():
            return
        for node in lxml_html.fragments_fromstring(html):
            if isinstance(node, str):
                if node.strip():
                    self.document.add_paragraph(node.strip())
            else:
                self.block(node)

    def block(self, element) -> None:
        tag = element.tag
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.document.add_heading(element.text_content().strip(), level=min(int(tag[1]), 4))
        elif tag in ("ul", "ol"):
            self.list(element, ordered=tag == "ol", depth=1)
        elif tag == "table":
            self.table(element)
        elif tag == "blockquote":
            for child in element:
                self.inline(self.document.add_paragraph(style="Quote"), child, {})
        elif tag == "pre":
            self.document.add_paragraph(element.text_content())
        elif tag in ("div", "section", "figure", "nav"):
            for child in element:
                self.block(child)
        elif tag != "hr":
            self.inline(self.document.add_paragraph(), element, {}, own_text=True)

    def list(self, element, ordered: bool, depth: int) -> None:
        for number, item in enumerate(element.findall("li"), 1):
            style = "List Paragraph" if ordered else ("List Bullet" if depth == 1 else "List Bullet 2")
            paragraph = self.document.add_paragraph(style=style)
            if ordered:
                paragraph.add_run(f"{number}. ")
            nested = [child for child in item if child.tag in ("ul", "ol")]
            self.inline(paragraph, item, {}, own_text=True, skip=set(nested))
            for child in nested:
                self.list(child, ordered=child.tag == "ol", depth=depth + 1)

    def table(self, element) -> None:
        rows = element.findall(".//tr")
        width = max((len(row.findall("th") + row.findall("td")) for row in rows), default=0)
        if not width:
            return
        table = self.document.add_table(rows=0, cols=width, style="Table Grid")
        for row in rows:
            cells = table.add_row().cells
            for index, cell in enumerate([c for c in row if c.tag in ("th", "td")][:width]):
                self.inline(cells[index].paragraphs[0], cell, {"bold": cell.tag == "th"}, own_text=True)

    def inline(self, paragraph, element, formats: dict, own_text: bool = True, skip: set | None = None) -> None:
        """Add the element's text and inline children to `paragraph` as formatted runs."""
        if own_text and element.text:
            self.run(paragraph, element.text, formats)
        for child in element:
            if skip and child in skip:
                continue
            self.inline_child(paragraph, child, formats)
            if child.tail:
                self.run(paragraph, child.tail, formats)

    def inline_child(self, paragraph, child, formats: dict) -> None:
        if child.tag == "br":
            paragraph.add_run().add_break()
        elif child.tag == "img":
            self.image(paragraph, child)
        elif child.tag in BLOCK_TAGS:
            self.block(child)
        else:
            flag = INLINE_FORMATS.get(child.tag)
            inner = {**formats, flag: True} if flag else formats
            self.inline(paragraph, child, inner)
            href = child.get("href", "") if child.tag == "a" else ""
            if href.startswith(("http://", "https://")):
                self.run(paragraph, f"（{href}）", formats)

    def run(self, paragraph, text: str, formats: dict) -> None:
        run = paragraph.add_run(text)
        run.bold = formats.get("bold") or None
        run.italic = formats.get("italic") or None

    def image(self, paragraph, element) -> None:
        """Embed an uploaded image; anything else (or an unreadable file) becomes its description."""
        path = uploaded_file(element.get("src", ""))
        if path is not None:
            try:
                paragraph.add_run().add_picture(str(path), width=IMAGE_WIDTH)
                return
            except Exception:  # noqa: BLE001 - python-docx refuses formats it cannot size (e.g. WebP)
                pass
        self.run(paragraph, f"［图片：{element.get('alt', '') or '说明'}］", {})


def uploaded_file(src: str) -> Path | None:
    """Return the local file behind an /uploads/ URL, or None for anything else."""
    match = UPLOAD_URL.match(src)
    if not match:
        return None
    path = Path(current_app.config["UPLOAD_DIR"]) / match.group(1)
    return path if path.is_file() else None
