"""A collection's four-eyes history belongs to the collection, not to its 网址名."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_migrate import upgrade
from sqlalchemy import select, text

from portal import create_app
from portal.collections.models import Collection, CollectionReviewEvent
from portal.extensions import db
from tests.collections.test_collection_review import setup, state  # noqa: F401 (fixture)
from tests.helpers.collections import page_form


def test_renaming_the_slug_keeps_who_changed_the_collection(app, setup):  # noqa: F811
    url, clients = setup
    reviewer, editor, other = clients["rev1"], clients["editor1"], clients["rev2"]
    reviewer.post(url, data=page_form(reviewer, url, title="审核人改过的标题"))
    assert editor.post(url, data=page_form(editor, url, slug="training-renamed")).status_code == 302
    refused = reviewer.post(url, data=page_form(reviewer, url, published="y"))
    assert refused.status_code == 403 and "不能自己发布" in refused.get_data(as_text=True)
    with app.app_context():
        collection = db.session.scalar(select(Collection).where(Collection.slug == "training-renamed"))
        assert collection.published is False
    assert other.post(url, data=page_form(other, url, published="y")).status_code == 302


def test_the_migration_carries_the_audit_history_over_by_id(tmp_path):
    app = create_app({"ENV_NAME": "testing", "INSTANCE_DIR": str(tmp_path),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite3'}"})
    at = datetime(2026, 11, 1, tzinfo=UTC)
    with app.app_context():
        upgrade(revision="i10_working_copies")
        db.session.execute(text(
            "INSERT INTO users (id, username, password_hash, role, display_name, active, created_at)"
            " VALUES (7, 'rev1', 'x', 'reviewer', '', 1, :at)"), {"at": at})
        db.session.execute(text(
            "INSERT INTO collections (id, slug, title, audience, intro_md, intro_html, rendered_with, featured,"
            " published, created_at, updated_at) VALUES (3, 'training', '合集', '', '', '', 1, 0, 0, :at, :at)"),
            {"at": at})
        for action, target in (("collection.update", "training"), ("collection.publish", "training"),
                               ("collection.update", "training"), ("collection.update", "gone-slug"),
                               ("user.create", "training")):
            db.session.execute(text("INSERT INTO audit_log (actor_id, action, target, detail, created_at)"
                                    " VALUES (7, :action, :target, '{}', :at)"), {"action": action, "target": target,
                                                                                 "at": at})
        db.session.commit()
        upgrade()
        events = db.session.scalars(select(CollectionReviewEvent).order_by(CollectionReviewEvent.id)).all()
        assert [(e.collection_id, e.actor_id, e.action) for e in events] == [
            (3, 7, "change"), (3, 7, "publish"), (3, 7, "change")]
        db.session.remove()
        db.engine.dispose()
