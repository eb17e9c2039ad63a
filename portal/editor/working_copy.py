"""Changes to a published case go live only through a second reviewer.

A reviewer (or admin) who edits a published case saves a working copy: a revision the case's
WorkingCopy points at. Readers keep seeing the case row, which is the published version, on every
page, the search index, the API, feeds and handouts. Someone who did not change the working copy
publishes it (the row takes its text) or discards it; either is a review event and is audited.
"""

from __future__ import annotations

from portal import audit
from portal.audit.labels import describe
from portal.auth.models import User
from portal.cases import fields
from portal.cases.models import Case, Revision
from portal.editor.models import ReviewEvent, WorkingCopy
from portal.editor.signals import case_saved, workflow_event
from portal.extensions import db

PUBLISHER_ROLE = "reviewer"
describe(actions={"case.publish_changes": "发布已发布案例的修改", "case.discard_changes": "放弃已发布案例的修改"},
         details={"working_revision": "修改稿版本"})


class WorkingCopyRefused(Exception):
    """The step on the working copy is not allowed; the message is shown to the user."""


def working_copy_of(case: Case) -> WorkingCopy | None:
    """The case's unpublished changes, if it has any."""
    return db.session.get(WorkingCopy, case.id) if case.id else None


def keeps_changes_apart(case: Case) -> bool:
    """True if a save must not touch what readers see: the case is published."""
    return case.is_published


def editing_snapshot(case: Case) -> dict:
    """What the editor works on: the working copy if there is one, else the case itself."""
    copy = working_copy_of(case)
    return dict(copy.revision.snapshot) if copy else case.snapshot()


def editing_revision(case: Case) -> int | None:
    """The revision number of the working copy the form was loaded from (None without one)."""
    copy = working_copy_of(case)
    return copy.revision.number if copy else None


def save_working_copy(case: Case, values: dict, author: User, comment: str) -> Revision:
    """Record `values` as the case's working copy (a new revision); the case row stays as published."""
    latest = db.session.scalar(db.select(db.func.max(Revision.number)).where(Revision.case_id == case.id)) or 0
    revision = Revision.record(case, author, comment, snapshot={**values, "status": case.status})
    copy = working_copy_of(case) or WorkingCopy(case=case, started_after=latest)
    copy.revision = revision
    db.session.add(copy)
    db.session.flush()
    case_saved.send(case, revision=revision, actor=author)
    return revision


def changers(case: Case) -> set[int]:
    """Ids of everyone who saved a revision of the working copy."""
    copy = working_copy_of(case)
    if copy is None:
        return set()
    return set(db.session.scalars(db.select(Revision.author_id).where(
        Revision.case_id == case.id, Revision.number > copy.started_after, Revision.author_id.is_not(None))))


def publish_refusal(user: User, case: Case) -> str | None:
    """Why `user` may not publish the case's working copy now, or None if they may."""
    if working_copy_of(case) is None or not case.is_published:
        return "这个案例没有待发布的修改。"
    if not user.has_role(PUBLISHER_ROLE):
        return "只有审核人可以发布修改。"
    # Four eyes for everyone, admins too: the text readers will see must be read by someone else.
    if user.id in changers(case):
        return "你修改过这份修改稿，不能自己发布，请由另一位审核人审核后发布。"
    return None


def publish(user: User, case: Case, comment: str = "") -> ReviewEvent:
    """Put the working copy live: the case row takes its text (no commit). Raises WorkingCopyRefused."""
    refusal = publish_refusal(user, case)
    if refusal:
        raise WorkingCopyRefused(refusal)
    copy = working_copy_of(case)
    number = copy.revision.number
    fold_in(case)
    event = _event(user, case, "publish_changes", comment)
    audit.record(user, "case.publish_changes", case, title=case.title, working_revision=number, comment=comment)
    return event


def discard(user: User, case: Case, comment: str = "") -> ReviewEvent:
    """Drop the working copy; readers' version stays (no commit). Its revisions stay in the history."""
    copy = working_copy_of(case)
    if copy is None:
        raise WorkingCopyRefused("这个案例没有待发布的修改。")
    if not (user.has_role(PUBLISHER_ROLE) or user.id in changers(case)):
        raise WorkingCopyRefused("只有审核人可以放弃修改稿。")
    number = copy.revision.number
    db.session.delete(copy)
    event = _event(user, case, "discard_changes", comment)
    audit.record(user, "case.discard_changes", case, title=case.title, working_revision=number, comment=comment)
    return event


def fold_in(case: Case) -> None:
    """Make the working copy the case's own text and drop it (publishing it, or leaving readers' eyes)."""
    copy = working_copy_of(case)
    if copy is None:
        return
    fields.write_case(case, copy.revision.snapshot)
    db.session.delete(copy)
    db.session.flush()


def _event(user: User, case: Case, action: str, comment: str) -> ReviewEvent:
    event = ReviewEvent(case=case, actor=user, action=action, comment=comment.strip())
    db.session.add(event)
    workflow_event.send(case, event=event, actor=user)
    return event
