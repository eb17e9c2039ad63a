"""Search reads its parameters with the case lists' parser: same guards, same messages."""

from __future__ import annotations

import pytest

from tests.factories import make_taxonomy


@pytest.fixture
def taxonomy(app):
    with app.app_context():
        make_taxonomy()


def error_of(client, url: str) -> tuple[int, dict]:
    response = client.get(url)
    return response.status_code, response.get_json()["error"]


@pytest.mark.parametrize("query", ["year=abc", "year=1800", "per_page=500", "level=省级"])
def test_search_and_case_list_word_a_bad_parameter_alike(client, taxonomy, query):
    status, search_error = error_of(client, f"/api/v1/search?q=网格&{query}")
    _, list_error = error_of(client, f"/api/v1/cases?{query}")
    assert status == 400
    assert search_error["parameter"] == list_error["parameter"]
    assert search_error["message"] == list_error["message"]


@pytest.mark.parametrize("name", ["area", "region", "tag", "level", "sort"])
def test_a_nul_byte_in_a_search_filter_is_a_clear_400(client, taxonomy, name):
    status, error = error_of(client, f"/api/v1/search?q=网格&{name}=a%00b")
    assert status == 400 and error["parameter"] == name
    assert "不可用的字符" in error["message"]


def test_an_unknown_area_in_search_stays_a_bad_request(client, taxonomy):
    status, error = error_of(client, "/api/v1/search?q=网格&area=nowhere")
    assert status == 400 and error["message"] == "没有找到统筹领域“nowhere”"
