"""Cached HTML remembers the renderer that made it: stale rows show fresh HTML and `portal content rerender` stores it."""

from __future__ import annotations

from sqlalchemy import select, update

from portal.cases.models import Case
from portal.collections.models import Collection
from portal.extensions import db
from portal.markdown import RENDERER_VERSION
from tests.factories import make_case, make_taxonomy

OLD_HTML = "<p>旧渲染器留下的<script>alert(1)</script></p>"


def store_as_an_old_renderer_did(model, slug: str, column: str) -> None:
    """Write HTML an older (here: unsafe) renderer made, marked with an older version."""
    table = model.__table__
    db.session.execute(update(table).where(table.c.slug == slug).values({column: OLD_HTML, "rendered_with": 0}))
    db.session.commit()


def stored(model, slug: str, column: str) -> tuple[str, int]:
    table = model.__table__
    return db.session.execute(select(table.c[column], table.c.rendered_with).where(table.c.slug == slug)).one()


def test_a_stale_case_page_shows_fresh_html_without_writing(app, client):
    with app.app_context():
        make_taxonomy()
        make_case("旧案例", slug="old-case", body="## 背景\n\n新的**正文**。")
        store_as_an_old_renderer_did(Case, "old-case", "body_html")
    html = client.get("/cases/old-case").get_data(as_text=True)
    assert "<strong>正文</strong>" in html and "alert(1)" not in html
    with app.app_context():
        assert stored(Case, "old-case", "body_html") == (OLD_HTML, 0)


def test_rerender_stores_fresh_html_for_stale_rows_only_and_is_no_edit(app, runner):
    with app.app_context():
        make_taxonomy()
        case = make_case("旧案例", slug="old-case", body="新的**正文**。")
        make_case("新案例", slug="new-case", body="正文。")
        db.session.add(Collection(slug="old-set", title="合集", intro_md="导言*强调*。", intro_html="", published=True))
        db.session.commit()
        store_as_an_old_renderer_did(Case, "old-case", "body_html")
        store_as_an_old_renderer_did(Collection, "old-set", "intro_html")
        version, updated = case.version, case.updated_at
    result = runner.invoke(args=["content", "rerender"])
    assert result.exit_code == 0, result.output
    assert "案例 1 条" in result.output and "合集 1 条" in result.output
    with app.app_context():
        assert stored(Case, "old-case", "body_html") == ("<p>新的<strong>正文</strong>。</p>", RENDERER_VERSION)
        assert stored(Collection, "old-set", "intro_html") == ("<p>导言<em>强调</em>。</p>", RENDERER_VERSION)
        case = db.session.scalar(select(Case).where(Case.slug == "old-case"))
        assert (case.version, case.updated_at) == (version, updated)
    assert "案例 0 条" in runner.invoke(args=["content", "rerender"]).output
    assert "案例 2 条" in runner.invoke(args=["content", "rerender", "--all"]).output


def test_rerender_turns_cached_public_pages_over(app, client, runner):
    with app.app_context():
        make_taxonomy()
        make_case("旧案例", slug="old-case", body="新的**正文**。")
        store_as_an_old_renderer_did(Case, "old-case", "body_html")
    etag = client.get("/cases/old-case").headers["ETag"]
    assert runner.invoke(args=["content", "rerender"]).exit_code == 0
    assert client.get("/cases/old-case", headers={"If-None-Match": etag}).status_code == 200
