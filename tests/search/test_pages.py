"""The search page, the JSON API and the editors' list of searches that found nothing."""

from __future__ import annotations

import re

from portal.cases.models import Case
from portal.cases.params import PARAMETER_LABELS
from portal.cases.related import related_for
from portal.extensions import db
from portal.search.models import SearchMiss
from tests.helpers import login

RESULT_KEYS = {"slug", "title", "summary", "area", "region", "tags", "url", "highlight", "score", "matched"}


def test_the_search_page_shows_highlighted_results_facets_and_paging(seeded_client):
    page = seeded_client.get("/search?q=网格&per_page=2")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<mark>网格</mark>" in html
    assert 'href="/cases/jingning-yuwai-wangge"' in html or "下一页" in html
    assert "统筹领域" in html and "地区" in html and "标签" in html
    assert re.search(r'href="/search\?q=%E7%BD%91%E6%A0%BC&amp;area=\w+"', html)
    assert "按发布时间" in html


def test_the_search_page_offers_the_suggestion_as_a_link(seeded_client):
    html = seeded_client.get("/search?q=阳光票绝制").get_data(as_text=True)
    assert "您是不是要找" in html and "阳光票决制" in html


def test_bad_page_parameters_get_a_chinese_message_not_an_error_page(seeded_client):
    response = seeded_client.get("/search?q=网格&page=abc")
    assert response.status_code == 400
    assert "page" in response.get_data(as_text=True)


def test_the_api_returns_exactly_the_documented_shape(seeded_client):
    body = seeded_client.get("/api/v1/search?q=矛盾纠纷&per_page=3").get_json()
    assert set(body) == {"query", "total", "page", "per_page", "results", "facets", "suggestion", "match"}
    assert body["query"] == "矛盾纠纷" and body["page"] == 1 and body["per_page"] == 3
    assert body["total"] >= 3 and len(body["results"]) == 3
    first = body["results"][0]
    assert set(first) == RESULT_KEYS
    assert set(first["area"]) == {"slug", "name"} and set(first["region"]) == {"code", "name"}
    assert first["url"].endswith(f"/cases/{first['slug']}")
    assert "<mark>" in first["highlight"] and isinstance(first["score"], float)
    assert set(body["facets"]) == {"area", "region", "tag"}
    assert set(body["facets"]["area"][0]) == {"slug", "name", "count"}
    assert set(body["facets"]["region"][0]) == {"code", "name", "count"}
    assert set(body["facets"]["tag"][0]) == {"name", "count"}


def test_the_api_filters_and_sorts(seeded_client):
    body = seeded_client.get("/api/v1/search?q=治理&area=pingtai&level=市级&sort=newest").get_json()
    assert body["total"] > 0
    assert {result["area"]["slug"] for result in body["results"]} == {"pingtai"}


def test_bad_api_parameters_answer_400_naming_the_parameter(seeded_client):
    cases = {"page": "0", "per_page": "101", "sort": "best", "level": "省级", "area": "nowhere",
             "region": "999999", "year": "nineteen", "tag": "标" * 80}
    for name, value in cases.items():
        response = seeded_client.get("/api/v1/search", query_string={"q": "网格", name: value})
        assert response.status_code == 400, name
        error = response.get_json()["error"]
        assert error["parameter"] == name and PARAMETER_LABELS[name] in error["message"]


def test_searches_that_find_nothing_are_recorded_and_shown_to_editors(seeded_app, seeded_client, make_user):
    for address in ("10.0.0.1", "10.0.0.2"):  # one address counts once (tests/search/test_misses.py)
        seeded_client.environ_base["REMOTE_ADDR"] = address
        seeded_client.get("/search?q=量子纠缠")
    seeded_client.get("/api/v1/search?q=太空站")
    seeded_client.get("/search?q=网格")  # found things: not recorded
    with seeded_app.app_context():
        assert sorted(miss.query for miss in db.session.scalars(db.select(SearchMiss))) == [
            "太空站", "量子纠缠", "量子纠缠"]
    assert seeded_client.get("/editor/search-misses").status_code in (302, 401, 403)
    make_user("editor1", "editor")
    login(seeded_client, "editor1")
    html = seeded_client.get("/editor/search-misses").get_data(as_text=True)
    assert re.search(r"量子纠缠</a></td>\s*<td>2</td>", html)
    assert "太空站" in html and "网格" not in html.split("<table>")[1]


def test_related_cases_share_tags_or_themes_and_never_include_the_case_itself(seeded_app):
    with seeded_app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.slug == "yingcun-minshi-cunliao"))
        related = related_for(case, limit=5)
        assert 0 < len(related) <= 5
        assert case not in related
        related_slugs = {other.slug for other in related}
        assert related_slugs & {"huangnidun-yangguang-piaojue", "xitou-sanhua-zhili"}
        draft = db.session.scalar(db.select(Case).where(Case.slug == "xitou-sanhua-zhili"))
        draft.status = "draft"
        db.session.commit()
        assert "xitou-sanhua-zhili" not in {other.slug for other in related_for(case)}


def test_the_case_page_lists_related_cases(seeded_client):
    html = seeded_client.get("/cases/yingcun-minshi-cunliao").get_data(as_text=True)
    assert 'href="/cases/huangnidun-yangguang-piaojue"' in html or 'href="/cases/xitou-sanhua-zhili"' in html
