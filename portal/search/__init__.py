"""Search: jieba analysis, the Whoosh index kept in step through the outbox, search pages."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from portal.search.service import index_status, search

__all__ = ["index_status", "init_app", "search"]


def init_app(app: Flask) -> None:
    """Load jieba and the dictionary, create the search state, hook the outbox, register the pages, CLI and
    synonyms file."""
    from portal import caching
    from portal.content.pipeline import register_kind
    from portal.search import analysis, miss_views, outbox, service, shared_segments, state, synonym_views  # noqa: F401
    from portal.search.cli import search_cli
    from portal.search.models import SynonymGroup
    from portal.search.synonym_files import SynonymKind
    from portal.search.views import bp, misses_bp

    analysis.load(Path(app.config["CONTENT_DIR"]) / "dictionary.txt")
    shared_segments.install()  # workers share the mapped index instead of copying it each
    state.install(app)
    outbox.register(service.apply_after_commit)
    app.register_blueprint(bp)
    app.register_blueprint(misses_bp)
    register_kind(SynonymKind())
    app.cli.add_command(search_cli)
    app.before_request(service.start_poller)
    caching.watch(SynonymGroup)  # synonyms change what searches find
