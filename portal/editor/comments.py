"""The staff discussion of a case, under its history: comments in Markdown, audited, @mentions announced."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from portal import audit
from portal.audit.labels import describe
from portal.cases.models import Case
from portal.editor.mentions import find_mentions
from portal.editor.models import CaseComment
from portal.editor.signals import comment_posted
from portal.extensions import db
from portal.markdown import render_markdown

AUDIT_EXCERPT = 200

describe(actions={"case.comment": "发表案例讨论"}, details={"comment_id": "讨论编号", "mentioned": "提到的人"})


def comments_on(case: Case) -> list[tuple[CaseComment, str]]:
    """The case's comments, oldest first, each with its sanitized HTML."""
    comments = db.session.scalars(db.select(CaseComment).where(CaseComment.case_id == case.id)
                                  .order_by(CaseComment.created_at, CaseComment.id))
    return [(comment, render_markdown(comment.body_md).html) for comment in comments]


def post_comment(case: Case, text: str):
    """Add the comment, audit it and announce it with its mentions, in one transaction; then go back to it."""
    mentions = find_mentions(text)
    comment = CaseComment(case=case, author=current_user, body_md=text)
    db.session.add(comment)
    db.session.flush()
    audit.record(current_user, "case.comment", case, title=case.title, comment_id=comment.id,
                 comment=text[:AUDIT_EXCERPT], mentioned=[user.username for user in mentions.staff])
    comment_posted.send(case, comment=comment, actor=current_user._get_current_object(), mentioned=mentions.staff)
    db.session.commit()
    flash(posted_message(mentions), "success")
    return redirect(url_for("editor.history", slug=case.slug, _anchor=comment.anchor))


def posted_message(mentions) -> str:
    """Say the comment was posted, whom it notified, and whom it could not."""
    message = "已发表讨论。"
    if mentions.staff:
        message += f"已提醒：{'、'.join(user.shown_name for user in mentions.staff)}。"
    if mentions.outsiders:
        message += (f"{'、'.join(user.shown_name for user in mentions.outsiders)}"
                    "不是编辑人员，看不到内部讨论，没有提醒。")
    return message
