"""Curated collections, training mode and PDF handouts."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint and CLI commands."""
    from portal.collections.views import bp

    app.register_blueprint(bp)
