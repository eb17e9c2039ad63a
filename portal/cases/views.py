"""Views for the cases feature."""

from flask import Blueprint, render_template
from sqlalchemy import select

from portal.cases.models import Case
from portal.extensions import db

bp = Blueprint("cases", __name__, template_folder="templates")


@bp.get("/")
def home():
    """Show the library's front page."""
    cases = db.session.scalars(select(Case).where(Case.status == "published").order_by(Case.title)).all()
    return render_template("cases/home.html", cases=cases)


@bp.get("/cases")
def case_list():
    """List published cases."""
    return home()
