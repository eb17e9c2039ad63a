"""The inbox: notices for staff and contributors (returned, published, intake decisions, followed cases,
mentions), the unread count in the header, following cases, and optional e-mail copies."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint, the signal receivers, the header count, mail sending and the CLI."""
    from portal.inbox import mail, notices, receivers
    from portal.inbox.cli import inbox_cli
    from portal.inbox.views import bp, unread_count

    app.register_blueprint(bp)
    receivers.connect()
    notices.listen()
    mail.init_app(app)
    app.context_processor(lambda: {"inbox_unread_count": unread_count})
    app.cli.add_command(inbox_cli)
