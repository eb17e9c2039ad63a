"""Submissions from the counties (报送): contributors' form and Word upload, the editors' intake queue."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint (contributor and editor routes), the CLI and the 编辑台's queue link."""
    from portal.intake import contributor_views, on_editor_pages, queue_views  # noqa: F401  (routes attach to bp)
    from portal.intake.cli import intake_cli
    from portal.intake.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(intake_cli)
    on_editor_pages.connect()
