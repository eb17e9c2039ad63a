"""The .docx handouts inside: real Word lists, embedded images of every uploaded format, sound OOXML parts.

Word and WPS are not on the test machines; the strongest checks available are an OOXML schema
validator (openxml-audit), the package's own cross-references, and LibreOffice reading the file back.
"""

from __future__ import annotations

import io
import posixpath
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree
from PIL import Image

from portal.collections import word
from tests.factories import make_case, make_taxonomy
from tests.helpers.collections import make_collection

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LISTS_BODY = """## 做法

1. 摸排矛盾
2. 分级化解：

    - 村级调解
    - 乡镇会商

3. 跟踪回访

其后又做了三件事：

4. 建立台账
5. 定期通报

- 要点甲
- 要点乙
"""
QUESTIONS = ["第一道讨论题？", "第二道讨论题？"]


def image_bytes(fmt: str, size=(40, 30)) -> bytes:
    stream = io.BytesIO()
    Image.new("RGBA" if fmt == "WEBP" else "RGB", size, (200, 30, 30, 255)).save(stream, format=fmt)
    return stream.getvalue()


@pytest.fixture
def handout(app):
    """Build a collection handout from a case with nested lists and uploaded WebP, PNG and GIF images."""
    uploads = Path(app.config["UPLOAD_DIR"])
    uploads.mkdir(parents=True, exist_ok=True)
    images = {"webp": "a" * 32 + ".webp", "png": "b" * 32 + ".png", "gif": "c" * 32 + ".gif"}
    for fmt, name in images.items():
        (uploads / name).write_bytes(image_bytes(fmt.upper()))
    body = LISTS_BODY + "".join(f"\n![{fmt} 示意图](/uploads/{name})\n" for fmt, name in images.items())
    with app.test_request_context():
        make_taxonomy()
        case = make_case("列表与图片案例", slug="lists", body=body)
        collection = make_collection([case], slug="lists-demo", questions={"lists": QUESTIONS})
        return word.collection_docx(collection, list(collection.items))


def numbered(document) -> list[tuple[str, int, int]]:
    """(text, numId, ilvl) of every paragraph Word numbers by itself."""
    found = []
    for paragraph in document.paragraphs:
        num_pr = paragraph._p.pPr.find(qn("w:numPr")) if paragraph._p.pPr is not None else None
        if num_pr is not None:
            found.append((paragraph.text, int(num_pr.find(qn("w:numId")).get(qn("w:val"))),
                          int(num_pr.find(qn("w:ilvl")).get(qn("w:val")))))
    return found


def number_formats(data: bytes) -> dict[int, str]:
    """numId → the numFmt of its level 0 (decimal or bullet), read from numbering.xml."""
    numbering = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/numbering.xml"))
    abstract = {node.get(W + "abstractNumId"): node.find(f"{W}lvl/{W}numFmt").get(W + "val")
                for node in numbering.iter(W + "abstractNum")}
    return {int(num.get(W + "numId")): abstract[num.find(W + "abstractNumId").get(W + "val")]
            for num in numbering.iter(W + "num")}


def test_lists_are_real_word_lists_that_restart_and_nest(handout):
    document = Document(io.BytesIO(handout))
    items = numbered(document)
    texts = [text for text, _, _ in items]
    assert "1. 摸排矛盾" not in texts and "摸排矛盾" in texts  # the number is Word's, not typed
    by_text = {text: (num_id, level) for text, num_id, level in items}
    formats = number_formats(handout)
    assert formats[by_text["摸排矛盾"][0]] == "decimal" and formats[by_text["村级调解"][0]] == "bullet"
    assert by_text["摸排矛盾"][1] == 0 and by_text["村级调解"][1] == 1  # nested one level deeper
    assert by_text["分级化解："][0] == by_text["跟踪回访"][0] == by_text["摸排矛盾"][0]
    # A list after a paragraph is a new list; one that Markdown starts at 4 starts at 4 in Word.
    later = by_text["建立台账"][0]
    assert later != by_text["摸排矛盾"][0]
    numbering = etree.fromstring(zipfile.ZipFile(io.BytesIO(handout)).read("word/numbering.xml"))
    num = next(node for node in numbering.iter(W + "num") if node.get(W + "numId") == str(later))
    assert num.find(f"{W}lvlOverride/{W}startOverride").get(W + "val") == "4"
    questions = [by_text[question] for question in QUESTIONS]
    assert questions[0] == questions[1] and formats[questions[0][0]] == "decimal"
    assert questions[0][0] not in (by_text["摸排矛盾"][0], later)  # the questions number from 1
    assert document.paragraphs[[p.text for p in document.paragraphs].index("摸排矛盾")].style.name == "List Number"


def test_webp_png_and_gif_uploads_are_embedded_as_pictures(handout):
    package = zipfile.ZipFile(io.BytesIO(handout))
    media = sorted(name.rsplit(".", 1)[1] for name in package.namelist() if name.startswith("word/media/"))
    assert media == ["gif", "png", "png"]  # the WebP was converted to PNG; Word cannot show WebP
    document = Document(io.BytesIO(handout))
    assert len(document.inline_shapes) == 3
    assert "［图片：" not in "\n".join(p.text for p in document.paragraphs)


def test_the_package_is_valid_ooxml_with_chinese_fonts_declared(handout, tmp_path):
    from openxml_audit import OpenXmlValidator

    path = tmp_path / "handout.docx"
    path.write_bytes(handout)
    result = OpenXmlValidator(max_errors=0).validate(str(path))
    assert result.is_valid, "\n".join(str(error) for error in result.errors)
    document = Document(io.BytesIO(handout))
    for style in ("Normal", "List Number", "List Bullet 2", "List Continue", "Quote"):
        assert document.styles[style].element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体", style
    for style in ("Title", "Heading 1", "Heading 2"):
        assert document.styles[style].element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体", style
    defaults = document.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert defaults.find(W + "rFonts").get(W + "eastAsia") == "宋体"
    assert defaults.find(W + "lang").get(W + "eastAsia") == "zh-CN"


def test_every_part_is_well_formed_and_every_reference_resolves(handout):
    package = zipfile.ZipFile(io.BytesIO(handout))
    names = set(package.namelist())
    parsed = {name: etree.fromstring(package.read(name)) for name in names if name.endswith((".xml", ".rels"))}
    types = parsed["[Content_Types].xml"]
    overrides = {node.get("PartName") for node in types if node.tag.endswith("Override")}
    defaults = {node.get("Extension") for node in types if node.tag.endswith("Default")}
    for name in names - {"[Content_Types].xml"}:
        assert "/" + name in overrides or name.rsplit(".", 1)[1] in defaults, name
    for rels_name, rels in parsed.items():
        if rels_name.endswith(".rels"):
            source_dir = posixpath.dirname(posixpath.dirname(rels_name))  # word/_rels/x.rels → word
            for rel in rels:
                if rel.get("TargetMode") != "External":
                    target = posixpath.normpath(posixpath.join(source_dir, rel.get("Target"))).lstrip("/")
                    assert target in names, (rels_name, target)
    document, styles = parsed["word/document.xml"], parsed["word/styles.xml"]
    style_ids = {node.get(W + "styleId") for node in styles.iter(W + "style")}
    assert {node.get(W + "val") for node in document.iter(W + "pStyle")} <= style_ids
    num_ids = {node.get(W + "numId") for node in parsed["word/numbering.xml"].iter(W + "num")}
    abstract_ids = {node.get(W + "abstractNumId") for node in parsed["word/numbering.xml"].iter(W + "abstractNum")}
    assert {node.get(W + "val") for node in document.iter(W + "numId")} <= num_ids
    assert {node.get(W + "val") for node in parsed["word/numbering.xml"].iter(W + "abstractNumId")
            if node.getparent().tag == W + "num"} <= abstract_ids
    image_rels = {rel.get("Id") for rel in parsed["word/_rels/document.xml.rels"]}
    blips = {node.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
             for node in document.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip")}
    assert blips and blips <= image_rels


@pytest.mark.slow
def test_libreoffice_reads_the_lists_as_lists_and_the_images_as_images(handout, tmp_path):
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is missing: install Debian's libreoffice-writer (make debian-test does)"
    source = tmp_path / "handout.docx"
    source.write_bytes(handout)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "odt", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=240)
    content = etree.fromstring(zipfile.ZipFile(tmp_path / "handout.odt").read("content.xml"))
    text_ns = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
    draw_ns = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
    items = {"".join(item.itertext()).strip(): item for item in content.iter(text_ns + "list-item")}
    assert {"摸排矛盾", "村级调解", "建立台账", *QUESTIONS} <= set(items)
    nested = items["村级调解"]
    assert sum(1 for ancestor in nested.iterancestors() if ancestor.tag == text_ns + "list") == 2
    assert items["建立台账"].get(text_ns + "start-value") == "4"
    assert len(list(content.iter(draw_ns + "image"))) == 3


def test_the_layout_fits_the_page_facts_labels_are_narrow_and_pictures_sit_on_the_margin(handout):
    from docx.shared import Cm

    document = Document(io.BytesIO(handout))
    facts = document.tables[0]
    widths = [column.width for column in facts.columns]  # stored in twips: equal to within rounding
    assert all(abs(width - expected) < Cm(0.01) for width, expected in zip(widths, [Cm(2.4), Cm(14.2)], strict=True))
    assert all(shape._inline.get("distL") == "0" for shape in document.inline_shapes)
    assert document.styles["Title"].element.pPr.find(qn("w:pBdr")) is None  # no blue template rule


def test_pages_are_numbered_with_word_fields_and_headed_with_the_title(handout):
    document = Document(io.BytesIO(handout))
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "测试合集"
    instructions = [node.get(W + "instr") for node in section.footer._element.iter(W + "fldSimple")]
    assert [instruction.split()[0] for instruction in instructions] == ["PAGE", "NUMPAGES"]
    assert section.footer.paragraphs[0].text.startswith("第 ")
