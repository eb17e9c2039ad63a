"""Writing, review workflow and revision history."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the editor blueprint and the public image route, with every module's routes."""
    from portal.content.pipeline import applying
    from portal.editor import (  # noqa: F401  (their routes attach to bp)
        freshness,
        history,
        review,
        upload_views,
        working_copy_views,
        writing,
    )
    from portal.editor.views import bp, uploads_bp
    from portal.editor.working_copy import guard_import

    app.register_blueprint(bp)
    app.register_blueprint(uploads_bp)
    applying.connect(guard_import)
