"""The cases JSON API: exact shapes, filters, paging, 400/404 JSON, drafts invisible."""

from __future__ import annotations

import pytest

from portal.cases.models import Area, Case
from portal.cases.params import PARAMETER_LABELS
from portal.extensions import db
from tests.helpers.library import build_library

LIST_KEYS = {"slug", "title", "summary", "area", "region", "tags", "url"}
DETAIL_KEYS = LIST_KEYS | {"body_md", "body_html", "secondary_areas", "place", "level", "year", "source",
                           "published_at", "updated_at", "version", "learned_from", "adopted_in", "checked_on",
                           "review_by"}


@pytest.fixture
def library(app) -> dict[str, str]:
    """Taxonomy plus four published cases and one draft (see tests/cases/library.py)."""
    return build_library(app)


def slugs(payload: dict) -> list[str]:
    return [item["slug"] for item in payload["results"]]


def test_list_has_exactly_the_documented_shape(client, library):
    response = client.get("/api/v1/cases")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    payload = response.get_json()
    assert set(payload) == {"total", "page", "per_page", "results"}
    assert (payload["total"], payload["page"], payload["per_page"]) == (4, 1, 20)
    first = payload["results"][0]
    assert set(first) == LIST_KEYS
    assert first == {"slug": "qingyuan-platform", "title": "庆元十台合一", "summary": "摘要。",
                     "area": {"slug": "pingtai", "name": "平台统筹"},
                     "region": {"code": "331126", "name": "庆元县"},
                     "tags": ["平台整合"], "url": "http://localhost/cases/qingyuan-platform"}


def test_list_hides_drafts(client, library):
    assert "draft-case" not in slugs(client.get("/api/v1/cases?per_page=100").get_json())


@pytest.mark.parametrize(("query", "expected"), [
    ("region=331100", ["qingyuan-platform", "zijin-mediation", "liandu-grid", "city-report"]),
    ("region=331102", ["zijin-mediation", "liandu-grid"]),
    ("area=pingtai&level=县级", ["qingyuan-platform", "liandu-grid"]),
    ("tag=网格", ["zijin-mediation", "liandu-grid"]),
    ("area=liliang", []),
])
def test_list_filters(client, library, query, expected):
    payload = client.get(f"/api/v1/cases?{query}").get_json()
    assert slugs(payload) == expected
    assert payload["total"] == len(expected)


def test_year_filter(app, client, library):
    with app.app_context():
        db.session.scalar(db.select(Case).where(Case.slug == "city-report")).year = 2021
        db.session.commit()
    assert slugs(client.get("/api/v1/cases?year=2021").get_json()) == ["city-report"]


def test_paging(client, library):
    page2 = client.get("/api/v1/cases?per_page=3&page=2").get_json()
    assert (page2["total"], page2["page"], page2["per_page"]) == (4, 2, 3)
    assert slugs(page2) == ["city-report"]
    beyond = client.get("/api/v1/cases?per_page=3&page=9").get_json()
    assert beyond["results"] == [] and beyond["total"] == 4
    assert client.get("/api/v1/cases?per_page=100").get_json()["per_page"] == 100


@pytest.mark.parametrize(("query", "name"), [
    ("page=0", "page"), ("page=x", "page"), ("page=-2", "page"), ("per_page=0", "per_page"),
    ("per_page=101", "per_page"), ("per_page=1e2", "per_page"), ("year=twenty", "year"),
    ("level=省级", "level"), ("area=nowhere", "area"), ("region=123", "region"), ("tag=无此标签", "tag"),
    ("tag=%00", "tag"), ("area=" + "a" * 500, "area"),
])
def test_bad_parameters_are_400_json_naming_the_parameter(client, library, query, name):
    response = client.get(f"/api/v1/cases?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == 400
    assert error["parameter"] == name
    assert PARAMETER_LABELS[name] in error["message"]


def test_detail_has_the_full_record(app, client, library):
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.slug == "zijin-mediation"))
        case.secondary_areas = [db.session.scalar(db.select(Area).where(Area.slug == "fuwu"))]
        case.year, case.source = 2020, "工作汇报"
        db.session.commit()
    response = client.get("/api/v1/cases/zijin-mediation")
    assert response.status_code == 200
    payload = response.get_json()
    assert set(payload) == DETAIL_KEYS
    assert payload["secondary_areas"] == [{"slug": "fuwu", "name": "服务统筹"}]
    assert (payload["place"], payload["level"], payload["year"], payload["source"]) == (
        "紫金街道", "乡镇级", 2020, "工作汇报")
    assert payload["region"] == {"code": "331102001", "name": "紫金街道"}
    assert payload["body_md"] == "## 背景\n\n正文。"
    assert "<h2" in payload["body_html"]
    assert payload["published_at"].endswith("Z") and payload["updated_at"].endswith("Z")
    assert payload["version"] == 2  # the edit above bumped it


def test_unknown_and_draft_slugs_are_404_json(client, library):
    for slug in ("no-such-case", "draft-case"):
        response = client.get(f"/api/v1/cases/{slug}")
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == 404


def test_taxonomy_nests_the_region_tree(client, library):
    payload = client.get("/api/v1/taxonomy").get_json()
    assert set(payload) == {"areas", "regions"}
    assert [area["slug"] for area in payload["areas"]] == ["pingtai", "quyu", "fuwu", "liliang", "zeren"]
    assert payload["areas"][0] == {"slug": "pingtai", "name": "平台统筹", "description": "平台统筹的说明"}
    [city] = payload["regions"]
    assert (city["code"], city["name"], city["kind"]) == ("331100", "丽水市", "city")
    assert len(city["children"]) == 9
    liandu = city["children"][0]
    assert (liandu["code"], liandu["name"]) == ("331102", "莲都区")
    assert liandu["children"] == [{"code": "331102001", "name": "紫金街道", "kind": "township", "children": []}]
