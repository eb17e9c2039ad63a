"""Word (.docx) handouts with python-docx: Chinese fonts set, real heading styles, lists, tables, images.

The case bodies are sanitized HTML (portal.markdown); word_html walks that HTML and writes Word
paragraphs, so trainers can adapt a handout in Word or WPS before a course.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from portal.cases.models import Case
from portal.collections.models import Collection, CollectionItem
from portal.collections.word_html import HtmlWriter
from portal.collections.word_lists import Numbering

BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
LIST_STYLES = tuple(f"{kind}{suffix}" for kind in ("List Number", "List Bullet", "List Continue")
                    for suffix in ("", " 2", " 3"))
FONTED_STYLES = ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading 4",
                 "List Paragraph", "Quote", "Table Grid", "Header", "Footer", *LIST_STYLES)
THEME_FONT_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
FACT_COLUMNS = (Cm(2.4), Cm(14.2))  # label and value: together the text width of an A4 page
GREY = RGBColor(0x44, 0x44, 0x44)


def collection_docx(collection: Collection, items: list[CollectionItem], teacher: bool = False) -> bytes:
    """Build a collection's Word handout: title, introduction, every case with its questions (and notes)."""
    document = new_document(collection.title)
    writer = HtmlWriter(document, Numbering(document))
    document.add_paragraph(collection.title, style="Title")
    edition = "教师版（含培训者导读，请勿发给学员）" if teacher else "学员版"
    document.add_paragraph(f"善治案例库 · 培训合集讲义 · {edition}", style="Subtitle")
    if collection.audience:
        document.add_paragraph(f"适用对象：{collection.audience}")
    if collection.intro_html:
        document.add_heading("导言", level=1)
        writer.write(collection.intro_html)
    for number, item in enumerate(items, 1):
        page_break(document)
        note = item.note_md if teacher else ""
        write_case(writer, item.case, item.questions or [], f"案例 {number}　", note_html_of(note))
    return saved(document)


def case_docx(case: Case, questions: list[str]) -> bytes:
    """Build one case's Word handout: the case and its questions, nothing else."""
    document = new_document(case.title)
    write_case(HtmlWriter(document, Numbering(document)), case, questions)
    return saved(document)


def note_html_of(note_md: str) -> str:
    from portal.collections.sections import note_html

    return str(note_html(note_md)) if note_md else ""


def write_case(writer: HtmlWriter, case: Case, questions: list[str], prefix: str = "", note: str = "") -> None:
    """Write one case: heading, facts table, summary, teaching note, body, questions."""
    document = writer.document
    document.add_heading(prefix + case.title, level=1)
    facts = case_facts(case)
    table = document.add_table(rows=0, cols=2, style="Table Grid")
    for label, value in facts:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].text = value
    for column, width in zip(table.columns, FACT_COLUMNS, strict=True):
        column.width = width  # LibreOffice and WPS read the grid, Word the cells: set both
        for cell in column.cells:
            cell.width = width
    summary = document.add_paragraph()
    summary.add_run(case.summary).bold = True
    if note:
        document.add_heading("培训者导读", level=2)
        writer.write(note)
    writer.write(case.body_html)
    if questions:
        document.add_heading("讨论题", level=2)
        writer.numbered(questions)


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
    plain_title_styles(document)
    page_furniture(document, title)
    set_default_fonts(document)
    drop_styles_with_effects(document)
    return document


def page_furniture(document, title: str) -> None:
    """As on the PDF: the title in the header, 第 N 页 / 共 M 页 in the footer (Word fields, right after edits)."""
    for name in ("Header", "Footer"):
        font = document.styles[name].font
        font.size, font.color.rgb = Pt(9), GREY
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = title
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for piece in ("第 ", "PAGE", " 页 / 共 ", "NUMPAGES", " 页"):
        if piece.isupper():
            footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" {piece} \\* MERGEFORMAT ">'
                                       f"<w:r><w:t>1</w:t></w:r></w:fldSimple>"))
        else:
            footer.add_run(piece)


def plain_title_styles(document) -> None:
    """Black and grey instead of the template's blue rule under the title and blue italic subtitle."""
    title_borders = document.styles["Title"].element.pPr.find(qn("w:pBdr"))
    if title_borders is not None:
        title_borders.getparent().remove(title_borders)
    subtitle = document.styles["Subtitle"].font
    subtitle.italic, subtitle.color.rgb = False, GREY


def space_after_tables(document) -> None:
    """Give the paragraph after a table some air (Word tables have no margin of their own)."""
    for table in document.element.body.iter(qn("w:tbl")):
        following = table.getnext()
        if following is not None and following.tag == qn("w:p"):
            paragraph = Paragraph(following, document)
            if not paragraph.style.name.startswith("Heading"):  # headings keep their own, larger space
                paragraph.paragraph_format.space_before = Pt(6)


def set_default_fonts(document) -> None:
    """Make the document defaults Chinese too (宋体, zh-CN), for text that names no style (WPS reads them)."""
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = defaults.find(qn("w:rFonts"))
    for attribute in THEME_FONT_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    for attribute, font in (("w:ascii", LATIN_FONT), ("w:hAnsi", LATIN_FONT), ("w:eastAsia", BODY_FONT)):
        fonts.set(qn(attribute), font)
    defaults.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")


def drop_styles_with_effects(document) -> None:
    """Leave out the template's Word 2007 stylesWithEffects copy, which would contradict the styles set here."""
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(rel_id)


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
    space_after_tables(document)
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()
