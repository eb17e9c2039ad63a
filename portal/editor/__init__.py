"""Writing, review workflow and revision history."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the editor blueprint and the public image route."""
    from portal.editor.uploads import public_bp
    from portal.editor.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(public_bp)
