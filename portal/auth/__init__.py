"""Accounts, roles, login and throttling."""

from __future__ import annotations

from flask import Flask, flash, redirect, request, url_for

from portal.extensions import db, login_manager


def init_app(app: Flask) -> None:
    """Register the blueprints, CLI commands and the Flask-Login hooks."""
    from portal.auth.admin_views import bp as admin_bp
    from portal.auth.cli import users_cli
    from portal.auth.views import bp

    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录。"
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)
    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    app.cli.add_command(users_cli)


def load_user(session_id: str):
    """Return the user for a session id "<id>:<token>", or None once the password has changed."""
    from portal.auth.models import User

    user_id, _, token = (session_id or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.matches_session_token(token) else None


def unauthorized():
    """Send anonymous visitors to the login page, or answer JSON 401 under /api/."""
    from portal.errors import error_response, wants_json

    if wants_json():
        return error_response(401, "需要登录。")
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
