"""Training mode: each case runs over slides (背景 / 做法 / 成效 / 讨论), each its own URL with
prev/next/exit links that work without JS; the presenter view is for trainers."""

from __future__ import annotations

import re

import pytest

from portal.collections.slides import paginate, top_level_blocks
from tests.factories import make_case, make_taxonomy
from tests.helpers import login
from tests.helpers.collections import TOWNSHIP, TOWNSHIP_TITLE, make_collection

BASE = f"/collections/{TOWNSHIP}/present"


def link(html: str, element_id: str) -> re.Match | None:
    return re.search(rf'<a id="{element_id}"([^>]*)>', html)


def walk(client, url: str) -> list[str]:
    """Follow the next links from `url` to the last slide; return every page."""
    pages = []
    while url:
        html = client.get(url).get_data(as_text=True)
        pages.append(html)
        nxt = link(html, "present-next")
        url = re.search(r'href="([^"]+)"', nxt.group(1)).group(1) if nxt else None
    return pages


def slide_headings(html: str) -> tuple[str, str]:
    title = re.search(r'id="slide-title">([^<]+)<', html).group(1)
    heading = re.search(r'<h2 class="slide-h2">([^<]+)</h2>', html)
    return title, heading.group(1) if heading else ""


def test_the_title_screen_lists_the_cases_and_leads_to_each_case_start(seeded_client):
    html = seeded_client.get(BASE).get_data(as_text=True)
    assert f'id="slide-title">{TOWNSHIP_TITLE}</h1>' in html
    starts = re.findall(rf'href="{BASE}/(\d+)" data-screen="\1"', html)
    assert len(starts) == 7 and starts[0] == "1"
    for start in starts:
        assert slide_headings(seeded_client.get(f"{BASE}/{start}").get_data(as_text=True))[1] == "背景"
    assert f'href="{BASE}/1"' in link(html, "present-next").group(1)
    assert link(html, "present-prev") is None
    assert seeded_client.get(f"{BASE}/0").get_data(as_text=True) == html


def test_a_case_runs_over_background_practice_results_and_discussion_slides(seeded_client):
    pages = walk(seeded_client, f"{BASE}/1")
    first_case = [slide_headings(html) for html in pages if "民事村了" in slide_headings(html)[0]]
    kinds = [heading.removesuffix("（续）") for _, heading in first_case]
    assert kinds[0] == "背景" and kinds[-1] == "讨论题"
    assert kinds.index("做法") < kinds.index("成效") < kinds.index("讨论题")
    assert "经验与启示" not in kinds  # analysis stays on paper
    discussion = pages[len(first_case) - 1]
    assert "如果把“矛盾不出村”写成考核指标，可能带来哪些副作用？应当怎样评价村级调解的实效？" in discussion
    assert "从“民事村了”开场" not in "".join(pages)  # the projector faces the room: no notes


def test_every_paragraph_of_the_shown_sections_reaches_some_slide(seeded_app, seeded_client):
    from portal.collections.sections import split_sections

    pages = "".join(walk(seeded_client, f"{BASE}/1"))
    with seeded_app.app_context():
        from sqlalchemy import select

        from portal.cases.models import Case
        from portal.extensions import db

        case = db.session.scalar(select(Case).where(Case.slug == "zhuanjia-tuandui-jinrong-jiufen"))
        for section in split_sections(case.body_html):
            if section.heading in ("背景", "做法", "成效"):
                for block in top_level_blocks(str(section.html)):
                    assert block in pages, block[:60]


def test_a_long_section_continues_on_a_second_slide_between_blocks():
    html = "\n".join(f"<p>{'字' * 150}{n}</p>" for n in range(5))
    pages = paginate(html, 300, 400)
    assert len(pages) > 1
    assert "\n".join(pages) == html


def test_prev_next_and_exit_links_carry_access_keys(seeded_client):
    html = seeded_client.get(f"{BASE}/3").get_data(as_text=True)
    prev, nxt, leave = link(html, "present-prev"), link(html, "present-next"), link(html, "present-exit")
    assert f'href="{BASE}/2"' in prev.group(1) and 'accesskey="p"' in prev.group(1)
    assert f'href="{BASE}/4"' in nxt.group(1) and 'accesskey="n"' in nxt.group(1)
    assert f'href="/collections/{TOWNSHIP}"' in leave.group(1) and 'accesskey="x"' in leave.group(1)
    assert f'<link rel="next" href="{BASE}/4">' in html


def test_following_next_reaches_the_last_slide_and_stops(seeded_client):
    pages = walk(seeded_client, f"{BASE}/1")
    total = int(re.search(r'data-last="(\d+)"', pages[0]).group(1))
    assert len(pages) == total
    assert "已是最后一页" in pages[-1]
    assert seeded_client.get(f"{BASE}/{total + 1}").status_code == 404
    assert seeded_client.get("/collections/no-such/present").status_code == 404


def test_the_collection_page_starts_each_case_on_its_first_slide(seeded_client):
    html = seeded_client.get(f"/collections/{TOWNSHIP}").get_data(as_text=True)
    starts = re.findall(rf'href="{BASE}/(\d+)">从此案例开始讲授', html)
    assert len(starts) == 7 and starts[0] == "1" and starts == sorted(starts, key=int)


def test_keyboard_navigation_comes_from_a_script_file_not_inline_code(seeded_client):
    html = seeded_client.get(f"{BASE}/2").get_data(as_text=True)
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts == [' src="/static/collections/present.js" defer']
    assert " style=" not in html
    script = seeded_client.get("/static/collections/present.js")
    assert script.status_code == 200 and "javascript" in script.content_type
    body = script.get_data(as_text=True)
    assert "BroadcastChannel" in body and "ArrowRight: 1" in body and "Escape" in body
    # Ids can come from user Markdown only prefixed (user-content-…); the exit link is found by data-*.
    assert 'getElementById("present-exit")' not in body and 'data-present-key="exit"' in body


@pytest.fixture
def trainer(seeded_app, make_user):
    make_user("zhaojiao", "trainer")
    client = seeded_app.test_client()
    login(client, "zhaojiao")
    return client


def test_the_presenter_view_shows_the_notes_questions_and_next_slide_to_trainers(seeded_client, trainer):
    assert seeded_client.get(f"{BASE}/1/presenter").status_code == 302  # to the login page
    response = trainer.get(f"{BASE}/1/presenter")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    html = response.get_data(as_text=True)
    assert "从“民事村了”开场" in html
    assert "如果把“矛盾不出村”写成考核指标" in html
    assert '<h2 id="next-heading">下一页</h2>' in html and 'class="slide-frame"' in html
    assert 'id="presenter-clock"' in html
    assert f'href="{BASE}/1" target="lishui-projector"' in html  # opens the projector window, no JS needed
    assert f'href="{BASE}/2/presenter"' in link(html, "present-next").group(1)
    assert trainer.get(f"{BASE}/999/presenter").status_code == 404


def test_a_case_without_questions_has_no_discussion_slide(app, client):
    with app.app_context():
        make_taxonomy()
        make_collection([make_case("没有讨论题的案例", slug="quiet")])
    pages = walk(client, "/collections/demo/present/1")
    assert all("讨论题" not in slide_headings(html)[1] for html in pages)
