"""The intake blueprint: contributors' pages under /my/submissions, the editors' queue under /editor/intake
(routes in contributor_views.py and queue_views.py)."""

from __future__ import annotations

from flask import Blueprint, abort

from portal.extensions import db
from portal.intake.models import Submission

bp = Blueprint("intake", __name__, template_folder="templates", static_folder="static",
               static_url_path="/intake-static")


def get_submission_or_404(submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id)
    if submission is None:
        abort(404, "没有这份报送。")
    return submission
