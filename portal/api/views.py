"""The API blueprint; resource modules (cases_api, search_api, openapi) attach their routes to it."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
