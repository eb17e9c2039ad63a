"""The search-miss list: no full match is recorded (throttled per address), pruned, and answered by editors."""

from __future__ import annotations

from datetime import timedelta

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.search import misses
from portal.search.models import SearchMiss, SynonymGroup
from portal.timeutil import utcnow
from tests.helpers import login, post_form

LIST = "/editor/search-misses"


def reader(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def listed(app, state: str = "open") -> dict[str, tuple[int, bool]]:
    with app.app_context():
        return {row.normalized: (row.count, row.nothing_found) for row in misses.listed(state)}


def test_searches_without_a_full_match_are_recorded_not_only_empty_ones(seeded_app):
    client = reader(seeded_app, "10.0.0.1")
    client.get("/search?q=航天")            # nothing at all
    client.get("/search?q=网格 党建 航天")  # cases with 网格 and 党建, none with 航天
    client.get("/search?q=网格")              # a full match: not a miss
    client.get("/api/v1/search?q=元宇宙")     # the API counts too
    assert listed(seeded_app) == {"航天": (1, True), "网格 党建 航天": (1, False), "元宇宙": (1, True)}


def test_one_count_per_normalized_query_from_several_readers(seeded_app):
    reader(seeded_app, "10.0.0.1").get("/search?q=量子糾纏")
    reader(seeded_app, "10.0.0.2").get("/search?q=量子纠缠")
    reader(seeded_app, "10.0.0.3").get("/search?q=  量子纠缠 ")
    assert listed(seeded_app) == {"量子纠缠": (3, True)}


def test_one_address_cannot_flood_the_list(seeded_app):
    flooder = reader(seeded_app, "10.6.6.6")
    for _ in range(5):
        flooder.get("/search?q=航天")
    for number in range(60):
        flooder.get(f"/api/v1/search?q=刷屏{number}号")
    with seeded_app.app_context():
        recorded = db.session.scalar(db.select(db.func.count(SearchMiss.id)))
    assert listed(seeded_app)["航天"][0] == 1
    assert recorded == seeded_app.config["SEARCH_MISS_PER_CLIENT_HOUR"]
    reader(seeded_app, "10.0.0.9").get("/search?q=元宇宙")  # other readers are still heard
    assert "元宇宙" in listed(seeded_app)


def test_addresses_are_stored_only_as_a_keyed_hash(seeded_app):
    reader(seeded_app, "192.0.2.44").get("/search?q=航天")
    with seeded_app.app_context():
        client = db.session.scalar(db.select(SearchMiss.client))
    assert client and "192.0.2.44" not in client and len(client) == 32


def test_prune_misses_keeps_the_retention_period(seeded_app):
    with seeded_app.app_context():
        old = utcnow() - timedelta(days=181)
        db.session.add_all([SearchMiss(query="旧的", normalized="旧的", created_at=old),
                            SearchMiss(query="新的", normalized="新的", created_at=utcnow() - timedelta(days=179))])
        db.session.commit()
    result = seeded_app.test_cli_runner().invoke(args=["search", "prune-misses"])
    assert result.exit_code == 0 and "已删除 1 条 180 天前" in result.output
    assert set(listed(seeded_app)) == {"新的"}
    result = seeded_app.test_cli_runner().invoke(args=["search", "prune-misses", "--days", "30"])
    assert listed(seeded_app) == {}


def test_an_editor_marks_a_miss_answered_by_a_case(seeded_app, make_user):
    reader(seeded_app, "10.0.0.1").get("/search?q=航天")
    client = seeded_app.test_client()
    make_user("alice", "editor")
    login(client, "alice")
    page = client.get(f"{LIST}/answer?q=航天")
    assert page.status_code == 200 and "no-store" in page.headers["Cache-Control"]
    refused = post_form(client, f"{LIST}/answer", {"q": "航天", "action": "case", "case-case": "no-such-case"},
                        form_url=f"{LIST}/answer?q=航天")
    assert refused.status_code == 400 and "没有找到已发布的案例" in refused.get_data(as_text=True)
    done = post_form(client, f"{LIST}/answer", {"q": "航天", "action": "case",
                                                "case-case": "yingcun-minshi-cunliao"},
                     form_url=f"{LIST}/answer?q=航天")
    assert done.status_code == 302
    assert listed(seeded_app) == {}
    assert "航天" in listed(seeded_app, "answered")
    assert "由案例" in client.get(f"{LIST}?state=answered").get_data(as_text=True)
    with seeded_app.app_context():
        entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "search_miss.answer"))
        assert entry.target == "航天" and entry.detail == {"case": "yingcun-minshi-cunliao"}


def test_an_editor_answers_a_miss_with_a_synonym_that_search_uses_at_once(seeded_app, make_user):
    reader(seeded_app, "10.0.0.1").get("/search?q=老娘舅")
    client = seeded_app.test_client()
    make_user("alice", "editor")
    login(client, "alice")
    response = post_form(client, f"{LIST}/answer", {"q": "老娘舅", "action": "synonym", "synonym-term": "调解组织"},
                         form_url=f"{LIST}/answer?q=老娘舅")
    assert response.status_code == 302
    with seeded_app.app_context():
        group = db.session.scalar(db.select(SynonymGroup).where(SynonymGroup.term == "调解组织"))
        assert group.variants == ["老娘舅"]
        actions = [e.action for e in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["synonym.create", "search_miss.answer"]
    html = client.get("/search?q=老娘舅").get_data(as_text=True)
    assert "已同时搜索：老娘舅 → 调解组织" in html


def test_the_list_is_for_editors_only_and_answers_need_the_csrf_token(seeded_app, make_user):
    reader(seeded_app, "10.0.0.1").get("/search?q=航天")
    client = seeded_app.test_client()
    assert client.get(LIST).status_code in (302, 401)
    assert client.get(f"{LIST}/answer?q=航天").status_code in (302, 401)
    make_user("alice", "editor")
    login(client, "alice")
    html = client.get(LIST).get_data(as_text=True)
    assert "航天" in html and "没有结果" in html
    response = client.post(f"{LIST}/answer", data={"q": "航天", "action": "case",
                                                   "case-case": "yingcun-minshi-cunliao"})
    assert response.status_code == 400
    assert "航天" in listed(seeded_app)
