"""The collections feature's announcements, for features above it (the inbox) to act on.

Sent inside the transaction of the change, before commit, so whatever a receiver adds to the
session commits or rolls back with the step itself (as the editor's `workflow_event` for cases).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

collection_review_event = _signals.signal("collection-review-event", doc=(
    "Sent with the collection after a review step (submit, withdraw, return, publish, unpublish, feature, "
    "unfeature) is recorded; keyword arguments: event (the CollectionReviewEvent, with its comment) and "
    "actor (the User)."))
