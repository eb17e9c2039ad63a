"""Curated collections, training mode and PDF handouts."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint (public, handout and editor routes), the content kind and the CLI."""
    from portal import caching
    from portal.collections import editor_views, handouts  # noqa: F401  (they add their routes to bp)
    from portal.collections.cli import collections_cli
    from portal.collections.content import CollectionKind
    from portal.collections.models import Collection, CollectionItem
    from portal.collections.views import bp
    from portal.content.pipeline import register_kind

    app.register_blueprint(bp)
    caching.watch(Collection)
    caching.watch(CollectionItem)
    register_kind(CollectionKind())
    app.cli.add_command(collections_cli)
