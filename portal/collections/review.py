"""Collections get the same care as cases: a published collection changes only through a reviewer,
whoever changed a collection since it was last published cannot publish it, and every publish,
unpublish and feature change is audited.

A trainer (or editor) asks for review (submit); the collection waits in the reviewers' queue, locked
for everyone but reviewers, until a reviewer publishes it or returns it with a comment, or its
author withdraws it. The history is the collection's review events (keyed by its id, so renaming
the slug keeps it); the audit log gets the same steps, and `collection_review_event` announces them.
"""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy import select

from portal import audit
from portal.audit.labels import describe
from portal.collections import fields
from portal.collections.models import Collection, CollectionReviewEvent
from portal.collections.signals import collection_review_event
from portal.extensions import db

PUBLISHER_ROLE = "reviewer"
LOCKED_IN_REVIEW = "合集正在等待审核，审核人处理前不能修改；如需修改，请先撤回审核申请。"
OWN_CHANGES = "你修改过这个合集（自上次发布以来），不能自己发布，请由另一位审核人发布。"
describe(actions={"collection.update": "修改合集", "collection.publish": "发布合集", "collection.unpublish": "撤回合集",
                  "collection.feature": "首页推荐合集", "collection.unfeature": "取消首页推荐",
                  "collection.submit": "提交合集审核", "collection.withdraw": "撤回合集审核申请",
                  "collection.return": "退回合集"})
# The steps that move a collection in and out of the reviewers' queue, and the state each leaves.
QUEUE_STEPS = {"submit": "in_review", "withdraw": "draft", "return": "returned", "publish": "published",
               "unpublish": "draft"}
STATE_LABELS = {"draft": "未发布", "in_review": "待审核", "returned": "被退回修改", "published": "已发布"}
# Steps after which a second reviewer has read every change so far.
REVIEWED_STEPS = ("publish", "publish_changes")
SWITCHES = {("published", True): "publish", ("published", False): "unpublish",
            ("featured", True): "feature", ("featured", False): "unfeature"}


class PublishRefused(Exception):
    """Publishing is not allowed for this user now; the message says why."""


def may_publish() -> bool:
    """Return True if the current user may publish, unpublish or feature collections."""
    return bool(current_user.is_authenticated and current_user.has_role(PUBLISHER_ROLE))


def edit_refusal(collection: Collection) -> str | None:
    """Why the current user may not change this collection's content now, or None."""
    # A published collection is edited through its working copy (portal.collections.working_copy),
    # which readers see only after a second reviewer publishes it.
    if may_publish() or collection.published:
        return None
    return LOCKED_IN_REVIEW if review_state(collection) == "in_review" else None


def last_queue_step(collection: Collection) -> CollectionReviewEvent | None:
    """The collection's latest submit, withdraw, return, publish or unpublish."""
    return db.session.scalar(select(CollectionReviewEvent).where(
        CollectionReviewEvent.collection_id == collection.id, CollectionReviewEvent.action.in_(QUEUE_STEPS))
        .order_by(CollectionReviewEvent.created_at.desc(), CollectionReviewEvent.id.desc()).limit(1))


def review_state(collection: Collection) -> str:
    """published, in_review (waiting in the queue), returned (with a comment) or draft."""
    if collection.published:
        return "published"
    step = last_queue_step(collection)
    state = QUEUE_STEPS[step.action] if step else "draft"
    return "draft" if state == "published" else state


def returned_comment(collection: Collection) -> CollectionReviewEvent | None:
    """The reviewer's return, if that is where the collection stands."""
    step = last_queue_step(collection)
    return step if step and step.action == "return" and not collection.published else None


def waiting_for_review() -> list[tuple[Collection, CollectionReviewEvent]]:
    """The reviewers' queue: submitted collections with their submission, oldest first."""
    waiting = []
    for collection in db.session.scalars(select(Collection).where(Collection.published.is_(False))):
        step = last_queue_step(collection)
        if step and step.action == "submit":
            waiting.append((collection, step))
    return sorted(waiting, key=lambda pair: (pair[1].created_at, pair[1].id))


def record_change(collection: Collection, before: dict) -> None:
    """Note that the current user changed the collection's content (for the four-eyes check), if so.

    `before` is `fields.content_state(collection)` taken before the save."""
    if fields.content_state(collection) != before:
        note_change(collection)


def note_change(collection: Collection) -> None:
    """Note that the current user changed the collection's content."""
    record(collection, "change", audited_as="collection.update")


def own_changes(collection: Collection) -> str | None:
    """Why the current user may not publish the collection (they changed it), or None."""
    return OWN_CHANGES if current_user.id in changers_since_publication(collection) else None


def set_switches(collection: Collection, published: bool, featured: bool) -> None:
    """Apply the publish and feature switches (publishers only), audited; raise PublishRefused."""
    if not may_publish() or (published, featured) == (collection.published, collection.featured):
        return
    if published and not collection.published and current_user.id in changers_since_publication(collection):
        raise PublishRefused(OWN_CHANGES)
    for name, value in (("published", published), ("featured", featured)):
        if getattr(collection, name) != value:
            setattr(collection, name, value)
            record(collection, SWITCHES[(name, value)])


def changers_since_publication(collection: Collection) -> set[int]:
    """Ids of everyone who changed the collection's content since it was last published."""
    events = db.session.scalars(select(CollectionReviewEvent).where(
        CollectionReviewEvent.collection_id == collection.id,
        CollectionReviewEvent.action.in_(("change", *REVIEWED_STEPS)))
        .order_by(CollectionReviewEvent.created_at, CollectionReviewEvent.id)).all()
    changers: set[int] = set()
    for event in events:
        changers = set() if event.action in REVIEWED_STEPS else changers | {event.actor_id}
    return changers


def record(collection: Collection, action: str, comment: str = "", *, audited_as: str | None = None):
    """Add a review event by the current user, and its audit-log entry; announce review steps."""
    actor = current_user._get_current_object()
    event = CollectionReviewEvent(collection=collection, actor=actor, action=action, comment=comment.strip())
    db.session.add(event)
    audit.record(actor, audited_as or f"collection.{action}", collection, title=collection.title,
                 **({"comment": event.comment} if event.comment else {}))
    db.session.flush()
    if action != "change":
        collection_review_event.send(collection, event=event, actor=actor)
    return event


class StepRefused(Exception):
    """A review step is not allowed now; the message says why."""


def submit(collection: Collection, comment: str) -> None:
    """Ask the reviewers to publish the collection."""
    if collection.published or review_state(collection) == "in_review":
        raise StepRefused("合集已发布或已在等待审核，不能再次提交。")
    if not collection.items:
        raise StepRefused("合集还没有案例，请先添加案例再提交审核。")
    record(collection, "submit", comment)


def withdraw(collection: Collection) -> None:
    """Take a submission back, to keep editing."""
    if review_state(collection) != "in_review":
        raise StepRefused("合集不在等待审核，无需撤回。")
    record(collection, "withdraw")


def return_to_author(collection: Collection, comment: str) -> None:
    """Send a submitted collection back with the reviewer's comment (reviewers only)."""
    if not may_publish():
        raise StepRefused("只有审核人可以退回合集。")
    if review_state(collection) != "in_review":
        raise StepRefused("合集不在等待审核，不能退回。")
    if not comment.strip():
        raise StepRefused("退回时请写明意见，合集作者会看到。")
    record(collection, "return", comment)


def publish(collection: Collection, comment: str = "") -> None:
    """Publish a submitted collection (reviewers who did not change it only)."""
    if not may_publish():
        raise StepRefused("只有审核人可以发布合集。")
    if collection.published:
        raise StepRefused("合集已经发布。")
    if own_changes(collection):
        raise StepRefused(OWN_CHANGES)
    collection.published = True
    record(collection, "publish", comment)
