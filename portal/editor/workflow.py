"""The review workflow: draft → in_review → published → archived, and back to draft."""

from __future__ import annotations

from dataclasses import dataclass

from portal import audit
from portal.audit.labels import describe
from portal.auth.models import User
from portal.cases.models import STATUS_LABELS, Case, Revision
from portal.editor import working_copy
from portal.editor.models import ReviewEvent
from portal.editor.signals import workflow_event
from portal.extensions import db
from portal.timeutil import utcnow


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    role: str
    audited: bool = False
    comment_required: bool = False


TRANSITIONS = {t.name: t for t in (
    Transition("submit", "提交审核", ("draft",), "in_review", "editor"),
    Transition("withdraw", "撤回审核申请", ("in_review",), "draft", "editor", audited=True),
    Transition("return", "退回修改", ("in_review",), "draft", "reviewer", comment_required=True),
    Transition("publish", "审核通过并发布", ("in_review",), "published", "reviewer", audited=True),
    Transition("unpublish", "撤回发布", ("published",), "draft", "reviewer", audited=True),
    Transition("archive", "归档", ("draft", "published"), "archived", "reviewer", audited=True),
    Transition("restore_draft", "恢复为草稿", ("archived",), "draft", "reviewer"),
)}

ACTION_LABELS = {
    "submit": "提交审核", "withdraw": "撤回审核申请", "approve": "审核通过", "return": "退回修改", "publish": "审核通过并发布",
    "unpublish": "撤回发布", "archive": "归档", "restore_draft": "恢复为草稿",
    "publish_changes": "发布修改", "discard_changes": "放弃修改稿", "confirm_import": "核对导入后的修改稿",
}

describe(actions={"case.publish": "发布案例", "case.unpublish": "撤回发布", "case.archive": "归档案例",
                  "case.restore_revision": "恢复旧版", "case.withdraw": "撤回审核申请"},
         details={"from": "原状态", "to": "新状态", "revision": "恢复的版本", "new_revision": "新版本号"}, values={"from": STATUS_LABELS, "to": STATUS_LABELS})


# Review steps after which a reviewer has read the case as it then stood.
REVIEW_ACTIONS = ("return", "publish", "publish_changes")
PUBLISH_ACTIONS = ("publish", "publish_changes")


class TransitionRefused(Exception):
    """The step is not allowed; the message is shown to the user."""


def latest_event(case: Case, action: str | None = None) -> ReviewEvent | None:
    """Return the case's most recent review event (of one kind, if `action` is given)."""
    query = db.select(ReviewEvent).where(ReviewEvent.case_id == case.id)
    if action:
        query = query.where(ReviewEvent.action == action)
    return db.session.scalar(query.order_by(ReviewEvent.created_at.desc(), ReviewEvent.id.desc()).limit(1))


def published_revision(case: Case) -> int | None:
    """The number of the revision that was current when the case (or its working copy) was last published."""
    events = [latest_event(case, action) for action in PUBLISH_ACTIONS]
    return revision_at(case, max(filter(None, events), key=lambda event: (event.created_at, event.id), default=None))


def revision_at(case: Case, event: ReviewEvent | None) -> int | None:
    """The number of the case's newest revision when `event` happened."""
    if event is None:
        return None
    return db.session.scalar(db.select(db.func.max(Revision.number)).where(
        Revision.case_id == case.id, Revision.created_at <= event.created_at))


def reviewed_revision(user: User, case: Case) -> int | None:
    """The revision `user` last reviewed (returned or published), if they ever did."""
    event = db.session.scalar(db.select(ReviewEvent).where(
        ReviewEvent.case_id == case.id, ReviewEvent.actor_id == user.id, ReviewEvent.action.in_(REVIEW_ACTIONS))
        .order_by(ReviewEvent.created_at.desc(), ReviewEvent.id.desc()).limit(1))
    return revision_at(case, event)


def is_own_work(user: User, case: Case) -> bool:
    """True if `user` wrote the case or sent it for review."""
    submitted = latest_event(case, "submit")
    return case.author_id == user.id or (submitted is not None and submitted.actor_id == user.id)


def check(transition: Transition, user: User, case: Case, comment: str) -> None:
    """Raise TransitionRefused unless `user` may take this step on `case` now."""
    if not user.has_role(transition.role):
        raise TransitionRefused("没有权限执行此操作。")
    if case.status not in transition.sources:
        raise TransitionRefused(f"案例当前为“{case.status_label}”，不能执行“{transition.label}”。")
    if transition.comment_required and not comment.strip():
        raise TransitionRefused("退回时请写明意见，作者会在编辑台看到。")
    # Only the one who wrote or sent it may take back a submission (admins may, to tidy up).
    if transition.name == "withdraw" and not is_own_work(user, case) and not user.has_role("admin"):
        raise TransitionRefused("只有作者或提交人可以撤回审核申请。")
    # Four eyes: a reviewer may not publish their own work; admins may, for emergencies.
    if transition.name == "publish" and is_own_work(user, case) and not user.has_role("admin"):
        raise TransitionRefused("不能发布自己撰写或提交的案例，请由另一位审核人审核。")
    # Nor text they changed while it was under review, whatever their role: someone else must read it.
    if transition.name == "publish" and user.id in changers_since_submission(case):
        raise TransitionRefused("你在审核期间修改过这个案例，请由另一位审核人审核后发布。")


def changers_since_submission(case: Case) -> set[int]:
    """Ids of everyone who saved a revision of the case after it was last submitted for review."""
    submitted = latest_event(case, "submit")
    if submitted is None:
        return set()
    return set(db.session.scalars(db.select(Revision.author_id).where(
        Revision.case_id == case.id, Revision.created_at > submitted.created_at,
        Revision.author_id.is_not(None))))


def available(user: User, case: Case) -> list[Transition]:
    """The steps `user` could take on `case` now (comment requirements aside)."""
    allowed = []
    for transition in TRANSITIONS.values():
        try:
            check(transition, user, case, comment="-")
        except TransitionRefused:
            continue
        allowed.append(transition)
    return allowed


def perform(transition: Transition, user: User, case: Case, comment: str = "") -> ReviewEvent:
    """Move the case to the transition's target, recording the event (and audit entry); no commit."""
    check(transition, user, case, comment)
    previous = case.status
    if previous == "published" and transition.target != "published":
        # Off the site, the working copy is simply the newest text: the case keeps it as its own.
        working_copy.fold_in(case)
    case.status = transition.target
    case.updated_at = utcnow()
    if transition.target == "published" and case.published_at is None:
        case.published_at = utcnow()
    event = ReviewEvent(case=case, actor=user, action=transition.name, comment=comment.strip())
    db.session.add(event)
    if transition.audited:
        audit.record(user, f"case.{transition.name}", case, **{
            "title": case.title, "from": previous, "to": transition.target, "comment": comment.strip()})
    workflow_event.send(case, event=event, actor=user)
    return event
