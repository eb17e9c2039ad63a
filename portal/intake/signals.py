"""The intake feature's signal: other features (the inbox) learn of decisions without being imported.

`intake_decided` is sent with the Submission as sender and `action` ("accept", "ask" or "decline"),
`actor` (the editor) and `message` (what the contributor reads). It is sent inside the decision's
transaction, just before the commit: receivers add rows (an inbox notice) and never commit, so the
decision and what listeners record about it are stored together or not at all. On "accept" the
submission's `case` is the new draft.

`intake_resubmitted` is sent the same way when a contributor answers a request for more, with the
Submission as sender and `contributor` and `message` (their note to the editors, maybe empty).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

intake_decided = _signals.signal(
    "intake-decided", doc="Sent with the submission; kwargs: action, actor, message.")
intake_resubmitted = _signals.signal(
    "intake-resubmitted", doc="Sent with the submission; kwargs: contributor, message.")
