"""The Atom feed and the sitemap: well-formed XML, absolute URLs, escaped text, no drafts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from portal.collections.models import Collection
from portal.extensions import db
from tests.factories import make_case

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_feed_is_valid_atom_with_absolute_links(client, library):
    response = client.get("/feed.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None
    entries = root.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        "庆元十台合一", "紫金街道调解室", "莲都区网格融合", "市级平安报表"]
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href") == "http://localhost/cases/qingyuan-platform"
    assert first.findtext(f"{ATOM}id").startswith("http://localhost/")
    assert first.findtext(f"{ATOM}updated").endswith("Z")


def test_feed_escapes_titles_and_html(app, client, library):
    with app.app_context():
        make_case('标题 <含> & "引号"', slug="escaped", body="**加粗** & <em>强调</em>")
    root = ET.fromstring(client.get("/feed.atom").data)
    entry = root.findall(f"{ATOM}entry")[0]
    assert entry.findtext(f"{ATOM}title") == '标题 <含> & "引号"'
    assert "<strong>加粗</strong>" in entry.findtext(f"{ATOM}content")


def test_feed_leaves_out_drafts(client, library):
    assert "草稿：景宁未发布案例".encode() not in client.get("/feed.atom").data


def test_empty_feed_is_still_valid(client):
    root = ET.fromstring(client.get("/feed.atom").data)
    assert root.findall(f"{ATOM}entry") == []
    assert root.findtext(f"{ATOM}updated")


def test_sitemap_lists_published_cases_and_facet_pages(app, client, library):
    with app.app_context():
        db.session.add_all([Collection(slug="open", title="公开合集", published=True),
                            Collection(slug="closed", title="未公开合集", published=False)])
        db.session.commit()
    response = client.get("/sitemap.xml")
    assert response.mimetype == "application/xml"
    locs = {loc.text for loc in ET.fromstring(response.data).iter(f"{SITEMAP}loc")}
    assert "http://localhost/cases/liandu-grid" in locs
    assert "http://localhost/cases/draft-case" not in locs
    assert "http://localhost/areas/pingtai" in locs
    assert "http://localhost/regions/331102" in locs
    assert "http://localhost/tags/%E7%BD%91%E6%A0%BC" in locs
    assert not any("%E7%A7%98%E5%AF%86" in loc for loc in locs)  # 秘密标签 belongs only to the draft
    assert "http://localhost/collections/open" in locs
    assert "http://localhost/collections/closed" not in locs
    assert all(loc.startswith("http://localhost/") for loc in locs)
