"""Friendly Chinese error pages, and JSON errors under /api/."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException, InternalServerError

MESSAGES = {
    400: "请求有误",
    401: "需要登录",
    403: "没有权限访问此页面",
    404: "页面不存在",
    405: "不支持此请求方式",
    413: "上传的内容过大",
    429: "请求过于频繁，请稍后再试",
    500: "服务器内部错误",
}


def wants_json() -> bool:
    """Return True for API requests, which get JSON errors instead of pages."""
    return request.path.startswith("/api/")


def error_response(code: int, message: str | None = None, parameter: str | None = None):
    """Answer with the status `code` as JSON or as a Chinese error page; JSON also names a bad `parameter`."""
    message = message or MESSAGES.get(code, "出错了")
    if wants_json():
        error = {"code": code, "message": message} | ({"parameter": parameter} if parameter else {})
        return jsonify({"error": error}), code
    return render_template("errors/error.html", code=code, title=MESSAGES.get(code, "出错了"),
                           message=message), code


def handle_http_error(error: HTTPException):
    if error.code == 413:
        return error_response(413, too_large_message())
    description = error.description if error.code not in (404, 500) else None
    return error_response(error.code or 500, description)


def too_large_message() -> str:
    """Werkzeug's 413 says it in English; say how much a form may carry."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    return f"上传的内容过大：一次提交最多 {limit / 1024 / 1024:.0f} MB。请压缩文件中的图片后返回上一页重新选择文件。"


def handle_csrf_error(error: CSRFError):
    return error_response(400, "表单已过期或缺少安全令牌（CSRF），请返回上一页刷新后重试。")


def handle_out_of_range(error: Exception):
    """A number too large for the database (in a form or a query string) is the request's fault."""
    discard_failed_transaction()
    return error_response(400, "请求中的数字超出范围。")


def handle_data_error(error: DataError):
    if "out of range" not in str(error.orig):
        raise error  # anything else is a defect: the 500 page, and the traceback in the log
    return handle_out_of_range(error)


def handle_unexpected_error(error: InternalServerError):
    discard_failed_transaction()
    return error_response(500)


def discard_failed_transaction() -> None:
    """Roll back a transaction a failed statement left aborted, so the error page itself can query."""
    from contextlib import suppress

    from portal.extensions import db

    with suppress(Exception):  # the page must render even when the database is gone entirely
        db.session.rollback()


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_unexpected_error)
    # SQLite refuses integers beyond 64 bits with OverflowError; PostgreSQL with a DataError.
    app.register_error_handler(OverflowError, handle_out_of_range)
    app.register_error_handler(DataError, handle_data_error)
