"""Public pages are cached correctly: ETag and 304, a new ETag on every instance after a publish,
staff pages and signed-in readers never cached, and nobody gets a page rendered for someone else."""

from __future__ import annotations

import gzip

import pytest

from portal import create_app
from portal.cases.models import Area, Case
from portal.extensions import db
from tests.factories import make_case, make_taxonomy
from tests.helpers import login, logout
from tests.helpers.collections import make_collection

PUBLIC_URLS = ["/", "/cases", "/matrix", "/collections", "/api/v1/cases", "/search?q=廊桥"]


@pytest.fixture
def library(app):
    with app.app_context():
        make_taxonomy()
        make_case("庆元县廊桥议事", slug="langqiao", body="廊桥下议事。")
    return app


def another_instance(database_url, tmp_path):
    """A second app on the same database with its own instance dir (its own page cache and index)."""
    return create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                       "INSTANCE_DIR": str(tmp_path / "second-instance")})


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_a_public_page_has_a_strong_etag_and_answers_304(library, client, url):
    first = client.get(url)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert not etag.startswith("W/")
    control = first.headers["Cache-Control"]
    assert control.startswith("public, ") and "max-age=" in control and "stale-while-revalidate=" in control
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_a_304_lets_every_cache_keep_the_page_as_the_200_did(library, client, url):
    """A proxy or browser refreshes its stored copy's headers from the 304: a 304 saying no-store
    would make it drop the page it has just revalidated."""
    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
    assert "Cookie" in again.headers["Vary"] and "Cookie" in first.headers["Vary"]


def test_a_compressed_page_revalidates_with_its_own_etag(library, client):
    first = client.get("/cases", headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == "gzip"
    etag = first.headers["ETag"]
    again = client.get("/cases", headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304 and again.headers["ETag"] == etag


def test_a_cached_page_is_sent_compressed_as_stored_and_plain_to_readers_without_gzip(library, client):
    fresh = client.get("/cases/langqiao", headers={"Accept-Encoding": "gzip"})
    hit = client.get("/cases/langqiao", headers={"Accept-Encoding": "gzip"})
    assert hit.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in hit.headers["Vary"]
    assert hit.data == fresh.data and hit.headers["ETag"] == fresh.headers["ETag"]
    plain = [client.get("/cases/langqiao") for _ in range(2)]
    assert all("Content-Encoding" not in page.headers for page in plain)
    assert gzip.decompress(hit.data) == plain[0].data == plain[1].data
    assert plain[1].headers["ETag"] != hit.headers["ETag"]
    assert client.get("/cases/langqiao", headers={"If-None-Match": hit.headers["ETag"],
                                                  "Accept-Encoding": "gzip"}).status_code == 304


def test_a_publish_changes_the_etag_and_the_page_on_every_instance(library, database_url, tmp_path):
    instances = [library.test_client(), another_instance(database_url, tmp_path).test_client()]
    before = [client.get("/cases").headers["ETag"] for client in instances]
    assert [client.get("/cases").status_code for client in instances] == [200, 200]  # now cached
    with library.app_context():
        make_case("云和县梯田共富", slug="titian")
    for client, old in zip(instances, before, strict=True):
        page = client.get("/cases", headers={"If-None-Match": old})
        assert page.status_code == 200 and page.headers["ETag"] != old
        assert "云和县梯田共富" in page.get_data(as_text=True)


def test_an_unpublish_is_never_served_stale_from_the_cache(library, client):
    assert "庆元县廊桥议事" in client.get("/cases").get_data(as_text=True)
    with library.app_context():
        case = db.session.scalar(db.select(Case).where(Case.slug == "langqiao"))
        case.status = "draft"
        db.session.commit()
    assert "庆元县廊桥议事" not in client.get("/cases").get_data(as_text=True)
    assert client.get("/cases/langqiao").status_code == 404


def test_taxonomy_and_collection_changes_change_the_etag(library, client):
    etags = [client.get("/").headers["ETag"]]
    with library.app_context():
        db.session.scalar(db.select(Area).where(Area.slug == "quyu")).name = "区域统筹（新）"
        db.session.commit()
    etags.append(client.get("/").headers["ETag"])
    with library.app_context():
        make_collection([db.session.scalar(db.select(Case))], slug="langqiao-heji", title="廊桥合集")
    etags.append(client.get("/").headers["ETag"])
    assert len(set(etags)) == 3
    assert "区域统筹（新）" in client.get("/").get_data(as_text=True)


def test_a_draft_leaves_public_pages_and_their_etag_alone(library, client):
    etag = client.get("/cases").headers["ETag"]
    with library.app_context():
        make_case("尚未发布的草稿", slug="draft", status="draft")
    assert client.get("/cases", headers={"If-None-Match": etag}).status_code == 304


def test_staff_pages_are_never_cached(library, client, make_user):
    assert client.get("/login").headers["Cache-Control"] == "private, no-store"
    make_user("alice", "editor")
    login(client, "alice")
    for url in ("/editor/", "/editor/search-misses"):
        response = client.get(url)
        assert response.status_code == 200, url
        control = response.headers["Cache-Control"]
        assert "no-store" in control and "public" not in control and "ETag" not in response.headers


def test_a_signed_in_editor_never_gets_the_anonymous_copy(library, make_user):
    make_user("alice", "editor")
    reader, editor = library.test_client(), library.test_client()
    anonymous = reader.get("/matrix")
    assert "编辑台" not in anonymous.get_data(as_text=True)
    login(editor, "alice")
    page = editor.get("/matrix", headers={"If-None-Match": anonymous.headers["ETag"]})
    assert page.status_code == 200 and "编辑台" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "private, no-store" and "ETag" not in page.headers


def test_a_reader_never_gets_a_page_rendered_for_an_editor(library, make_user):
    make_user("alice", "editor")
    editor = library.test_client()
    login(editor, "alice")
    assert "编辑台" in editor.get("/collections").get_data(as_text=True)
    assert "编辑台" not in library.test_client().get("/collections").get_data(as_text=True)
    logout(editor)
    after_logout = editor.get("/collections")  # carries the "已退出登录" message: only for this visitor
    assert "已退出登录" in after_logout.get_data(as_text=True)
    assert after_logout.headers["Cache-Control"] == "private, no-store"
    assert "已退出登录" not in library.test_client().get("/collections").get_data(as_text=True)


def test_home_counts_and_the_matrix_follow_a_publish_and_an_unpublish(library, make_user):
    reader, editor = library.test_client(), library.test_client()
    make_user("alice", "editor")
    login(editor, "alice")  # signed in: no page cache, only the values kept per generation
    for client in (reader, editor):
        assert "已发布案例 <strong>1</strong>" in client.get("/").get_data(as_text=True)
    with library.app_context():
        case_id = make_case("云和县梯田共富", slug="titian", region_code="331125").id
    for client in (reader, editor):
        assert "已发布案例 <strong>2</strong>" in client.get("/").get_data(as_text=True)
        assert "（共 2 个）" in client.get("/matrix").get_data(as_text=True)
    with library.app_context():
        db.session.get(Case, case_id).status = "draft"
        db.session.commit()
    for client in (reader, editor):
        assert "已发布案例 <strong>1</strong>" in client.get("/").get_data(as_text=True)
        assert "（共 1 个）" in client.get("/matrix").get_data(as_text=True)


def test_a_deploy_with_other_code_never_serves_the_old_release_pages(library, client, tmp_path):
    before = client.get("/cases")
    library.extensions["caching"].release = "next-release"  # what a restart with changed templates computes
    after = client.get("/cases", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]


def test_the_release_fingerprint_follows_the_templates_and_the_code(tmp_path):
    from portal.caching.release import code_fingerprint

    (tmp_path / "cases" / "templates").mkdir(parents=True)
    page = tmp_path / "cases" / "templates" / "page.html"
    page.write_text("<h1>旧版</h1>", encoding="utf-8")
    (tmp_path / "views.py").write_text("VALUE = 1\n", encoding="utf-8")
    first = code_fingerprint(tmp_path)
    assert code_fingerprint(tmp_path) == first
    page.write_text("<h1>新版</h1>", encoding="utf-8")
    second = code_fingerprint(tmp_path)
    (tmp_path / "views.py").write_text("VALUE = 2\n", encoding="utf-8")
    assert len({first, second, code_fingerprint(tmp_path)}) == 3


def test_the_load_benchmark_reads_the_generation_from_the_etag(library, client):
    from bench.loadlib import etag_generation
    from portal.caching.generation import current

    with library.app_context():
        generation = current()
    for url in ("/cases", "/search?q=廊桥"):
        assert etag_generation(client.get(url).headers["ETag"]) == generation


def test_a_publish_turns_the_generation_over_once(library):
    """Each extra bump turns every cached page over again: under one publish a second, readers miss."""
    from portal.caching.generation import current

    with library.app_context():
        before = current()
        make_case("庆元县廊桥议事续篇", slug="langqiao-2", body="廊桥下议事。")  # indexed and related lists stored
        assert stored_related("langqiao") == ["langqiao-2"]
        assert current() == before + 1


def test_a_new_related_list_turns_over_that_case_page_only(library, client):
    from sqlalchemy.orm import Session

    from portal.search import related

    with library.app_context():
        make_case("云和县梯田共富", slug="titian", area_slug="fuwu")  # not in the same-area fallback
        langqiao, titian = (db.session.scalar(db.select(Case.id).where(Case.slug == slug))
                            for slug in ("langqiao", "titian"))
    with library.app_context(), Session(db.engine) as session:
        related.store(session, {langqiao: []}, as_of=10**9)
    case_etag, list_etag = (client.get(url).headers["ETag"] for url in ("/cases/langqiao", "/cases"))
    with library.app_context(), Session(db.engine) as session:
        related.store(session, {langqiao: [titian]}, as_of=10**9 + 1)
    page = client.get("/cases/langqiao", headers={"If-None-Match": case_etag})
    assert page.status_code == 200 and 'href="/cases/titian"' in page.get_data(as_text=True)
    assert client.get("/cases", headers={"If-None-Match": list_etag}).status_code == 304


def stored_related(slug: str) -> list[str]:
    from portal.cases.models import RelatedCase

    case_id = db.session.scalar(db.select(Case.id).where(Case.slug == slug))
    return list(db.session.scalars(db.select(Case.slug).join(RelatedCase, RelatedCase.related_id == Case.id)
                                   .where(RelatedCase.case_id == case_id).order_by(RelatedCase.rank)))


def test_the_load_benchmark_reports_a_worker_killed_by_a_native_crash():
    """A worker's SIGSEGV reached the readers only as connection resets; the benchmark must name it."""
    from bench.loadlib import worker_deaths

    log = "\n".join([
        "[2026-11-30 10:00:00 +0000] [101] [INFO] Booting worker with pid: 102",
        "Fatal Python error: Segmentation fault", "", "Current thread 0x00007f (most recent call first):",
        '  File "/srv/portal/search/ranking.py", line 80 in score', "", "Extension modules: markupsafe",
        "[2026-11-30 10:00:01 +0000] [101] [WARNING] Worker (pid:102) was sent SIGSEGV!",
        "[2026-11-30 10:00:02 +0000] [101] [INFO] Worker (pid:103) was sent SIGTERM!",
    ])
    deaths = worker_deaths(log)
    assert len(deaths) == 2
    assert "Segmentation fault" in deaths[0] and "ranking.py" in deaths[0]
    assert "was sent SIGSEGV" in deaths[1]
