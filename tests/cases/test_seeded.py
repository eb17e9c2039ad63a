"""The reading pages over the real content/: the 20 seed cases, the real taxonomy, real collections."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest

from portal.cases.models import Case
from portal.collections.models import Collection
from portal.extensions import db


@pytest.fixture
def seed_slugs(seeded_app) -> list[str]:
    with seeded_app.app_context():
        return list(db.session.scalars(db.select(Case.slug).where(Case.status == "published")))


def test_every_seed_case_page_renders_with_its_facts(seeded_client, seed_slugs):
    assert len(seed_slugs) == 20
    for slug in seed_slugs:
        response = seeded_client.get(f"/cases/{slug}")
        assert response.status_code == 200, slug
        html = response.get_data(as_text=True)
        assert html.count("<h1") == 1, slug
        assert "案例信息" in html and "相关案例" in html, slug
        assert ">None<" not in html, slug


def test_related_cases_come_from_search_and_never_repeat_the_case(seeded_client, seed_slugs):
    for slug in seed_slugs[:5]:
        html = seeded_client.get(f"/cases/{slug}").get_data(as_text=True)
        related = html.split('id="related-title"')[1].split("</section>")[0]
        links = re.findall(r'href="/cases/([\w-]+)"', related)
        assert 1 <= len(links) <= 5, slug
        assert slug not in links


def test_matrix_cells_agree_with_the_api(seeded_client):
    html = seeded_client.get("/matrix").get_data(as_text=True)
    assert "（共 20 个）" in html
    cells = re.findall(r'<td class="matrix-cell heat-\d">\s*<a href="/cases\?([^"]+)">(.*?)</a>', html, re.S)
    assert len(cells) == 50
    total = 0
    for query, inner in cells:
        count = int(m.group(1)) if (m := re.search(r'class="cell-count">(\d+)<', inner)) else 0
        api = seeded_client.get(f"/api/v1/cases?{unescape(query)}").get_json()
        assert api["total"] == count, query
        total += count
    assert total == 20


def test_feed_and_sitemap_cover_all_seed_cases(seeded_client, seed_slugs):
    feed = ET.fromstring(seeded_client.get("/feed.atom").data)
    assert len(feed.findall("{http://www.w3.org/2005/Atom}entry")) == 20
    sitemap = seeded_client.get("/sitemap.xml").data.decode()
    for slug in seed_slugs:
        assert f"<loc>http://localhost/cases/{slug}</loc>" in sitemap


def test_home_shows_the_real_holdings_and_featured_collections(seeded_app, seeded_client):
    with seeded_app.app_context():
        featured = list(db.session.scalars(db.select(Collection.slug).where(Collection.featured.is_(True),
                                                                            Collection.published.is_(True))))
    html = seeded_client.get("/").get_data(as_text=True)
    assert featured, "content/ should feature at least one collection"
    for slug in featured:
        assert f'href="/collections/{slug}"' in html
    assert "目前共收录已发布案例 <strong>20</strong> 个" in html
    for name in ("平台统筹", "区域统筹", "服务统筹", "力量统筹", "责任统筹", "景宁畲族自治县"):
        assert name in html


def test_api_lists_twenty_and_taxonomy_has_ten_regions(seeded_client):
    assert seeded_client.get("/api/v1/cases").get_json()["total"] == 20
    taxonomy = seeded_client.get("/api/v1/taxonomy").get_json()
    assert len(taxonomy["areas"]) == 5
    [city] = taxonomy["regions"]
    assert city["name"] == "丽水市" and len(city["children"]) == 9
    assert all(area["description"] for area in taxonomy["areas"])
