"""Search: jieba analysis, the Whoosh index kept in step through the outbox, search pages."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from portal.cases import signals
from portal.search.service import index_status, related_cases, search

__all__ = ["index_status", "init_app", "related_cases", "search"]


def init_app(app: Flask) -> None:
    """Load jieba and the dictionary, hook the outbox listeners, register the pages, CLI and synonyms file."""
    from portal.content.pipeline import register_kind
    from portal.search import analysis, outbox, service
    from portal.search.cli import search_cli
    from portal.search.synonym_files import SynonymKind
    from portal.search.views import bp, misses_bp

    analysis.load(Path(app.config["CONTENT_DIR"]) / "dictionary.txt")
    outbox.register(service.apply_after_commit)
    app.register_blueprint(bp)
    app.register_blueprint(misses_bp)
    register_kind(SynonymKind())
    app.cli.add_command(search_cli)
    app.before_request(lambda: service.ensure_background_sync(app))
    signals.related_cases.connect(answer_related_cases)


def answer_related_cases(case, limit: int) -> list:
    """Answer the case page's request for related cases from the index."""
    return list(related_cases(case, limit=limit))
