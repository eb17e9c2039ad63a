"""Case pages: home, lists by area, region and tag, the case page itself, matrix, feed and sitemap."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint (with the feed and sitemap routes attached) and the `portal cases` commands."""
    from portal import caching
    from portal.cases import feeds  # noqa: F401  (attaches /feed.atom and /sitemap.xml to bp)
    from portal.cases.cli import cases_cli
    from portal.cases.models import Area, Case, Region, Tag
    from portal.cases.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(cases_cli)
    caching.watch(Case, Case.seen_by_readers, stamped=True)  # case pages: cases/page_version.py
    for model in (Area, Region, Tag):
        caching.watch(model)
