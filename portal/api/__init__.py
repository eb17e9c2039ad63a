"""The JSON API under /api/v1."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the API blueprint with every resource's routes, exempt from CSRF (read-only JSON)."""
    from portal.api import cases_api, openapi, search_api, suggest_api  # noqa: F401  (attach routes to bp)
    from portal.api.views import bp
    from portal.extensions import csrf

    csrf.exempt(bp)
    app.register_blueprint(bp)
