"""Case pages: home, lists by area, region and tag, the case page itself."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint and CLI commands."""
    from portal.cases.views import bp

    app.register_blueprint(bp)
