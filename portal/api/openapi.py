"""The OpenAPI 3 description of /api/v1, served at /api/v1/openapi.json and checked by schemathesis."""

from __future__ import annotations

from flask import jsonify

from portal.api.views import bp
from portal.caching import public_page
from portal.cases import fields
from portal.cases.models import LEVELS, REGION_KINDS

MAX_TEXT = 120  # portal.cases.params.MAX_PARAM_LENGTH: longer filter values are answered with 400


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


def obj(required: dict, optional: dict | None = None) -> dict:
    """An object schema whose `required` properties must all be present."""
    return {"type": "object", "required": list(required), "properties": {**required, **(optional or {})}}


def array_of(schema: dict) -> dict:
    return {"type": "array", "items": schema}


STRING = {"type": "string"}
INTEGER = {"type": "integer"}

SCHEMAS = {
    "Error": obj({"error": obj({"code": INTEGER, "message": STRING})}),
    "AreaRef": obj({"slug": STRING, "name": STRING}),
    "RegionRef": obj({"code": STRING, "name": STRING}),
    "CaseSummary": obj({"slug": STRING, **fields.api_schema(summary_only=True), "url": STRING}),
    "CaseList": obj({
        "total": {"type": "integer", "minimum": 0}, "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
        "results": array_of(ref("CaseSummary")),
    }),
    "Area": obj({"slug": STRING, "name": STRING, "description": STRING}),
    "RegionNode": obj({"code": STRING, "name": STRING, "kind": {"type": "string", "enum": list(REGION_KINDS)},
                       "children": array_of(ref("RegionNode"))}),
    "Taxonomy": obj({"areas": array_of(ref("Area")), "regions": array_of(ref("RegionNode"))}),
    "SearchResult": obj({
        "slug": STRING, "title": STRING, "summary": STRING, "area": ref("AreaRef"),
        "region": ref("RegionRef"), "tags": array_of(STRING), "url": STRING,
        "highlight": STRING, "score": {"type": "number"},
        "matched": {**array_of(STRING), "description": "该案例包含的检索词（或其同义词、拼音对应的词）"},
    }),
    "AreaFacet": obj({"slug": STRING, "name": STRING, "count": {"type": "integer", "minimum": 0}}),
    "RegionFacet": obj({"code": STRING, "name": STRING, "count": {"type": "integer", "minimum": 0}}),
    "TagFacet": obj({"name": STRING, "count": {"type": "integer", "minimum": 0}}),
    "SearchResponse": obj({
        "query": STRING, "total": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
        "results": array_of(ref("SearchResult")),
        "facets": obj({"area": array_of(ref("AreaFacet")), "region": array_of(ref("RegionFacet")),
                       "tag": array_of(ref("TagFacet"))}),
        "suggestion": nullable(STRING),
        "match": {"type": "string", "enum": ["all", "partial", "none"],
                  "description": "all：每条结果都包含全部有效检索词（或其同义词）；partial：有结果只包含部分检索词"
                                 "（排在完全匹配之后）；none：没有结果"},
    }),
    "Suggestion": obj({
        "text": STRING, "kind": {"type": "string", "enum": ["practice", "tag", "place", "case"]},
        "label": STRING, "url": STRING,
    }),
    "SuggestResponse": obj({"query": STRING, "suggestions": array_of(ref("Suggestion"))}),
}
SCHEMAS["CaseDetail"] = {"allOf": [ref("CaseSummary"), obj({
    **fields.api_schema(summary_only=False),
    "published_at": nullable({"type": "string", "format": "date-time"}),
    "updated_at": nullable({"type": "string", "format": "date-time"}), "version": INTEGER,
})]}


def query_param(name: str, description: str, schema: dict | None = None) -> dict:
    """Describe an optional query parameter; a length-limited string unless `schema` says otherwise."""
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or {"type": "string", "maxLength": MAX_TEXT}}


PAGE = query_param("page", "页码，从 1 开始", {"type": "integer", "minimum": 1, "maximum": 100_000})
PER_PAGE = query_param("per_page", "每页条数，最多 100", {"type": "integer", "minimum": 1, "maximum": 100})
FILTERS = [
    query_param("area", "统筹领域 slug，如 quyu"),
    query_param("region", "地区代码，如 331121；包含其下属地区"),
    query_param("tag", "标签名称"),
    query_param("level", "层级", {"type": "string", "enum": list(LEVELS)}),
]
YEAR = query_param("year", "年份", {"type": "integer", "minimum": 1949, "maximum": 2100})
SCOPE = query_param("scope", "self：只看该地区本级，不含下属地区（须与 region 同用）",
                    {"type": "string", "enum": ["self"]})


def json_response(description: str, schema_name: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ref(schema_name)}}}


BAD_REQUEST = json_response("参数有误（消息指出是哪个参数）", "Error")
NOT_FOUND = json_response("没有找到", "Error")


def operation(summary: str, parameters: list, ok: dict, **errors: dict) -> dict:
    """Describe a GET operation; `errors` are keyed _400, _404 (a name cannot start with a digit)."""
    return {"get": {"summary": summary, "parameters": parameters,
                    "responses": {"200": ok, **{code.lstrip("_"): body for code, body in errors.items()}}}}


PATHS = {
    "/api/v1/cases": operation("已发布案例列表（可筛选、分页）", [*FILTERS, YEAR, SCOPE, PAGE, PER_PAGE],
                               json_response("一页案例", "CaseList"), _400=BAD_REQUEST),
    "/api/v1/cases/{slug}": operation(
        "单个已发布案例的全文",
        [{"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}],
        json_response("案例", "CaseDetail"), _404=NOT_FOUND),
    "/api/v1/taxonomy": operation("五个统筹领域和地区树", [], json_response("分类", "Taxonomy")),
    "/api/v1/search": operation(
        "全文检索（jieba 分词，带高亮片段与分面计数）",
        [query_param("q", "检索词；支持引号短语和 - 排除", {"type": "string"}), *FILTERS, YEAR,
         query_param("sort", "排序：relevance（相关度，默认）或 newest（最新）",
                     {"type": "string", "enum": ["relevance", "newest"]}),
         query_param("page", "页码，从 1 开始", {"type": "integer", "minimum": 1, "maximum": 1000}), PER_PAGE],
        json_response("检索结果", "SearchResponse"), _400=BAD_REQUEST),
    "/api/v1/suggest": operation(
        "输入提示：按汉字前缀或拼音（全拼、首字母）前缀补全做法名称、标签、地点和案例标题，最多 8 条",
        [query_param("q", "已输入的内容，如 阳光、yangguang 或 ygpj", {"type": "string", "maxLength": 40})],
        json_response("补全建议（kind：practice 做法、tag 标签、place 地点、case 案例）", "SuggestResponse"),
        _400=BAD_REQUEST),
    "/api/v1/openapi.json": {"get": {"summary": "本接口说明（OpenAPI 3）",
                                     "responses": {"200": {"description": "OpenAPI 文档",
                                                           "content": {"application/json": {}}}}}},
}

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "善治案例库 API", "version": "1.0.0",
             "description": "丽水市域社会治理案例的只读 JSON 接口。错误一律返回 {\"error\": {\"code\", \"message\"}}。"},
    "paths": PATHS,
    "components": {"schemas": SCHEMAS},
}


@bp.get("/openapi.json")
@public_page
def openapi_document():
    """Serve the OpenAPI description of this API."""
    return jsonify(SPEC)
