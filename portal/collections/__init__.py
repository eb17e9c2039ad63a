"""Curated collections, training mode and PDF handouts."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint (public, handout and editor routes), the content kind, the CLI, page signals."""
    from portal.collections import editor_views, handouts, on_case_pages  # noqa: F401  (routes added to bp)
    from portal.collections.cli import collections_cli
    from portal.collections.content import CollectionKind
    from portal.collections.views import bp
    from portal.content.pipeline import register_kind

    app.register_blueprint(bp)
    register_kind(CollectionKind())
    app.cli.add_command(collections_cli)
    on_case_pages.connect()
