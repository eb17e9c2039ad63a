"""Failed logins are throttled per account and per address, the same way for real and unknown names."""

from __future__ import annotations

import re
from datetime import timedelta

from portal.auth.models import LoginAttempt
from portal.extensions import db
from portal.timeutil import utcnow
from tests.helpers import csrf_token, login

TOO_MANY = re.compile(r"尝试次数过多，请 (\d+) 分钟后再试")


def fail(client, username, times, address="10.0.0.1"):
    for _ in range(times):
        client.environ_base["REMOTE_ADDR"] = address
        response = login(client, username, "wrong password!", check=False)
        assert response.status_code == 200
    return response


def try_correct(client, username, address="10.0.0.1"):
    client.environ_base["REMOTE_ADDR"] = address
    return login(client, username, check=False)


def test_account_is_locked_after_max_failures_even_for_the_right_password(app, client, make_user):
    make_user("wangfang", "editor")
    fail(client, "wangfang", app.config["LOGIN_MAX_FAILURES"])
    response = try_correct(client, "wangfang")
    assert response.status_code == 429
    minutes = int(TOO_MANY.search(response.get_data(as_text=True)).group(1))
    assert minutes == app.config["LOGIN_WINDOW_SECONDS"] // 60
    assert client.get("/account/password").status_code == 302


def test_one_failure_fewer_than_the_limit_still_lets_the_owner_in(app, client, make_user):
    make_user("wangfang", "editor")
    fail(client, "wangfang", app.config["LOGIN_MAX_FAILURES"] - 1)
    assert try_correct(client, "wangfang").status_code == 302


def test_account_lock_holds_from_another_address(app, client, make_user):
    make_user("wangfang", "editor")
    fail(client, "wangfang", app.config["LOGIN_MAX_FAILURES"], address="10.0.0.1")
    assert try_correct(client, "wangfang", address="10.9.9.9").status_code == 429


def test_address_is_locked_after_failures_spread_over_many_usernames(app, client, make_user):
    make_user("wangfang", "editor")
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 12
    for number in range(12):
        fail(client, f"guess{number}", 1, address="10.0.0.7")
    assert try_correct(client, "wangfang", address="10.0.0.7").status_code == 429
    assert try_correct(client, "wangfang", address="10.0.0.8").status_code == 302


def test_unknown_username_is_throttled_with_the_same_message(app, client, make_user):
    make_user("wangfang", "editor")
    limit = app.config["LOGIN_MAX_FAILURES"]
    fail(client, "wangfang", limit, address="10.0.0.1")
    fail(client, "nobody", limit, address="10.0.0.2")
    real = try_correct(client, "wangfang", address="10.0.0.3")
    unknown = try_correct(client, "nobody", address="10.0.0.4")
    assert real.status_code == unknown.status_code == 429
    assert TOO_MANY.search(real.get_data(as_text=True)).group(0) == TOO_MANY.search(
        unknown.get_data(as_text=True)).group(0)


def test_failures_older_than_the_window_do_not_count(app, client, make_user):
    make_user("wangfang", "editor")
    old = utcnow() - timedelta(seconds=app.config["LOGIN_WINDOW_SECONDS"] + 60)
    with app.app_context():
        for _ in range(app.config["LOGIN_MAX_FAILURES"] * 2):
            db.session.add(LoginAttempt(username="wangfang", address="10.0.0.1", succeeded=False,
                                        created_at=old))
        db.session.commit()
    assert try_correct(client, "wangfang").status_code == 302


def test_minutes_left_shrink_as_the_oldest_failure_ages(app, client, make_user):
    make_user("wangfang", "editor")
    window = app.config["LOGIN_WINDOW_SECONDS"]
    aged = utcnow() - timedelta(seconds=window - 150)  # the oldest failure leaves the window in 2.5 min
    with app.app_context():
        for _ in range(app.config["LOGIN_MAX_FAILURES"]):
            db.session.add(LoginAttempt(username="wangfang", address="10.0.0.1", succeeded=False,
                                        created_at=aged))
        db.session.commit()
    response = try_correct(client, "wangfang", address="10.0.0.2")
    assert TOO_MANY.search(response.get_data(as_text=True)).group(1) == "3"


def test_successful_login_resets_the_account_count(app, client, make_user):
    make_user("wangfang", "editor")
    limit = app.config["LOGIN_MAX_FAILURES"]
    fail(client, "wangfang", limit - 1, address="10.0.0.1")
    assert try_correct(client, "wangfang", address="10.0.0.2").status_code == 302
    client.delete_cookie("session")
    fail(client, "wangfang", limit - 1, address="10.0.0.3")
    assert try_correct(client, "wangfang", address="10.0.0.4").status_code == 302


def test_every_try_is_recorded(app, client, make_user):
    make_user("wangfang", "editor")
    fail(client, "WangFang", 2)
    try_correct(client, "wangfang")
    with app.app_context():
        rows = db.session.scalars(db.select(LoginAttempt).order_by(LoginAttempt.id)).all()
        assert [(row.username, row.address, row.succeeded) for row in rows] == [
            ("wangfang", "10.0.0.1", False), ("wangfang", "10.0.0.1", False), ("wangfang", "10.0.0.1", True)]


def test_attempts_older_than_thirty_days_are_pruned(app, client, make_user):
    make_user("wangfang", "editor")
    with app.app_context():
        db.session.add(LoginAttempt(username="old", address="10.0.0.1", created_at=utcnow() - timedelta(days=31)))
        db.session.add(LoginAttempt(username="recent", address="10.0.0.1", created_at=utcnow() - timedelta(days=29)))
        db.session.commit()
    try_correct(client, "wangfang")
    with app.app_context():
        assert set(db.session.scalars(db.select(LoginAttempt.username))) == {"recent", "wangfang"}


def test_thirty_parallel_wrong_passwords_get_exactly_the_allowed_checks(app, make_user, monkeypatch):
    import threading
    import time

    from portal.auth import views

    make_user("wangfang", "editor")
    checks, lock = [], threading.Lock()
    real_verify = views.verify_password

    def slow_verify(password_hash, password):
        with lock:
            checks.append(password)
        time.sleep(0.05)  # a real scrypt check takes this long: the window a racing attempt slips into
        return real_verify(password_hash, password)

    monkeypatch.setattr(views, "verify_password", slow_verify)
    clients = [app.test_client() for _ in range(30)]
    tokens = [csrf_token(client, "/login") for client in clients]
    start = threading.Barrier(len(clients))
    statuses = []

    def guess(client, token):
        start.wait()
        response = client.post("/login", data={"username": "wangfang", "password": "wrong password!",
                                               "csrf_token": token}, environ_base={"REMOTE_ADDR": "10.0.0.1"})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=guess, args=pair) for pair in zip(clients, tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checks) == app.config["LOGIN_MAX_FAILURES"]
    assert sorted(statuses) == [200] * 5 + [429] * 25


def test_colleagues_behind_one_address_are_not_locked_out_by_one_persons_typos(app, client, make_user):
    make_user("wangfang", "editor")
    make_user("lisi", "editor")
    fail(client, "wangfang", app.config["LOGIN_MAX_FAILURES"], address="10.0.0.1")
    assert try_correct(client, "wangfang", address="10.0.0.1").status_code == 429
    assert try_correct(client, "lisi", address="10.0.0.1").status_code == 302


def test_the_address_ceiling_is_its_own_much_higher_setting(app):
    assert app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] >= 5 * app.config["LOGIN_MAX_FAILURES"]
