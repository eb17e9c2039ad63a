"""Write a search outbox row for every case change, inside the transaction that makes the change.

The rows are inserted in after_flush (when new cases have their ids) on the flushing connection, so
a rollback removes them with the change itself and autoflushed changes are never missed.
"""

from __future__ import annotations

from functools import partial

from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session

from portal.cases.models import Area, Case, Region, Tag, case_tags
from portal.search.models import SearchOutbox
from portal.timeutil import utcnow

PENDING_FLAG = "search_outbox_written"


def register(on_commit) -> None:
    """Attach the listeners to every SQLAlchemy session; `on_commit(session)` runs after a commit that
    wrote outbox rows. Sessions are one class per process, so SQLAlchemy's registry of listeners (not
    a flag of ours) keeps this to once however many apps the process creates."""
    if event.contains(Session, "after_flush", record_changes):
        return
    event.listen(Session, "after_flush", record_changes)
    event.listen(Session, "after_commit", partial(committed, on_commit=on_commit))
    event.listen(Session, "after_rollback", forget_pending)


def committed(session: Session, on_commit) -> None:
    if session.info.pop(PENDING_FLAG, None):
        on_commit(session)


def forget_pending(session: Session) -> None:
    session.info.pop(PENDING_FLAG, None)


def record_changes(session: Session, _flush_context) -> None:
    """Insert outbox rows for the cases this flush creates, changes or deletes."""
    changes = changed_cases(session)
    changes.update(cases_touched_by_renames(session, changes))
    if not changes:
        return
    now = utcnow()
    rows = [{"case_id": case_id, "slug": slug or "", "op": op, "created_at": now}
            for case_id, (slug, op) in sorted(changes.items())]
    session.connection().execute(insert(SearchOutbox.__table__), rows)
    session.info[PENDING_FLAG] = True


def changed_cases(session: Session) -> dict[int, tuple[str, str]]:
    changes = {}
    for obj in session.new:
        if isinstance(obj, Case) and obj.id is not None:
            changes[obj.id] = (obj.slug, "upsert")
    for obj in session.dirty:
        if isinstance(obj, Case) and obj.id is not None and session.is_modified(obj):
            changes[obj.id] = (obj.slug, "upsert")
    for obj in session.deleted:
        if isinstance(obj, Case) and obj.id is not None:
            changes[obj.id] = (obj.slug, "delete")
    return changes


def cases_touched_by_renames(session: Session, already: dict) -> dict[int, tuple[str, str]]:
    """Re-index the cases filed under an area, region or tag whose name changed."""
    touched = {}
    for obj in session.dirty:
        if not isinstance(obj, Area | Region | Tag) or not session.is_modified(obj, include_collections=False):
            continue
        for case_id, slug in session.connection().execute(cases_of(obj)):
            if case_id not in already:
                touched[case_id] = (slug, "upsert")
    return touched


def cases_of(obj):
    if isinstance(obj, Tag):
        return select(Case.id, Case.slug).join(case_tags, case_tags.c.case_id == Case.id).where(
            case_tags.c.tag_id == obj.id)
    if isinstance(obj, Area):
        return select(Case.id, Case.slug).where(Case.area_id == obj.id)
    return select(Case.id, Case.slug).where(Case.region_id.in_(obj.subtree_ids()))
