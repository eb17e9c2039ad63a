"""A real local SMTP server (aiosmtpd) for tests that check what the portal e-mails."""

from __future__ import annotations

import socket
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class Catcher:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, _server, _session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 10) -> list[EmailMessage]:
        """Wait until `count` messages arrived (or the timeout passed) and return them all."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


def free_port() -> int:
    """A local TCP port nothing listens on (just now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int | None = None) -> tuple[Controller, Catcher]:
    """Start an SMTP server on 127.0.0.1 in a thread; stop it with controller.stop()."""
    catcher = Catcher()
    controller = Controller(catcher, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    return controller, catcher


def use_server(app, port: int) -> None:
    """Point the app's mail settings at a local server."""
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_SECURITY="none", SMTP_TIMEOUT=5,
                      MAIL_FROM="inbox@lishui.example", SITE_URL="https://anli.example")
