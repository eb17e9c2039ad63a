"""Accounts, roles, login and throttling."""

from __future__ import annotations

from flask import Flask, flash, redirect, request, url_for

from portal.extensions import login_manager


def init_app(app: Flask) -> None:
    """Register the blueprints, CLI commands and the Flask-Login hooks."""
    from portal.auth import admin_views, audit_views  # noqa: F401  (their routes attach to admin_bp)
    from portal.auth.cli import users_cli
    from portal.auth.views import admin_bp, bp

    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录。"
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)
    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    app.cli.add_command(users_cli)


def load_user(session_id: str):
    """Return the user of a live server-side session "<id>:<secret>", or None once it has ended."""
    from portal.auth import sessions

    return sessions.resume(session_id)


def unauthorized():
    """Send anonymous visitors to the login page, or answer JSON 401 under /api/."""
    from portal.errors import error_response, wants_json

    if wants_json():
        return error_response(401, "需要登录。")
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
