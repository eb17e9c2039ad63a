"""The inbox pages: notices (open, mark read), e-mail settings, following cases."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select, update

from portal.auth.decorators import role_required
from portal.auth.models import ROLES
from portal.auth.redirects import safe_next
from portal.cases import listing
from portal.cases.models import Case
from portal.cases.params import parse_paging
from portal.cases.queries import paginate
from portal.extensions import db
from portal.inbox import mail
from portal.inbox.forms import ButtonForm, MailForm
from portal.inbox.models import CaseFollow, MailPreference, Notice
from portal.inbox.notices import case_link
from portal.timeutil import utcnow

bp = Blueprint("inbox", __name__, url_prefix="/inbox", template_folder="templates", static_folder="static")

# Everyone with an account has an inbox: the lowest role and up.
HOLDER = ROLES[0]
NOTICES_PER_PAGE = 30


def unread_count() -> int:
    """How many notices the signed-in user has not read (0 for visitors)."""
    if not current_user.is_authenticated:
        return 0
    return db.session.scalar(select(func.count(Notice.id)).where(
        Notice.user_id == current_user.id, Notice.read_at.is_(None))) or 0


def require_button() -> None:
    """Refuse a POST without a valid CSRF token, in Chinese."""
    if not ButtonForm().validate_on_submit():
        abort(400, "表单已过期，请刷新页面后重试。")


def own_notice_or_404(notice_id: int) -> Notice:
    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.user_id != current_user.id:
        abort(404, "没有这条消息。")
    return notice


@bp.get("/")
@role_required(HOLDER)
def inbox():
    """List the user's notices, newest first (only the unread ones with ?show=unread)."""
    only_unread = request.args.get("show") == "unread"
    stmt = select(Notice).where(Notice.user_id == current_user.id)
    if only_unread:
        stmt = stmt.where(Notice.read_at.is_(None))
    result = paginate(stmt.order_by(Notice.created_at.desc(), Notice.id.desc()),
                      parse_paging(request.args, NOTICES_PER_PAGE))
    return render_template("inbox/inbox.html", result=result, only_unread=only_unread, unread=unread_count(),
                           form=ButtonForm(), listing=listing)


def notice_target(notice: Notice) -> str:
    """Where opening a notice leads."""
    if notice.link:
        return notice.link
    return case_link(notice.case) if notice.case is not None else url_for("inbox.inbox")


@bp.get("/<int:notice_id>")
@role_required(HOLDER)
def open_notice(notice_id: int):
    """Mark the notice read and go where it points (reading a notice is all this changes)."""
    notice = own_notice_or_404(notice_id)
    if notice.read_at is None:
        notice.read_at = utcnow()
        db.session.commit()
    return redirect(safe_next(notice_target(notice), url_for("inbox.inbox")))


@bp.post("/<int:notice_id>/read")
@role_required(HOLDER)
def mark_read(notice_id: int):
    """Mark one notice read."""
    notice = own_notice_or_404(notice_id)
    require_button()
    if notice.read_at is None:
        notice.read_at = utcnow()
        db.session.commit()
    return back_to_inbox()


@bp.post("/read-all")
@role_required(HOLDER)
def mark_all_read():
    """Mark every notice of the user read."""
    require_button()
    done = db.session.execute(update(Notice).where(Notice.user_id == current_user.id, Notice.read_at.is_(None))
                              .values(read_at=utcnow())).rowcount
    db.session.commit()
    flash(f"已将 {done} 条消息标为已读。" if done else "没有未读消息。", "success")
    return back_to_inbox()


def back_to_inbox():
    return redirect(safe_next(request.form.get("next"), url_for("inbox.inbox")))


@bp.route("/settings", methods=["GET", "POST"])
@role_required(HOLDER)
def settings():
    """Choose whether, and where, notices are e-mailed too."""
    preference = db.session.get(MailPreference, current_user.id) or MailPreference(user_id=current_user.id)
    form = MailForm(obj=preference if request.method == "GET" else None)
    if form.validate_on_submit():
        preference.address, preference.enabled = (form.address.data or "").strip(), form.enabled.data
        db.session.add(preference)
        db.session.commit()
        flash("邮件提醒已开启。" if preference.enabled else "已保存：不发邮件，消息只在站内显示。", "success")
        return redirect(url_for("inbox.settings"))
    return render_template("inbox/settings.html", form=form, mail_configured=mail.configured()), \
        400 if form.errors else 200


def followed_case_or_404(slug: str) -> Case:
    case = db.session.scalar(select(Case).where(Case.slug == slug))
    if case is None:
        abort(404, "没有这个案例。")
    return case


@bp.post("/follow/<slug>")
@role_required("editor")
def follow(slug: str):
    """Follow a case: every later change to it arrives in the inbox."""
    case = followed_case_or_404(slug)
    require_button()
    if db.session.get(CaseFollow, (current_user.id, case.id)) is None:
        db.session.add(CaseFollow(user_id=current_user.id, case_id=case.id))
        db.session.commit()
        flash(f"已关注《{case.title}》：它的修改、审核和讨论会出现在你的消息里。", "success")
    return redirect(safe_next(request.form.get("next"), case_link(case)))


@bp.post("/unfollow/<slug>")
@role_required("editor")
def unfollow(slug: str):
    """Stop following a case."""
    case = followed_case_or_404(slug)
    require_button()
    follow_row = db.session.get(CaseFollow, (current_user.id, case.id))
    if follow_row is not None:
        db.session.delete(follow_row)
        db.session.commit()
        flash(f"已取消关注《{case.title}》。", "success")
    return redirect(safe_next(request.form.get("next"), case_link(case)))


@bp.get("/following")
@role_required("editor")
def following():
    """The cases the user follows."""
    cases = db.session.scalars(select(Case).join(CaseFollow, CaseFollow.case_id == Case.id)
                               .where(CaseFollow.user_id == current_user.id)
                               .order_by(CaseFollow.created_at.desc())).all()
    return render_template("inbox/following.html", cases=cases, form=ButtonForm())
