"""Word handouts: real headings, Chinese fonts, tables and questions; LibreOffice can render them."""

from __future__ import annotations

import io
import shutil
import subprocess
from urllib.parse import quote

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader
from sqlalchemy import select

from portal.cases.models import Case
from portal.extensions import db
from tests.helpers import login
from tests.helpers.collections import TOWNSHIP, TOWNSHIP_CASES, TOWNSHIP_TITLE, squeeze

QUESTION = "如果把“矛盾不出村”写成考核指标，可能带来哪些副作用？应当怎样评价村级调解的实效？"
NOTE = "从“民事村了”开场"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def titles(app) -> list[str]:
    with app.app_context():
        by_slug = {case.slug: case.title for case in db.session.scalars(select(Case))}
    return [by_slug[slug] for slug in TOWNSHIP_CASES]


def opened(data: bytes):
    return Document(io.BytesIO(data))


def headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def text_of(document) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_collection_word_handout_has_real_headings_questions_and_chinese_fonts(seeded_app, seeded_client):
    response = seeded_client.get(f"/collections/{TOWNSHIP}/handout.docx")
    assert response.status_code == 200
    assert response.content_type == DOCX
    assert quote(TOWNSHIP_TITLE + ".docx", safe="") in response.headers["Content-Disposition"]
    document = opened(response.data)
    case_headings = headings(document, 1)
    for title in titles(seeded_app):
        assert any(heading.endswith(title) for heading in case_headings), title
    assert "做法" in headings(document, 2) and "讨论题" in headings(document, 2)
    text = text_of(document)
    assert QUESTION in text
    assert NOTE not in text and "学员版" in text  # the trainee edition carries no notes
    assert document.tables, "the case facts and the case tables are Word tables"
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "宋体"
    heading_fonts = document.styles["Heading 1"].element.rPr.rFonts
    assert heading_fonts.get(qn("w:eastAsia")) == "黑体" and heading_fonts.get(qn("w:asciiTheme")) is None


def test_the_teacher_word_handout_is_for_trainers_and_holds_the_notes(seeded_app, seeded_client, make_user):
    url = f"/collections/{TOWNSHIP}/teacher-handout.docx"
    assert seeded_client.get(url).status_code == 302
    make_user("zhaojiao", "trainer")
    trainer = seeded_app.test_client()
    login(trainer, "zhaojiao")
    response = trainer.get(url)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    text = text_of(opened(response.data))
    assert NOTE in text and "教师版" in text


def test_a_single_case_word_handout_is_the_case_and_its_questions(seeded_client):
    document = opened(seeded_client.get("/cases/yingcun-minshi-cunliao/handout.docx").data)
    assert headings(document, 1) == ['遂昌县应村村“民事村了”工作法']
    text = text_of(document)
    assert text.count(QUESTION) == 1 and "目录" not in text


def test_the_cli_writes_a_word_handout(seeded_app, tmp_path):
    target = tmp_path / "handout.docx"
    result = seeded_app.test_cli_runner().invoke(args=["collections", "handout", TOWNSHIP, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert QUESTION in text_of(opened(target.read_bytes()))
    wrong = seeded_app.test_cli_runner().invoke(args=["collections", "handout", TOWNSHIP, "-o", str(tmp_path / "x.txt")])
    assert wrong.exit_code != 0 and ".pdf 或 .docx" in wrong.output


@pytest.mark.slow
def test_libreoffice_renders_the_word_handout_to_a_pdf_with_the_case_titles(seeded_app, seeded_client, tmp_path):
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is missing: install Debian's libreoffice-writer (make debian-test does)"
    source = tmp_path / "handout.docx"
    source.write_bytes(seeded_client.get(f"/collections/{TOWNSHIP}/handout.docx").data)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=240)
    text = squeeze("".join(page.extract_text() for page in PdfReader(tmp_path / "handout.pdf").pages))
    for title in titles(seeded_app):
        assert squeeze(title) in text, title
    assert "第1页/共" in text  # the footer's page fields, computed by LibreOffice


def test_a_cold_download_shows_progress_and_an_edit_renders_handouts_in_the_background(
        database_url, tmp_path, make_user):
    import time

    from portal import create_app
    from tests.factories import make_case, make_taxonomy
    from tests.helpers import csrf_token
    from tests.helpers.collections import make_collection

    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                      "INSTANCE_DIR": str(tmp_path / "instance"), "HANDOUT_BACKGROUND_RENDER": True})
    with app.app_context():
        make_taxonomy()
        collection_id = make_collection([make_case("后台讲义案例", slug="warm")], slug="warm-up").id
    client = app.test_client()
    cold = client.get("/collections/warm-up/handout.docx")
    assert cold.status_code == 202
    page = cold.get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="2">' in page and "正在生成讲义" in page
    assert cold.headers["Retry-After"] == "2"

    def ready(url: str) -> bool:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if client.get(url).status_code == 200:
                return True
            time.sleep(0.3)
        return False

    assert ready("/collections/warm-up/handout.docx")
    # A change made in the browser and published by a second reviewer renders the new edition before
    # anyone asks for it.
    make_user("editor1", "reviewer")
    make_user("rev2", "reviewer")
    editor, publisher = app.test_client(), app.test_client()
    login(editor, "editor1")
    login(publisher, "rev2")
    edit_url = f"/editor/collections/{collection_id}"
    editor.post(edit_url, data={"csrf_token": csrf_token(editor, edit_url), "title": "改过标题的合集",
                                "slug": "warm-up", "published": "y"})
    publisher.post(f"{edit_url}/changes/publish", data={"csrf_token": csrf_token(publisher, edit_url)})
    handouts = tmp_path / "instance" / "handouts"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and len(list(handouts.glob(f"collection-{collection_id}-*"))) < 4:
        time.sleep(0.3)
    assert len(list(handouts.glob(f"collection-{collection_id}-*"))) == 4  # pdf + docx, 学员版 + 教师版
    fresh = client.get("/collections/warm-up/handout.docx")
    assert fresh.status_code == 200 and "改过标题的合集" in text_of(opened(fresh.data))
    app.extensions["handouts"].pool.shutdown(wait=True)
