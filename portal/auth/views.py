"""Logging in and out, and changing one's own password."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from portal.auth import sessions, throttle
from portal.auth.accounts import find_by_username
from portal.auth.forms import ChangePasswordForm, LoginForm
from portal.auth.models import User
from portal.auth.passwords import hash_password, verify_password
from portal.auth.redirects import safe_next
from portal.extensions import db

bp = Blueprint("auth", __name__, template_folder="templates")
# The admin area (accounts, audit log; routes in admin_views.py and audit_views.py).
admin_bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")

# One message for unknown users, wrong passwords and disabled accounts, so nobody learns which it was.
LOGIN_FAILED = "用户名或密码错误，或账号已停用。"


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form and sign the user in."""
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(form.next.data, landing_page()))
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    error, status = attempt_login(form.username.data, form.password.data)
    if error:
        return render_template("auth/login.html", form=form, login_error=error), status
    return redirect(safe_next(form.next.data, landing_page()))


def landing_page() -> str:
    """Where a login without ?next= leads: editors and reviewers to 编辑台, contributors to their
    submissions, everyone else home."""
    if current_user.has_role("editor"):
        return url_for("editor.dashboard")
    return url_for("cases.home") if current_user.has_role("trainer") else url_for("intake.my_submissions")


def attempt_login(username: str, password: str) -> tuple[str | None, int]:
    """Check the credentials under the throttle; return (error message or None, status code)."""
    address = request.remote_addr or "unknown"
    throttle.gate(username)
    block = throttle.current_block(username, address)
    if block:
        db.session.commit()
        return block.message, 429
    user = find_by_username(username)
    password_ok = verify_password(user.password_hash if user else None, password)
    succeeded = bool(user and password_ok and user.active)
    throttle.record_attempt(username, address, succeeded)
    db.session.commit()
    if not succeeded:
        return LOGIN_FAILED, 200
    start_session(user)
    return None, 302


def start_session(user: User) -> None:
    """Log `user` in on a fresh session so nothing from before the login carries over."""
    session.clear()
    sessions.begin(user)
    login_user(user)


@bp.post("/logout")
def logout():
    """Log the current user out, ending the session on the server too (a copied cookie stops working)."""
    if current_user.is_authenticated:
        sessions.end(current_user._get_current_object())
    logout_user()
    session.clear()
    flash("已退出登录。", "info")
    return redirect(url_for("cases.home"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Let the signed-in user change their own password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        error = replace_own_password(form.current_password.data, form.new_password.data)
        if error is None:
            flash("密码已修改。", "success")
            return redirect(url_for("auth.change_password"), 303)
        form.current_password.errors.append(error)
    return render_template("auth/password.html", form=form), 400 if form.errors else 200


def replace_own_password(current: str, new: str) -> str | None:
    """Set the signed-in user's new password after checking the current one (throttled like logins)."""
    user = current_user._get_current_object()
    address = request.remote_addr or "unknown"
    throttle.gate(user.username)
    block = throttle.current_block(user.username, address)
    if block:
        db.session.commit()
        return block.message
    if not verify_password(user.password_hash, current):
        throttle.record_attempt(user.username, address, succeeded=False)
        db.session.commit()
        return "当前密码不正确。"
    user.password_hash = hash_password(new)
    # A new password ends every session, this one included; this browser gets a fresh one.
    sessions.end_all(user)
    db.session.commit()
    start_session(user)
    return None
