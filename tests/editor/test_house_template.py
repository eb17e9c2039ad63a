"""A new case starts from the house template; its prompts guide the editor and are never saved."""

from __future__ import annotations

from portal.cases.house_template import PROMPTS, SECTIONS, starting_body, strip_prompts
from portal.cases.models import Case
from portal.extensions import db
from tests.helpers.editor import case_data


def test_the_template_headings_are_in_a_new_cases_body(app, staff):
    html = staff("zhang").get("/editor/cases/new").get_data(as_text=True)
    body = html.split('name="body"', 1)[1].split("</textarea>", 1)[0]
    for heading in ("## 背景", "## 做法", "## 成效", "## 经验与启示"):
        assert heading in body
    assert all(prompt in body for prompt in PROMPTS)


def test_untouched_prompts_are_not_saved_but_the_writing_is(app, staff):
    written = starting_body().replace(PROMPTS[1], "建立网格党支部，网格员每周走访。")
    assert staff("zhang").post("/editor/cases/new", case_data(body=written)).status_code == 302
    with app.app_context():
        body = db.session.scalar(db.select(Case.body_md))
        html = db.session.scalar(db.select(Case.body_html))
    assert "建立网格党支部" in body and "## 背景" in body and "## 经验与启示" in body
    assert not any(prompt in body or prompt in html for prompt in PROMPTS)
    assert "\n\n\n" not in body


def test_prompts_stay_out_of_the_preview_and_the_suggestions(app, staff):
    author = staff("zhang")
    token = author.token("/editor/cases/new")
    answer = author.client.post("/editor/preview", data={"body": starting_body(), "title": "", "tags": ""},
                                headers={"X-CSRFToken": token}).get_json()
    assert "✎" not in answer["html"] and "背景" in answer["html"]
    assert answer["suggestions"]["tags"] == []


def test_stripping_prompts_leaves_other_text_alone():
    text = "## 背景\n\n原文里有一句“✎ 这是引用”。\n"
    assert strip_prompts(text) == text
    assert strip_prompts(starting_body()) == "\n\n".join(f"## {heading}" for heading, _ in SECTIONS) + "\n"
