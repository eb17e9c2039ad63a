"""The reading pages are well-formed HTML: no parse errors, unique ids, one h1, labelled landmarks."""

from __future__ import annotations

import re

import pytest

tinyhtml5_parser = pytest.importorskip("tinyhtml5.parser", reason="tinyhtml5 comes with WeasyPrint")

PAGES = ["/", "/cases", "/cases?area=pingtai&region=331102&per_page=1", "/cases/liandu-grid",
         "/cases/zijin-mediation", "/matrix", "/areas/pingtai", "/regions/331100", "/tags/网格",
         "/cases?page=0", "/cases/missing"]


@pytest.mark.parametrize("url", PAGES)
def test_page_parses_cleanly_with_unique_ids_and_one_h1(client, library, url):
    html = client.get(url).get_data(as_text=True)
    parser = tinyhtml5_parser.HTMLParser()
    parser.parse(html.encode())
    assert parser.errors == [], url
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), url
    assert html.count("<h1") == 1, url
    assert "<main" in html and 'lang="zh-CN"' in html
    assert "style=" not in html and "<script>" not in html
