"""The OpenAPI description of /api/v1 stays true: schemathesis drives the app with generated input."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal import create_app
from portal.api.openapi import SPEC
from portal.extensions import db
from tests.factories import make_case, make_taxonomy
from tests.helpers.database import empty_all_tables

# No 5xx, and every response is documented and matches its schema.
MAX_EXAMPLES = 40
CHECKS = [schemathesis.checks.not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


def seed_cases() -> None:
    """A handful of published cases (and one draft) across areas, regions, tags and levels."""
    make_taxonomy()
    make_case("黄泥墩村阳光票决制", slug="yangguang", region_code="331102", level="村级",
              tags=("阳光票决制", "村务公开"), place="黄泥墩村", summary="村级重大事项由村民票决。")
    make_case("庆元县十台合一", slug="shitai", area_slug="pingtai", region_code="331126", level="县级",
              tags=("四个平台",), body="## 背景\n\n十个平台合为一个。\n\n## 成效\n\n群众少跑腿。")
    make_case("景宁域外网格", slug="yuwai", area_slug="liliang", region_code="331127", level="县级",
              tags=("网格",))
    make_case("未发布的草稿", slug="draft-only", status="draft")


@pytest.fixture(scope="module")
def api_app(database_url, tmp_path_factory):
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                      "INSTANCE_DIR": str(tmp_path_factory.mktemp("openapi-instance"))})
    with app.app_context():
        empty_all_tables()
        seed_cases()
        build_search_index(app)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def build_search_index(app) -> None:
    """Index the seeded cases the way an operator would, with `portal search reindex`."""
    if "search" not in {command for command in app.cli.commands}:
        return
    result = app.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def api_schema(api_app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_app)


def run_generated_requests(operation, mode: GenerationMode) -> None:
    """Send up to MAX_EXAMPLES generated requests for one operation and check every response."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def send(case):
        # The in-process WSGI transport does not undo gzip, which Flask-Compress would apply.
        case.call_and_validate(headers={"Accept-Encoding": "identity"}, checks=CHECKS)

    send()


# schemathesis.pytest.parametrize cannot be used with pytest 9 (it reads a removed Node attribute),
# so the operations are parametrized by hand and Hypothesis drives each one.
@pytest.mark.parametrize("path", [path for path in SPEC["paths"] if path != "/api/v1/openapi.json"])
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_api_matches_its_openapi_description(api_schema, path, mode):
    operation = api_schema[path]["GET"]
    query = [param for param in SPEC["paths"][path]["get"]["parameters"] if param["in"] == "query"]
    if mode is GenerationMode.NEGATIVE and not query:
        pytest.skip("any string is a valid slug: there is no invalid input to generate")
    run_generated_requests(operation, mode)


def test_openapi_document_lists_the_four_resources(api_app):
    # api_app, not the function-scoped `app`: that one would empty the tables seeded for this module.
    document = api_app.test_client().get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert {"/api/v1/cases", "/api/v1/cases/{slug}", "/api/v1/taxonomy", "/api/v1/search"} <= set(document["paths"])


# Generated input rarely names a real case or a word in one; these requests reach the 200 shapes.
KNOWN_REQUESTS = [
    ("/api/v1/cases/{slug}", {"path_parameters": {"slug": "yangguang"}}, 200),
    ("/api/v1/cases/{slug}", {"path_parameters": {"slug": "draft-only"}}, 404),
    ("/api/v1/cases", {"query": {"area": "quyu", "region": "331100", "per_page": 2}}, 200),
    ("/api/v1/cases", {"query": {"region": "331102", "scope": "self", "level": "村级"}}, 200),
    ("/api/v1/cases", {"query": {"area": "no-such-area"}}, 400),
    ("/api/v1/search", {"query": {"q": "阳光票决制"}}, 200),
    ("/api/v1/search", {"query": {"q": '"阳光 票决" -草稿', "sort": "newest", "region": "331102"}}, 200),
    ("/api/v1/search", {"query": {"q": "十台合一", "tag": "四个平台", "per_page": 1}}, 200),
    ("/api/v1/search", {"query": {"q": "网格", "page": 0}}, 400),
]


@pytest.mark.parametrize(("path", "data", "status"), KNOWN_REQUESTS)
def test_known_requests_answer_as_documented(api_schema, path, data, status):
    case = api_schema[path]["GET"].Case(**data)
    response = case.call_and_validate(headers={"Accept-Encoding": "identity"}, checks=CHECKS)
    assert response.status_code == status
    if path == "/api/v1/search" and status == 200:
        assert response.json()["total"] >= 1
