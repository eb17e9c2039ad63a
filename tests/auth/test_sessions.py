"""Sessions end on the server: a cookie copied before logout, a password change or expiry stops working."""

from __future__ import annotations

from datetime import timedelta

from portal.auth.models import StaffSession
from portal.extensions import db
from tests.helpers import csrf_token, login, logout

NEW = "a brand new passphrase"


def copy_cookie(source, target) -> None:
    """Give `target` the session cookie `source` has now, as a thief copying it would."""
    cookie = source.get_cookie("session")
    target.set_cookie("session", cookie.value)


def test_a_cookie_copied_before_logout_no_longer_works(app, client, make_user):
    make_user("wangfang", "editor")
    login(client, "wangfang")
    thief = app.test_client()
    copy_cookie(client, thief)
    assert thief.get("/editor/").status_code == 200, "the copy works while the session lives"
    logout(client)
    assert thief.get("/editor/").status_code == 302
    assert client.get("/editor/").status_code == 302


def test_logging_out_ends_only_that_browsers_session(app, client, make_user):
    make_user("wangfang", "editor")
    other = app.test_client()
    login(other, "wangfang")
    login(client, "wangfang")
    logout(client)
    assert other.get("/editor/").status_code == 200


def test_a_cookie_copied_before_a_password_change_no_longer_works(app, client, make_user):
    make_user("wangfang", "editor")
    login(client, "wangfang")
    thief = app.test_client()
    copy_cookie(client, thief)
    client.post("/account/password", data={
        "csrf_token": csrf_token(client, "/account/password"), "current_password": "correct horse battery",
        "new_password": NEW, "confirm_password": NEW})
    assert client.get("/editor/").status_code == 200
    assert thief.get("/editor/").status_code == 302


def test_a_session_ends_after_its_absolute_lifetime(app, client, make_user):
    make_user("wangfang", "editor")
    login(client, "wangfang")
    with app.app_context():
        for row in db.session.scalars(db.select(StaffSession)):
            row.expires_at = row.created_at + timedelta(hours=app.config["STAFF_SESSION_HOURS"]) - timedelta(days=1)
        db.session.commit()
    assert client.get("/editor/").status_code == 302


def test_the_lifetime_is_a_setting(app, client, make_user):
    app.config["STAFF_SESSION_HOURS"] = 2
    make_user("wangfang", "editor")
    login(client, "wangfang")
    with app.app_context():
        row = db.session.scalar(db.select(StaffSession))
        assert timedelta(hours=1, minutes=59) < row.expires_at - row.created_at <= timedelta(hours=2)


def test_the_database_keeps_only_a_hash_of_the_cookie_secret(app, client, make_user):
    make_user("wangfang", "editor")
    login(client, "wangfang")
    with app.app_context():
        stored = db.session.scalar(db.select(StaffSession.key_hash))
    with client.session_transaction() as session:
        secret = session["_user_id"].split(":", 1)[1]
    assert secret and secret not in stored
