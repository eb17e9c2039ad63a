"""Accounts, roles, login and throttling."""

from flask import Flask

from portal.extensions import db, login_manager


def init_app(app: Flask) -> None:
    """Register the blueprint, CLI commands and the Flask-Login user loader."""
    from portal.auth.models import User
    from portal.auth.views import bp

    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录。"
    login_manager.user_loader(lambda user_id: db.session.get(User, int(user_id)))
    app.register_blueprint(bp)
