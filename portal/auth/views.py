"""Views for the auth feature."""

from flask import Blueprint, redirect, url_for
from flask_login import logout_user

bp = Blueprint("auth", __name__, template_folder="templates")


@bp.post("/logout")
def logout():
    """Log the current user out."""
    logout_user()
    return redirect(url_for("cases.home"))
