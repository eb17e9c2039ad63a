"""PDF handouts: Chinese text survives into the PDF, downloads are named in Chinese, PDFs are cached."""

from __future__ import annotations

import io
from urllib.parse import quote

from pypdf import PdfReader
from sqlalchemy import select

from portal.cases.models import Case
from portal.collections.models import Collection
from portal.extensions import db
from portal.timeutil import utcnow
from tests.factories import make_case, make_taxonomy
from tests.helpers.collections import TOWNSHIP, TOWNSHIP_CASES, TOWNSHIP_TITLE, make_collection, squeeze

QUESTION = "如果把“矛盾不出村”写成考核指标，可能带来哪些副作用？应当怎样评价村级调解的实效？"


def pdf_text(data: bytes) -> str:
    return squeeze("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def pdf_fonts(data: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


def titles(app, slugs) -> list[str]:
    with app.app_context():
        by_slug = {case.slug: case.title for case in db.session.scalars(select(Case))}
    return [by_slug[slug] for slug in slugs]


def test_the_collection_handout_holds_the_chinese_titles_and_questions(seeded_app, seeded_client):
    response = seeded_client.get(f"/collections/{TOWNSHIP}/handout.pdf")
    assert response.status_code == 200
    assert response.content_type == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=\"{TOWNSHIP}.pdf\"; filename*=UTF-8''{quote(TOWNSHIP_TITLE + '.pdf', safe='')}")
    assert response.data.startswith(b"%PDF-")
    text = pdf_text(response.data)
    assert squeeze(TOWNSHIP_TITLE) in text
    for title in titles(seeded_app, TOWNSHIP_CASES):
        assert squeeze(title) in text, title
    assert squeeze(QUESTION) in text
    assert "目录" in text and "讨论题汇总" in text
    # Every glyph comes from the Noto CJK fonts, so nothing fell back to a font without Chinese.
    fonts = pdf_fonts(response.data)
    assert fonts and all("Noto" in font and "CJK-SC" in font for font in fonts), fonts


def test_a_single_case_handout_has_its_title_and_the_questions_collections_ask(seeded_client):
    response = seeded_client.get("/cases/yingcun-minshi-cunliao/handout.pdf")
    assert response.status_code == 200
    assert response.content_type == "application/pdf"
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    assert squeeze('遂昌县应村村“民事村了”工作法') in text
    assert squeeze(QUESTION) in text
    assert "经验与启示" in text


def test_only_published_cases_reach_handouts(app, client):
    with app.app_context():
        make_taxonomy()
        shown = make_case("公开的案例", slug="shown")
        hidden = make_case("尚在草稿的案例", slug="hidden", status="draft")
        make_collection([shown, hidden], title="草稿测试合集")
    assert client.get("/cases/hidden/handout.pdf").status_code == 404
    assert client.get("/cases/no-such-case/handout.pdf").status_code == 404
    text = pdf_text(client.get("/collections/demo/handout.pdf").data)
    assert "公开的案例" in text
    assert "尚在草稿的案例" not in text


def test_handouts_are_cached_until_the_collection_changes(app, client, instance_dir):
    with app.app_context():
        make_taxonomy()
        collection = make_collection([make_case("缓存测试案例", slug="cached")],
                                     questions={"cached": ["第一版讨论题？"]})
        collection_id = collection.id
    first = client.get("/collections/demo/handout.pdf")
    cached = list((instance_dir / "handouts").glob("collection-*.pdf"))
    assert len(cached) == 1
    assert client.get("/collections/demo/handout.pdf").data == first.data
    assert list((instance_dir / "handouts").glob("collection-*.pdf")) == cached

    with app.app_context():
        collection = db.session.get(Collection, collection_id)
        collection.items[0].questions = ["第二版讨论题？"]
        collection.updated_at = utcnow()
        db.session.commit()
    text = pdf_text(client.get("/collections/demo/handout.pdf").data)
    assert "第二版讨论题？" in text and "第一版讨论题？" not in text
    # The new edition replaced the old file rather than piling up beside it.
    remaining = list((instance_dir / "handouts").glob("collection-*.pdf"))
    assert len(remaining) == 1 and remaining != cached


def test_the_cli_writes_a_handout(app, runner, tmp_path):
    with app.app_context():
        make_taxonomy()
        make_collection([make_case("命令行讲义案例", slug="cli")], title="命令行讲义合集")
    target = tmp_path / "out.pdf"
    result = runner.invoke(args=["collections", "handout", "demo", "-o", str(target)])
    assert result.exit_code == 0, result.output
    text = pdf_text(target.read_bytes())
    assert "命令行讲义合集" in text and "命令行讲义案例" in text
    missing = runner.invoke(args=["collections", "handout", "no-such"])
    assert missing.exit_code != 0 and "没有网址名为 'no-such' 的合集" in missing.output


def test_a_single_case_handout_is_the_case_and_its_questions_only(seeded_client):
    data = seeded_client.get("/cases/yingcun-minshi-cunliao/handout.pdf").data
    reader = PdfReader(io.BytesIO(data))
    first_page = squeeze(reader.pages[0].extract_text())
    text = pdf_text(data)
    # The case starts on page one: no cover, no contents page, no page repeating the questions.
    assert squeeze('遂昌县应村村“民事村了”工作法') in first_page
    assert "目录" not in text and "讨论题汇总" not in text
    assert text.count(squeeze(QUESTION)) == 1
    assert len(reader.pages) <= 2
