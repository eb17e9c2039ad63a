"""Word conversion details: WPS's Chinese style names, images Word may hold in other formats, notes."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Inches
from PIL import Image

from portal.intake.wordfiles import convert


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_chinese_heading_style_names_become_headings():
    document = Document()
    for level in (1, 2):
        document.styles.add_style(f"标题 {level}", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("遂昌县“三个一”工作法", style="标题 1")
    document.add_paragraph("做法", style="标题 2")
    document.add_paragraph("每村一名联络员。")
    converted = convert(docx_bytes(document), "wps.docx", 5_000_000)
    assert converted.title == "遂昌县“三个一”工作法"
    assert converted.markdown.startswith("## 做法\n\n每村一名联络员。")


def test_a_bmp_image_is_converted_to_png():
    bmp = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 128, 0)).save(bmp, "BMP")
    document = Document()
    document.add_paragraph("现场照片：")
    document.add_picture(io.BytesIO(bmp.getvalue()), width=Inches(1))
    converted = convert(docx_bytes(document), "bmp.docx", 5_000_000)
    [image] = converted.images
    assert image.kind.content_type == "image/png" and image.data.startswith(b"\x89PNG")
    assert f"(/uploads/{image.stored_name})" in converted.markdown and converted.notes == []


def test_an_image_over_the_limit_is_named_in_the_notes_not_dropped_silently():
    big = io.BytesIO()
    Image.effect_noise((400, 400), 80).convert("RGB").save(big, "PNG")
    document = Document()
    document.add_picture(io.BytesIO(big.getvalue()), width=Inches(2))
    converted = convert(docx_bytes(document), "big.docx", 10_000)
    assert converted.images == []
    assert converted.notes == ["第 1 张图片过大（超过 10 KB），没有转入正文，请见原文件。"]
    assert "［图片 1：过大，见原文件］" in converted.markdown and "![" not in converted.markdown


def test_a_document_title_that_differs_from_the_typed_one_stays_in_the_body():
    from tests.helpers.intake import TITLE, word_file

    kept = convert(word_file(), "x.docx", 5_000_000, typed_title="壶镇镇说事日")
    assert kept.markdown.startswith(f"## {TITLE}\n") and "### 主要做法" in kept.markdown
    same = convert(word_file(), "x.docx", 5_000_000, typed_title=TITLE)
    assert TITLE not in same.markdown and "## 主要做法" in same.markdown
