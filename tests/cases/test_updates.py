"""最近更新 and the Atom feeds per area, region and tag: newest change first, valid Atom, linked from the pages."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from portal.cases.models import Case
from portal.extensions import db
from portal.timeutil import utcnow

ATOM = "{http://www.w3.org/2005/Atom}"


def touch(app, slug: str) -> None:
    """Change a case published a month ago, now (after the library's cases were written)."""
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.slug == slug))
        case.published_at = utcnow() - timedelta(days=30)
        case.summary = "修改后的摘要。"
        case.updated_at = utcnow() + timedelta(seconds=1)
        db.session.commit()


def entry_titles(response) -> list[str]:
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{ATOM}feed" and root.findtext(f"{ATOM}updated")
    for required in ("id", "title", "author"):
        assert root.find(f"{ATOM}{required}") is not None
    return [entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")]


def test_updates_list_the_latest_change_first_and_say_what_happened(app, client, library):
    touch(app, "city-report")  # published a month ago, edited now
    html = client.get("/updates").get_data(as_text=True)
    titles = re.findall(r'<h2 class="update-title"><a href="/cases/[^"]+">([^<]+)</a>', html)
    assert titles[0] == "市级平安报表" and set(titles) == {"市级平安报表", "莲都区网格融合", "紫金街道调解室", "庆元十台合一"}
    first, second = html.split('class="update-item"')[1:3]
    assert "更新</span>" in first and "新发布</span>" in second
    assert "草稿" not in html


def test_updates_page_by_page(app, client, library):
    page_two = client.get("/updates?per_page=3&page=2").get_data(as_text=True)
    assert page_two.count('class="update-item"') == 1 and "第 2/2 页" in page_two
    assert client.get("/updates?page=9&per_page=3").status_code == 404
    assert client.get("/updates?page=x").status_code == 400


def test_updates_feed_follows_the_page(app, client, library):
    touch(app, "liandu-grid")
    assert entry_titles(client.get("/updates.atom"))[0] == "莲都区网格融合"
    html = client.get("/updates").get_data(as_text=True)
    assert '<link rel="alternate" type="application/atom+xml" title="最近更新" href="/updates.atom">' in html


@pytest.mark.parametrize(("page", "feed", "expected"), [
    ("/areas/pingtai", "/areas/pingtai/feed.atom", {"莲都区网格融合", "紫金街道调解室", "庆元十台合一"}),
    ("/regions/331102", "/regions/331102/feed.atom", {"莲都区网格融合", "紫金街道调解室"}),
    ("/tags/网格", "/tags/%E7%BD%91%E6%A0%BC/feed.atom", {"莲都区网格融合", "紫金街道调解室"}),
])
def test_each_area_region_and_tag_has_a_feed_linked_from_its_page(client, library, page, feed, expected):
    html = client.get(page).get_data(as_text=True)
    assert re.search(rf'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="{re.escape(feed)}">', html)
    assert f'href="{feed}"' in html.split("</head>")[1]  # and a visible link for people
    response = client.get(feed)
    assert set(entry_titles(response)) == expected
    root = ET.fromstring(response.data)
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == f"http://localhost{feed}"
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href") == f"http://localhost{page}".replace(
        "网格", "%E7%BD%91%E6%A0%BC")


def test_feeds_for_unknown_facets_are_chinese_404s(client, library):
    for url in ("/areas/nowhere/feed.atom", "/regions/999999/feed.atom", "/tags/秘密标签/feed.atom"):
        response = client.get(url)
        assert response.status_code == 404 and "没有找到" in response.get_data(as_text=True)


def test_feeds_are_cached_like_other_public_pages_and_turn_over_on_change(app, client, library):
    first = client.get("/areas/pingtai/feed.atom")
    assert "public" in first.headers["Cache-Control"] and first.headers.get("ETag")
    assert client.get("/areas/pingtai/feed.atom", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    touch(app, "qingyuan-platform")
    changed = client.get("/areas/pingtai/feed.atom", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and entry_titles(changed)[0] == "庆元十台合一"


def test_sitemap_and_header_know_the_updates_page(client, library):
    assert b"http://localhost/updates</loc>" in client.get("/sitemap.xml").data
    assert 'href="/updates">最近更新</a>' in client.get("/").get_data(as_text=True)
