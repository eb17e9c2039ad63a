"""Import and export of the Markdown and YAML files in content/."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the `portal content` commands (the feature has no pages)."""
    from portal.content.cli import content_cli

    app.cli.add_command(content_cli)
