"""Who may see teaching notes and who may build which collection.

Teaching notes belong to trainers: trainers, editors, reviewers and admins read them; readers and
trainees (anyone not signed in as staff) see the introduction, the cases and the questions only.
"""

from __future__ import annotations

from flask_login import current_user

from portal.collections.models import Collection

NOTE_READER_ROLE = "trainer"
PRIVATE_CACHE = "private, no-store"


def sees_notes() -> bool:
    """Return True if the current visitor may read trainers' teaching notes."""
    return bool(current_user.is_authenticated and current_user.has_role(NOTE_READER_ROLE))


def edits_every_collection() -> bool:
    """Return True if the current user is an editor or above, who may change any collection."""
    return bool(current_user.is_authenticated and current_user.has_role("editor"))


def may_edit(collection: Collection) -> bool:
    """Return True if the current user may change this collection: editors any, trainers their own."""
    if edits_every_collection():
        return True
    return bool(current_user.is_authenticated and collection.author_id == current_user.id
                and current_user.has_role(NOTE_READER_ROLE))


def may_preview(collection: Collection) -> bool:
    """Return True if the current user may see this collection before it is published."""
    return may_edit(collection)


def keep_private(response):
    """Stop shared caches from storing a page that shows teaching notes."""
    response.headers["Cache-Control"] = PRIVATE_CACHE
    response.headers["Vary"] = "Cookie"
    return response
