"""Editors' decisions on a submission: accept (a draft they own), ask for more, decline. Each is audited."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update

from portal import audit
from portal.audit.labels import describe
from portal.auth.models import User
from portal.cases.models import Case, Region
from portal.extensions import db
from portal.intake import drafting
from portal.intake.models import OPEN_STATUSES, STATUS_LABELS, Submission, SubmissionMessage
from portal.intake.signals import intake_decided
from portal.timeutil import utcnow

describe(actions={"intake.accept": "采纳报送", "intake.ask": "请报送人补充", "intake.decline": "不采纳报送"},
         details={"submission": "报送编号", "case": "草稿网址名", "message": "留言", "reason": "原因"},
         values={"status": STATUS_LABELS})


@dataclass(frozen=True)
class Decision:
    action: str
    status: str
    message_kind: str


DECISIONS = {d.action: d for d in (
    Decision("accept", "accepted", "accept"),
    Decision("ask", "needs_more", "ask"),
    Decision("decline", "declined", "decline"),
)}


class DecisionRefused(Exception):
    """The submission was already decided (perhaps by another editor a moment ago)."""


def claim(submission: Submission, decision: Decision, editor: User) -> None:
    """Move the status only if it is still open, so two editors cannot both decide the same submission."""
    moved = db.session.execute(
        update(Submission).where(Submission.id == submission.id, Submission.status.in_(OPEN_STATUSES))
        .values(status=decision.status, decided_by_id=editor.id, decided_at=utcnow(), updated_at=utcnow())
        .execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        db.session.rollback()
        raise DecisionRefused(f"这份报送已经处理过（{submission.status_label}），请刷新页面。")
    db.session.refresh(submission)


def decide(submission: Submission, action: str, editor: User, message: str = "") -> None:
    """Record an ask or a decline: status, message for the contributor, audit entry; commit; signal."""
    decision = DECISIONS[action]
    claim(submission, decision, editor)
    if action == "decline":
        submission.decision_reason = message
    submission.messages.append(SubmissionMessage(author_id=editor.id, kind=decision.message_kind, body=message))
    detail = {"reason": message} if action == "decline" else {"message": message}
    audit.record(editor, f"intake.{action}", submission.title, submission=submission.id, **detail)
    announce_and_commit(submission, action, editor, message)


def announce_and_commit(submission: Submission, action: str, editor: User, message: str) -> None:
    """Tell listeners inside the decision's transaction, so what they add (inbox notices) commits with it."""
    db.session.flush()
    intake_decided.send(submission, action=action, actor=editor, message=message)
    db.session.commit()


def accept(submission: Submission, editor: User, area: str, region: Region, tags: list[str],
           message: str = "") -> Case:
    """Make the submission a draft case owned by `editor`; commit; signal."""
    claim(submission, DECISIONS["accept"], editor)
    case = drafting.create_draft(submission, editor, area, region, tags)
    submission.case = case
    submission.messages.append(SubmissionMessage(author_id=editor.id, kind="accept", body=message))
    audit.record(editor, "intake.accept", case, submission=submission.id, case=case.slug, message=message)
    announce_and_commit(submission, "accept", editor, message)
    return case
