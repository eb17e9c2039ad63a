"""The admin area: manage accounts and read the audit log (role admin only)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from portal.auth import accounts, sessions
from portal.auth.admin_forms import ActiveForm, CreateUserForm, ResetPasswordForm, RoleForm
from portal.auth.decorators import role_required
from portal.auth.models import User
from portal.auth.views import admin_bp as bp
from portal.extensions import db


def actor():
    """Return the signed-in admin as a plain model object, for audit entries."""
    return current_user._get_current_object()


def user_or_404(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


@bp.get("/")
@role_required("admin")
def index():
    """Send admins to the user list."""
    return redirect(url_for("admin.users"))


@bp.route("/users", methods=["GET", "POST"])
@role_required("admin")
def users():
    """List every account, and create new ones."""
    form = CreateUserForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(form.username.data, form.role.data, form.new_password.data,
                                        form.display_name.data, actor=actor())
        except accounts.AccountError as error:
            db.session.rollback()
            form.username.errors.append(str(error))
        else:
            flash(f"已创建用户 {user.username}。", "success")
            return redirect(url_for("admin.users"))
    rows = db.session.scalars(select(User).order_by(User.username)).all()
    status = 400 if form.errors else 200
    return render_template("admin/users.html", users=rows, form=form), status


@bp.get("/users/<int:user_id>")
@role_required("admin")
def user_detail(user_id: int):
    """Show one account with its role, status and password forms."""
    user = user_or_404(user_id)
    return render_user(user)


def render_user(user: User, status: int = 200, **forms):
    """Render the account page, keeping any form that came back with errors."""
    forms.setdefault("role_form", RoleForm(role=user.role, formdata=None))
    forms.setdefault("active_form", ActiveForm(formdata=None))
    forms.setdefault("password_form", ResetPasswordForm(formdata=None))
    return render_template("admin/user.html", user=user, **forms), status


@bp.post("/users/<int:user_id>/role")
@role_required("admin")
def change_role(user_id: int):
    """Change an account's role."""
    user = user_or_404(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return render_user(user, 400, role_form=form)
    return apply(user, accounts.set_role, user, form.role.data, actor=actor())


@bp.post("/users/<int:user_id>/disable")
@role_required("admin")
def disable(user_id: int):
    """Disable an account."""
    return set_active(user_or_404(user_id), False)


@bp.post("/users/<int:user_id>/enable")
@role_required("admin")
def enable(user_id: int):
    """Re-enable an account."""
    return set_active(user_or_404(user_id), True)


def set_active(user: User, active: bool):
    form = ActiveForm()
    if not form.validate_on_submit():
        abort(400)
    return apply(user, accounts.set_active, user, active, actor=actor())


@bp.post("/users/<int:user_id>/password")
@role_required("admin")
def reset_password(user_id: int):
    """Give an account a new password."""
    user = user_or_404(user_id)
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        return render_user(user, 400, password_form=form)
    return apply(user, accounts.reset_password, user, form.new_password.data, actor=actor())


def apply(user: User, change, *args, **kwargs):
    """Run an account change, flash the outcome and go back to the account page."""
    try:
        change(*args, **kwargs)
    except accounts.AccountError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("admin.user_detail", user_id=user.id), 303)
    flash(f"已更新 {user.username}。", "success")
    return after_change(user)


def after_change(user: User):
    """Redirect back, unless the admin just changed their own account out of the admin role."""
    if user.id != current_user.id:
        return redirect(url_for("admin.user_detail", user_id=user.id), 303)
    if not user.active:
        logout_user()
    if not (user.active and user.has_role("admin")):
        return redirect(url_for("cases.home"), 303)
    # A new password ended every session of the account, this one too; keep the admin signed in.
    sessions.begin(user)
    login_user(user)
    return redirect(url_for("admin.user_detail", user_id=user.id), 303)

