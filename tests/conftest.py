"""Fixtures shared by the whole suite: app, client, runner, and a database built by migrations."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask_migrate import upgrade

from portal import create_app
from portal.config import PROJECT_ROOT, database_url_for_tests
from portal.extensions import db
from tests.helpers.database import drop_everything, empty_all_tables

CONTENT_DIR = PROJECT_ROOT / "content"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """Migrate a fresh database once per run: PostgreSQL if TEST_DATABASE_URL is set, else SQLite."""
    url = database_url_for_tests() or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url,
                      "INSTANCE_DIR": str(tmp_path_factory.mktemp("migrate-instance"))})
    with app.app_context():
        drop_everything()
        upgrade()
        db.engine.dispose()
    return url


@pytest.fixture
def instance_dir(tmp_path) -> Path:
    path = tmp_path / "instance"
    path.mkdir()
    return path


@pytest.fixture
def app(database_url, instance_dir):
    """An app on the session's migrated database, emptied for this test, with its own instance dir."""
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                      "INSTANCE_DIR": str(instance_dir)})
    with app.app_context():
        empty_all_tables()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Return a function creating a staff account: make_user("alice", "editor", password=..., active=True).

    The default password is tests.helpers.DEFAULT_PASSWORD ("correct horse battery"); log in with
    tests.helpers.login(client, "alice"). The hash is scrypt with a small cost so tests stay fast.
    """
    from werkzeug.security import generate_password_hash

    from portal.auth.models import User

    def create(username: str, role: str = "editor", password: str = "correct horse battery",
               *, display_name: str = "", active: bool = True) -> User:
        with app.app_context():
            user = User(username=username, role=role, display_name=display_name, active=active,
                        password_hash=generate_password_hash(password, method="scrypt:1024:8:1"))
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return create


@pytest.fixture
def seeded_app(app):
    """The app with content/ imported: the taxonomy and the 20 published seed cases."""
    from portal.content.pipeline import import_content_dir

    with app.app_context():
        report = import_content_dir(CONTENT_DIR, progress=False)
        assert report.ok, "\n".join(str(problem) for problem in report.problems)
    return app


@pytest.fixture
def seeded_client(seeded_app):
    return seeded_app.test_client()
