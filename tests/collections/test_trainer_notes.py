"""Teaching notes stay with trainers: readers and trainees see introduction, cases and questions only."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from tests.factories import make_case, make_taxonomy
from tests.helpers import login
from tests.helpers.collections import TOWNSHIP, make_collection, squeeze

NOTE = "从“民事村了”开场"
QUESTION = "如果把“矛盾不出村”写成考核指标，可能带来哪些副作用？"


def pdf_text(data: bytes) -> str:
    return squeeze("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def screens(client, slug: str) -> list[str]:
    """Every projector screen of a collection, title screen first, by following the next links."""
    url, pages = f"/collections/{slug}/present", []
    while url:
        html = client.get(url).get_data(as_text=True)
        pages.append(html)
        found = re.search(r'<a id="present-next"[^>]*href="([^"]+)"', html)
        url = found.group(1) if found else None
    return pages


@pytest.fixture
def trainer(seeded_app, make_user):
    make_user("zhaojiao", "trainer")
    client = seeded_app.test_client()
    login(client, "zhaojiao")
    return client


def test_anonymous_readers_never_see_a_note_on_the_page_or_in_training_mode(seeded_client):
    page = seeded_client.get(f"/collections/{TOWNSHIP}").get_data(as_text=True)
    assert NOTE not in page and 'class="trainer-note"' not in page
    assert QUESTION in page
    for html in screens(seeded_client, TOWNSHIP):
        assert NOTE not in html
    assert any(QUESTION in html for html in screens(seeded_client, TOWNSHIP))


@pytest.mark.parametrize("role", ["trainer", "editor", "reviewer", "admin"])
def test_trainers_and_staff_read_the_notes_on_a_private_page(seeded_app, make_user, role):
    make_user(f"staff-{role}", role)
    client = seeded_app.test_client()
    login(client, f"staff-{role}")
    response = client.get(f"/collections/{TOWNSHIP}")
    assert NOTE in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "private, no-store"


def test_the_projector_never_shows_notes_even_to_a_trainer(trainer):
    for html in screens(trainer, TOWNSHIP):
        assert NOTE not in html


def test_the_trainee_handout_has_no_notes_and_the_teacher_handout_has_them(seeded_client, trainer):
    student = seeded_client.get(f"/collections/{TOWNSHIP}/handout.pdf")
    assert student.status_code == 200
    text = pdf_text(student.data)
    assert squeeze(QUESTION) in text
    assert squeeze(NOTE) not in text and "培训者导读（教师版）" not in text and "学员版" in text

    refused = seeded_client.get(f"/collections/{TOWNSHIP}/teacher-handout.pdf")
    assert refused.status_code == 302 and "/login" in refused.headers["Location"]

    teacher = trainer.get(f"/collections/{TOWNSHIP}/teacher-handout.pdf")
    assert teacher.status_code == 200
    assert teacher.headers["Cache-Control"] == "private, no-store"
    text = pdf_text(teacher.data)
    assert squeeze(NOTE) in text and "教师版" in text and squeeze(QUESTION) in text


def test_a_draft_note_never_leaks_through_another_case_handout(app, client):
    with app.app_context():
        make_taxonomy()
        case = make_case("单篇讲义案例", slug="single")
        make_collection([case], notes={"single": "只给培训者看的秘密导读"}, questions={"single": ["单篇的讨论题？"]})
    text = pdf_text(client.get("/cases/single/handout.pdf").data)
    assert "单篇的讨论题？" in text and "只给培训者看的秘密导读" not in text


def test_the_cli_writes_the_trainee_edition_unless_asked_for_the_teacher_edition(seeded_app, tmp_path):
    runner = seeded_app.test_cli_runner()
    student, teacher = tmp_path / "student.pdf", tmp_path / "teacher.pdf"
    assert runner.invoke(args=["collections", "handout", TOWNSHIP, "-o", str(student)]).exit_code == 0
    assert runner.invoke(args=["collections", "handout", TOWNSHIP, "-o", str(teacher), "--teacher"]).exit_code == 0
    assert squeeze(NOTE) not in pdf_text(student.read_bytes())
    assert squeeze(NOTE) in pdf_text(teacher.read_bytes())
