"""Changes to a published case go live only through a second reviewer.

A reviewer (or admin) who edits a published case saves a working copy: a revision the case's
WorkingCopy points at. Readers keep seeing the case row, which is the published version, on every
page, the search index, the API, feeds and handouts. Someone who did not change the working copy
publishes it (the row takes its text) or discards it; either is a review event and is audited.
"""

from __future__ import annotations

from sqlalchemy import select

from portal import audit
from portal.audit.labels import describe
from portal.auth.models import User
from portal.cases import fields
from portal.cases.models import Case, Revision
from portal.content.merging import three_way
from portal.content.problems import Problem
from portal.editor.models import ReviewEvent, WorkingCopy
from portal.editor.signals import case_saved, workflow_event
from portal.extensions import db

PUBLISHER_ROLE = "reviewer"
describe(actions={"case.publish_changes": "发布已发布案例的修改", "case.discard_changes": "放弃已发布案例的修改",
                  "case.confirm_import": "核对导入后的案例修改稿"},
         details={"working_revision": "修改稿版本"})
IMPORTED_UNDER = ("修改稿开始后，{source} 的导入更新了读者看到的版本。请先在“待发布的修改”页核对导入带来的变化，"
                  "把需要保留的内容改进修改稿，再确认，之后才能发布。")


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
    if working_copy_of(case).imported_from:
        return IMPORTED_UNDER.format(source=working_copy_of(case).imported_from)
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


def confirm_import(user: User, case: Case, comment: str = "") -> ReviewEvent:
    """Someone compared what an import changed with the working copy: publishing may go ahead (no commit)."""
    copy = working_copy_of(case)
    if copy is None or not copy.imported_from:
        raise WorkingCopyRefused("修改稿开始后没有导入改动过这个案例，无需核对。")
    copy.live_before_import, copy.imported_from = None, None
    event = _event(user, case, "confirm_import", comment)
    audit.record(user, "case.confirm_import", case, title=case.title, working_revision=copy.revision.number,
                 comment=comment)
    return event


def guard_import(context, *, parsed: dict):
    """Before `portal content import` writes: remember the published text of each case it may change that
    has a working copy, so that afterwards the copy and the import's report say the text changed under it."""
    specs = {spec.slug: spec for spec in parsed.get("cases", [])}
    copies = [copy for copy in db.session.scalars(select(WorkingCopy)) if copy.case.slug in specs]
    before = {copy.case_id: copy.case.snapshot() for copy in copies}

    def changed_under_copies() -> list[Problem]:
        return [mark_imported(copy, before[copy.case_id], specs[copy.case.slug].source_file) for copy in copies
                if fields.comparable_state(copy.case.snapshot()) != fields.comparable_state(before[copy.case_id])]
    return changed_under_copies


def mark_imported(copy: WorkingCopy, live_before: dict, source: str) -> Problem:
    """Carry the import's changes into the working copy where it left the field alone, hold the copy back
    until someone has compared the rest, and say so for the import's report."""
    merged = three_way(copy.revision.snapshot, live_before, copy.case.snapshot(), fields.comparable_state)
    if merged.carried:
        copy.revision = Revision.record(copy.case, None, f"导入 {source} 时并入修改稿没改过的字段",
                                        snapshot=merged.values)
    if copy.live_before_import is None:
        copy.live_before_import = live_before
    copy.imported_from = source
    labels = {field.name: field.label for field in fields.CASE_FIELDS}
    return Problem(source, 1, f"案例“{copy.case.title}”有尚未发布的修改稿：" + imported_message(
        [labels.get(name, name) for name in merged.carried], [labels.get(name, name) for name in merged.conflicts],
        f"/editor/cases/{copy.case.slug}/changes"))


def imported_message(carried: list[str], conflicts: list[str], where: str) -> str:
    """What happened to a working copy when an import changed the published text under it."""
    parts = ["导入已更新读者看到的版本"]
    if carried:
        parts.append(f"修改稿没改过的{'、'.join(carried)}已随导入更新")
    if conflicts:
        parts.append(f"{'、'.join(conflicts)}两边都改过，修改稿保留自己的内容")
    return "；".join(parts) + f"。发布前须在 {where} 核对导入带来的变化并确认。"


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
