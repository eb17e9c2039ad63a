"""E-mail copies of notices, sent after the action's transaction commits and never failing it.

A notice meant for e-mail is written with mail_state "pending" in the action's own transaction. After
that commit a worker thread (one per process) claims pending notices one by one (an UPDATE only one
process can win) and sends them over SMTP. A failure is logged and left as "failed" for
`portal inbox send-mail` to retry; the user's action has long been answered by then.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.inbox.models import MailPreference, Notice

log = logging.getLogger(__name__)
QUEUED_KEY = "inbox_mail_queued"
MAX_ATTEMPTS = 5
SUBJECT_PREFIX = "【善治案例库】"


@dataclass
class MailWorker:
    """The app's one sending thread (started on first use)."""

    app: Flask
    pool: ThreadPoolExecutor | None = None
    last: Future | None = field(default=None, repr=False)

    def schedule(self) -> None:
        if self.pool is None:
            self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="inbox-mail")
        self.last = self.pool.submit(self._send)

    def wait(self, timeout: float = 10) -> None:
        """Block until the sends scheduled so far are done (for tests and the command line)."""
        if self.last is not None:
            self.last.result(timeout)

    def _send(self) -> None:
        try:
            with self.app.app_context():
                send_pending()
        except Exception:  # noqa: BLE001 - the worker must outlive a broken database or server
            log.exception("sending inbox mail failed")


def init_app(app: Flask) -> None:
    """Own a sending worker per app and send after commits that queued mail (listener once per process)."""
    app.extensions["inbox_mail"] = MailWorker(app)
    if not event.contains(Session, "after_commit", after_commit):
        event.listen(Session, "after_commit", after_commit)
        event.listen(Session, "after_rollback", lambda session: session.info.pop(QUEUED_KEY, None))


def configured() -> bool:
    """True if the site has an SMTP server to send through (off unless PORTAL_SMTP_HOST is set)."""
    return bool(current_app.config.get("SMTP_HOST"))


def queue(session: Session, notices: list) -> None:
    """Note that this transaction added notices to e-mail once it commits."""
    if notices:
        session.info[QUEUED_KEY] = True


def after_commit(session: Session) -> None:
    if session.info.pop(QUEUED_KEY, None) and has_app_context() and configured():
        current_app.extensions["inbox_mail"].schedule()


def send_pending(*, retry_failed: bool = False) -> tuple[int, int]:
    """Send every pending notice (and failed ones, if asked); return (sent, failed)."""
    states = ("pending", "failed") if retry_failed else ("pending",)
    ids = db.session.scalars(select(Notice.id).where(Notice.mail_state.in_(states),
                                                     Notice.mail_attempts < MAX_ATTEMPTS).order_by(Notice.id)).all()
    sent = failed = 0
    connection = None
    try:
        for notice_id in ids:
            if not claim(notice_id, states):
                continue
            notice = db.session.get(Notice, notice_id)
            try:
                connection = connection or connect()
                delivered = deliver(connection, notice)
            except (smtplib.SMTPException, OSError, ValueError) as error:  # ValueError: an unsendable header
                log.warning("could not e-mail notice %s: %s", notice_id, error)
                finish(notice, "failed")
                failed += 1
                connection = None
                continue
            finish(notice, "sent" if delivered else "")
            sent += delivered
    finally:
        if connection is not None:
            quit_quietly(connection)
    return sent, failed


def claim(notice_id: int, states: tuple[str, ...]) -> bool:
    """Mark the notice as being sent by this process; False if another process got it first."""
    claimed = db.session.execute(update(Notice).where(Notice.id == notice_id, Notice.mail_state.in_(states))
                                 .values(mail_state="sending", mail_attempts=Notice.mail_attempts + 1))
    db.session.commit()
    return claimed.rowcount == 1


def finish(notice: Notice, state: str) -> None:
    notice.mail_state = state
    db.session.commit()


def connect() -> smtplib.SMTP:
    """Open a connection to the configured server, with TLS and login as configured."""
    config = current_app.config
    host, port, timeout = config["SMTP_HOST"], config["SMTP_PORT"], config["SMTP_TIMEOUT"]
    if config["SMTP_SECURITY"] == "ssl":
        connection: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout)
    else:
        connection = smtplib.SMTP(host, port, timeout=timeout)
        if config["SMTP_SECURITY"] == "starttls":
            connection.starttls()
    if config.get("SMTP_USERNAME"):
        connection.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD") or "")
    return connection


def deliver(connection: smtplib.SMTP, notice: Notice) -> bool:
    """Send one notice to its user's address; False if they no longer want mail."""
    preference = db.session.get(MailPreference, notice.user_id)
    if preference is None or not preference.enabled or not preference.address:
        return False
    connection.send_message(compose(notice, preference.address))
    return True


def compose(notice: Notice, address: str) -> EmailMessage:
    """The e-mail for a notice: plain text, the notice's title as subject, a link back when the site URL is known."""
    config = current_app.config
    message = EmailMessage()
    message["Subject"] = SUBJECT_PREFIX + notice.title
    message["From"] = formataddr(("善治案例库", config["MAIL_FROM"]))
    message["To"] = address
    message["Message-ID"] = make_msgid(domain=config["MAIL_FROM"].rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(mail_text(notice, config.get("SITE_URL") or ""))
    return message


def mail_text(notice: Notice, site_url: str) -> str:
    lines = [notice.title, ""]
    if notice.detail:
        lines += [notice.detail, ""]
    if notice.actor is not None:
        lines.append(f"操作人：{notice.actor.shown_name}")
    where = site_url.rstrip("/") + (notice.link or "/inbox/") if site_url else "登录善治案例库，在“消息”中查看。"
    lines += [f"查看：{where}", "", "——", "这封邮件由善治案例库自动发出。不想再收到，请在网站“消息设置”中关闭邮件提醒。"]
    return "\n".join(lines)


def quit_quietly(connection: smtplib.SMTP) -> None:
    with contextlib.suppress(smtplib.SMTPException, OSError):
        connection.quit()
