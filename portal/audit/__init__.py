"""The audit log, a low-level module every feature may write to: `record(actor, action, target, **detail)`.

It imports no feature. Features name their actions and detail values in Chinese through
`portal.audit.labels.describe(...)`; the admin page (portal/auth) shows the log.
"""

from __future__ import annotations

from typing import Any

from portal.audit.models import AuditEntry
from portal.extensions import db

MAX_TARGET = 200


def record(actor: Any, action: str, target: Any, **detail) -> AuditEntry:
    """Add an audit-log entry to the session; `actor` None means the command line.

    `target` is what was acted on: a text, or a row with a username or slug.
    """
    name = getattr(target, "username", None) or getattr(target, "slug", None) or str(target)
    entry = AuditEntry(actor=actor, action=action, target=name[:MAX_TARGET], detail=detail)
    db.session.add(entry)
    return entry
