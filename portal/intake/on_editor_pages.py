"""What intake adds to the editor's pages (through the editor's signals, not imports): the queue link."""

from __future__ import annotations

from flask import url_for
from markupsafe import Markup, escape

from portal.editor import signals as editor_signals
from portal.extensions import db
from portal.intake.models import Submission


def queue_link(user) -> Markup:
    """The 编辑台's link to the intake queue, with how many submissions wait for an editor."""
    waiting = db.session.scalar(db.select(db.func.count()).select_from(Submission)
                                .where(Submission.status == "submitted"))
    label = f"报送（{waiting} 份待处理）" if waiting else "报送"
    return Markup('<a class="button secondary" href="{}">{}</a>').format(url_for("intake.queue"), escape(label))


def connect() -> None:
    editor_signals.dashboard_tools.connect(queue_link)
