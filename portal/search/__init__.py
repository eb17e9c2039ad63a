"""Search: jieba analysis, the Whoosh index kept in step through the outbox, search pages."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint and CLI commands."""
    from portal.search.views import bp

    app.register_blueprint(bp)
