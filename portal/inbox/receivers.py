"""What puts notices into inboxes: the editor's workflow signals and intake decisions (报送)."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user
from markupsafe import Markup

from portal.auth.models import User
from portal.cases.models import Case, Revision
from portal.collections.models import Collection, CollectionReviewEvent
from portal.collections.signals import collection_review_event
from portal.editor import signals as editor_signals
from portal.editor.models import CaseComment, ReviewEvent
from portal.editor.workflow import ACTION_LABELS
from portal.extensions import db
from portal.inbox.models import CaseFollow
from portal.inbox.notices import case_link, deliver, followers, path_for, people_behind
from portal.intake.models import Submission
from portal.intake.signals import intake_decided, intake_resubmitted
from portal.markdown import render_markdown

# How much of a comment a notice (and its e-mail) quotes.
EXCERPT = 500
# Review outcomes the case's author and submitter are told about, with the notice's kind and wording.
OUTCOMES = {"return": ("returned", "《{title}》被退回修改"), "publish": ("published", "《{title}》已发布"),
            "publish_changes": ("published", "《{title}》的修改已发布")}
# How a collection's review ended, as its author (a trainer) reads it.
COLLECTION_OUTCOMES = {"return": ("returned", "培训合集《{title}》被退回修改"), "publish": ("published", "培训合集《{title}》已发布")}
# What the contributor reads when an editor decides about their submission (报送).
INTAKE_OUTCOMES = {"accept": "你报送的《{title}》已采纳", "ask": "你报送的《{title}》需要补充材料",
                   "decline": "你报送的《{title}》未被采纳"}


def on_workflow_event(case: Case, *, event: ReviewEvent, actor: User) -> None:
    """Tell the people behind a case how its review ended, and its followers what happened."""
    outcome = OUTCOMES.get(event.action)
    if outcome is not None:
        kind, wording = outcome
        deliver(people_behind(case), kind, wording.format(title=case.title), actor=actor, case=case,
                detail=event.comment, link=case_link(case))
    step = ACTION_LABELS.get(event.action, event.action)
    deliver(followers(case), "followed", f"你关注的《{case.title}》：{actor.shown_name}{step}", actor=actor,
            case=case, detail=event.comment, link=case_link(case))


def on_case_saved(case: Case, *, revision: Revision, actor: User) -> None:
    """Tell a case's followers that someone saved a new version of it."""
    deliver(followers(case), "followed", f"你关注的《{case.title}》有新版本（第 {revision.number} 版）",
            actor=actor, case=case, detail=revision.comment, link=case_link(case, "editor.history"))


def on_comment_posted(case: Case, *, comment: CaseComment, actor: User, mentioned: list[User]) -> None:
    """Tell the colleagues a comment names, and the case's followers, about a new staff comment."""
    link = case_link(case, "editor.history", comment.anchor)
    excerpt = plain_text(comment.body_md)[:EXCERPT]
    deliver(followers(case), "followed", f"你关注的《{case.title}》有新讨论（{actor.shown_name}）", actor=actor,
            case=case, detail=excerpt, link=link)
    deliver(mentioned, "mention", f"{actor.shown_name}在《{case.title}》的讨论中提到了你", actor=actor, case=case,
            detail=excerpt, link=link)


def on_intake_decided(submission: Submission, *, action: str, actor: User, message: str) -> None:
    """Tell the contributor what an editor decided, with the editor's message, linking to the submission."""
    deliver([submission.contributor_id], "intake", INTAKE_OUTCOMES[action].format(title=submission.title),
            actor=actor, detail=message, link=path_for("intake.my_submission", submission_id=submission.id))


def on_collection_review(collection: Collection, *, event: CollectionReviewEvent, actor: User) -> None:
    """Tell a collection's author that a reviewer returned (with the comment) or published it."""
    outcome = COLLECTION_OUTCOMES.get(event.action)
    if outcome is not None:
        kind, wording = outcome
        deliver([collection.author_id], kind, wording.format(title=collection.title), actor=actor,
                detail=event.comment, link=path_for("collections.editor_edit", collection_id=collection.id))


def on_practice_published(case: Case, *, event: ReviewEvent, actor: User) -> None:
    """When a case made from a submission goes live, its contributor hears of it, with the public link."""
    if event.action != "publish":
        return
    for submission in db.session.scalars(db.select(Submission).where(Submission.case_id == case.id)):
        deliver([submission.contributor_id], "published", f"你报送的《{submission.title}》已作为案例《{case.title}》发布",
                actor=actor, case=case, link=path_for("cases.case_detail", slug=case.slug))


def on_intake_resubmitted(submission: Submission, *, contributor: User, message: str) -> None:
    """Tell the editor who asked for more that the contributor has answered."""
    deliver([submission.decided_by_id], "intake", f"报送《{submission.title}》已补充，等待处理", actor=contributor,
            detail=message, link=path_for("intake.review", submission_id=submission.id))


def plain_text(markdown_text: str) -> str:
    """A comment as a notice (and an e-mail) quotes it: the words, without Markdown's marks."""
    return Markup(render_markdown(markdown_text).html).striptags()


def follow_button(case: Case) -> Markup | None:
    """The 关注 / 取消关注 button on a case's staff pages."""
    if not current_user.is_authenticated or not current_user.has_role("editor"):
        return None
    following = db.session.get(CaseFollow, (current_user.id, case.id)) is not None
    return Markup(render_template("inbox/_follow_button.html", case=case, following=following))


def connect() -> None:
    """Listen to the features whose events reach the inbox, and add the follow button to case pages."""
    editor_signals.workflow_event.connect(on_workflow_event)
    editor_signals.case_saved.connect(on_case_saved)
    editor_signals.comment_posted.connect(on_comment_posted)
    intake_decided.connect(on_intake_decided)
    editor_signals.workflow_event.connect(on_practice_published)
    intake_resubmitted.connect(on_intake_resubmitted)
    collection_review_event.connect(on_collection_review)
    editor_signals.case_tools.connect(follow_button)
