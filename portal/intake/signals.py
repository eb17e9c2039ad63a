"""The intake feature's signal: other features (the inbox) learn of decisions without being imported.

`intake_decided` is sent after an editor's decision is committed, with the Submission as sender and
`action` ("accept", "ask" or "decline"), `actor` (the editor) and `message` (what the contributor reads).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

intake_decided = _signals.signal(
    "intake-decided", doc="Sent with the submission; kwargs: action, actor, message.")
