"""Writing, review workflow, revision history and the audit log."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint and CLI commands."""
    from portal.editor.views import bp

    app.register_blueprint(bp)
