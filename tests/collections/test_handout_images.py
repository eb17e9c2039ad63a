"""The PDF handout: uploaded images (WebP too) fit the page, lists number as written; no other URL is fetched."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from portal.collections.handout_images import upload_bytes
from portal.collections.handouts import HANDOUT_CSS, case_handout_html, render_pdf
from tests.factories import make_case, make_taxonomy
from tests.helpers.collections import squeeze

WEBP, PNG = "e" * 32 + ".webp", "f" * 32 + ".png"


def store_images(app, wide: bool = False) -> None:
    uploads = Path(app.config["UPLOAD_DIR"])
    uploads.mkdir(parents=True, exist_ok=True)
    for name, fmt in ((WEBP, "WEBP"), (PNG, "PNG")):
        stream = io.BytesIO()
        Image.new("RGB", (3000, 900) if wide and fmt == "WEBP" else (60, 40), (20, 120, 60)).save(stream, format=fmt)
        (uploads / name).write_bytes(stream.getvalue())


def pdf_of(app, body: str) -> PdfReader:
    with app.test_request_context():
        make_taxonomy()
        case = make_case("图片讲义案例", slug="pictures", body=body)
        html = case_handout_html(case)
        return PdfReader(io.BytesIO(render_pdf(html, HANDOUT_CSS.read_text(encoding="utf-8"))))


def test_uploaded_webp_and_png_images_are_in_the_pdf_and_a_wide_one_fits_the_first_page(app):
    store_images(app, wide=True)
    reader = pdf_of(app, f"## 做法\n\n![流程图](/uploads/{WEBP})\n\n![现场](/uploads/{PNG})\n")
    assert len(reader.pages[0].images) == 2  # the 3000 px wide image is scaled to the page, not pushed on
    assert len(reader.pages) == 1


def test_a_list_that_markdown_starts_at_4_is_numbered_from_4(app):
    reader = pdf_of(app, "## 做法\n\n1. 摸排\n2. 化解\n\n其后：\n\n4. 建立台账\n5. 定期通报\n")
    text = squeeze("".join(page.extract_text() for page in reader.pages))
    markers = re.findall(r"(\d+)\.", text)  # WeasyPrint writes list markers as text
    assert sorted(markers) == ["1", "2", "4", "5"], markers


def test_nothing_but_uploads_is_loaded(app, tmp_path):
    secret = tmp_path / "secret.png"
    Image.new("RGB", (10, 10)).save(secret)
    body = (f"![本机文件](file://{secret})\n\n![外部](http://127.0.0.1:9/x.png)\n\n"
            f"![越界](/uploads/../{secret.name})\n")
    reader = pdf_of(app, body)
    assert not [image for page in reader.pages for image in page.images]
    with app.app_context():
        for url in (f"file://{secret}", "http://127.0.0.1:9/x.png", "/uploads/../secret.png", "/uploads/"):
            with pytest.raises(ValueError):
                upload_bytes(url)
