"""Suggest as you type: GET /api/v1/suggest?q= → up to 8 completions (practices, tags, places, cases)."""

from __future__ import annotations

from flask import jsonify, request, url_for

from portal.api.views import bp
from portal.search.completion import MAX_QUERY_CHARS, Completion, complete


def completion_json(completion: Completion) -> dict:
    url = (url_for("cases.case_detail", slug=completion.slug) if completion.slug
           else url_for("search.search_page", q=completion.text))
    return {"text": completion.text, "kind": completion.kind, "label": completion.label, "url": url}


@bp.get("/suggest")
def suggest():
    """Complete a Chinese or pinyin prefix; an empty prefix gets no suggestions."""
    query = request.args.get("q", "")
    if len(query) > MAX_QUERY_CHARS:
        body = {"error": {"code": 400, "message": f"输入的内容过长，最多 {MAX_QUERY_CHARS} 个字", "parameter": "q"}}
        return jsonify(body), 400
    response = jsonify({"query": query, "suggestions": [completion_json(c) for c in complete(query)]})
    response.headers["Cache-Control"] = "public, max-age=60"
    return response
