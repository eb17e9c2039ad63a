"""Training mode: one case per screen, each its own URL with prev/next/exit links that work without JS."""

from __future__ import annotations

import re

from collection_helpers import TOWNSHIP, TOWNSHIP_TITLE

BASE = f"/collections/{TOWNSHIP}/present"


def link(html: str, element_id: str) -> re.Match | None:
    return re.search(rf'<a id="{element_id}"([^>]*)>', html)


def test_the_title_screen_lists_the_cases_and_leads_to_the_first(seeded_client):
    html = seeded_client.get(BASE).get_data(as_text=True)
    assert f'<h1 id="slide-title">{TOWNSHIP_TITLE}</h1>' in html
    assert "共 7 个案例" in html
    assert html.count(f'href="{BASE}/') >= 7
    assert f'href="{BASE}/1"' in link(html, "present-next").group(1)
    assert link(html, "present-prev") is None
    assert seeded_client.get(f"{BASE}/0").get_data(as_text=True) == html


def test_a_case_screen_shows_progress_the_case_and_the_questions_but_not_the_note(seeded_client):
    html = seeded_client.get(f"{BASE}/3").get_data(as_text=True)
    assert '<p class="present-progress"' in html and ">3 / 7</p>" in html
    assert '<h1 id="slide-title">行业性专家团队与金融纠纷一站式化解</h1>' in html
    assert "<h2>做法</h2>" in html and "<h2>成效</h2>" in html
    assert "<h2>背景</h2>" not in html  # background stays on paper; the screen shows the key sections
    assert "这个案例回答“村里调不了怎么办”。" not in html  # the projector faces the room
    assert "金融纠纷中一方往往是金融机构，调解时怎样防止“调解”变成压价或强迫让步？" in html


def test_prev_next_and_exit_links_carry_access_keys(seeded_client):
    html = seeded_client.get(f"{BASE}/3").get_data(as_text=True)
    prev, nxt, leave = link(html, "present-prev"), link(html, "present-next"), link(html, "present-exit")
    assert f'href="{BASE}/2"' in prev.group(1) and 'accesskey="p"' in prev.group(1)
    assert f'href="{BASE}/4"' in nxt.group(1) and 'accesskey="n"' in nxt.group(1)
    assert f'href="/collections/{TOWNSHIP}"' in leave.group(1) and 'accesskey="x"' in leave.group(1)
    assert f'<link rel="next" href="{BASE}/4">' in html


def test_following_next_walks_through_every_case_and_stops_at_the_last(seeded_client):
    url, seen = f"{BASE}/1", []
    while url:
        html = seeded_client.get(url).get_data(as_text=True)
        seen.append(re.search(r'<p class="present-progress"[^>]*>([^<]+)</p>', html).group(1))
        nxt = link(html, "present-next")
        url = re.search(r'href="([^"]+)"', nxt.group(1)).group(1) if nxt else None
    assert seen == [f"{n} / 7" for n in range(1, 8)]
    assert "已是最后一页" in html


def test_screens_beyond_the_collection_are_not_found(seeded_client):
    assert seeded_client.get(f"{BASE}/8").status_code == 404
    assert seeded_client.get("/collections/no-such/present").status_code == 404


def test_keyboard_navigation_comes_from_a_script_file_not_inline_code(seeded_client):
    html = seeded_client.get(f"{BASE}/2").get_data(as_text=True)
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts == [' src="/static/collections/present.js" defer']
    assert " style=" not in html
    script = seeded_client.get("/static/collections/present.js")
    assert script.status_code == 200
    assert "javascript" in script.content_type
    body = script.get_data(as_text=True)
    for key, target in (("ArrowRight", "present-next"), ("ArrowLeft", "present-prev"), ("Escape", "present-exit")):
        assert re.search(rf'{key}: "{target}"', body)
