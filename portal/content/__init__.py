"""Import and export of Markdown case files in content/."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint and CLI commands."""
    from portal.content.cli import content_cli
    from portal.content.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(content_cli)
