"""GET /healthz (is the database reachable and the search index usable?) and GET /favicon.ico."""

from __future__ import annotations

import os

from flask import Blueprint, current_app, jsonify, send_from_directory
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db

bp = Blueprint("ops", __name__)
# The icon changes about never; a day in every cache, then revalidated by its ETag.
FAVICON_MAX_AGE = 86400


def database_health() -> dict:
    """Run the cheapest possible query; report the backend and whether it answered."""
    backend = db.engine.dialect.name
    try:
        db.session.execute(select(1))
    except SQLAlchemyError as error:
        db.session.rollback()
        return {"reachable": False, "backend": backend, "error": type(error).__name__}
    return {"reachable": True, "backend": backend}


def search_health() -> dict:
    """Return the index status from the search feature, plus whether readers can search now."""
    try:
        from portal.search import index_status

        status = dict(index_status())
    except Exception as error:  # any failure here means "index unusable", never a 500
        db.session.rollback()
        return {"usable": False, "error": type(error).__name__}
    # A reindex builds beside the live index, which keeps serving: only an index that could not be
    # opened (generation -1: missing or corrupt, rebuild under way) makes search unusable.
    status["usable"] = status.get("generation", -1) >= 0
    return status


@bp.get("/healthz")
def healthz():
    """Answer 200 when the database and the index both work, 503 (degraded) otherwise."""
    database = database_health()
    search = search_health() if database["reachable"] else {"usable": False, "error": "database unreachable"}
    healthy = database["reachable"] and search["usable"]
    body = {"status": "ok" if healthy else "degraded", "database": database, "search": search,
            "pid": os.getpid()}
    response = jsonify(body)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/favicon.ico")
def favicon():
    """The site icon for clients that ask /favicon.ico instead of reading <link rel=icon> (feeds, old browsers)."""
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon",
                               max_age=FAVICON_MAX_AGE)
