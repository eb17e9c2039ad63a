"""The JSON API under /api/v1."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint and CLI commands."""
    from portal.api.views import bp

    app.register_blueprint(bp)
