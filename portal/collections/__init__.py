"""Curated collections, training mode (projector and presenter views) and PDF/Word handouts."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint (public, handout and editor routes), the content kind, the CLI, the page
    signals and the background renderer that keeps handouts ready."""
    from portal import caching
    from portal.collections import (  # noqa: F401
        editor_views,
        handout_cache,
        handouts,
        on_case_pages,
        review_views,
        working_copy_views,
    )
    from portal.collections.cli import collections_cli
    from portal.collections.import_export import CollectionKind
    from portal.collections.models import Collection, CollectionItem
    from portal.collections.views import bp
    from portal.collections.working_copy import guard_import
    from portal.content.pipeline import applying, register_kind

    app.register_blueprint(bp)
    caching.watch(Collection)
    caching.watch(CollectionItem)
    register_kind(CollectionKind())
    applying.connect(guard_import)
    app.cli.add_command(collections_cli)
    on_case_pages.connect()
    review_views.connect()
    working_copy_views.connect()
    handout_cache.init_app(app, handouts.render_changed)
