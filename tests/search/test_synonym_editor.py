"""/editor/synonyms: editors manage synonym groups; role-checked, CSRF-protected, no-store, audited."""

from __future__ import annotations

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.search.models import SynonymGroup
from tests.helpers import csrf_token, login, post_form

PAGE = "/editor/synonyms"


def audit_actions(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(entry.action, entry.target) for entry in db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.action.like("synonym.%")).order_by(AuditEntry.id))]


def group(app, term: str) -> SynonymGroup | None:
    with app.app_context():
        found = db.session.scalar(db.select(SynonymGroup).where(SynonymGroup.term == term))
        if found is not None:
            db.session.expunge(found)
        return found


def test_signed_out_visitors_cannot_reach_the_page(client):
    assert client.get(PAGE).status_code in (302, 401)
    assert client.post(PAGE, data={"term": "a", "variants": "b"}).status_code in (302, 400, 401)


def test_an_editor_adds_changes_and_deletes_a_group_each_audited(app, client, make_user):
    make_user("alice", "editor")
    login(client, "alice")
    response = client.get(PAGE)
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    response = post_form(client, PAGE, {"term": "调解组织", "variants": "老娘舅、调解员\n人民调解员"})
    assert response.status_code == 302
    assert group(app, "调解组织").variants == ["老娘舅", "调解员", "人民调解员"]
    group_id = group(app, "调解组织").id
    response = post_form(client, f"{PAGE}/{group_id}", {"term": "调解组织", "variants": "老娘舅"})
    assert response.status_code == 302
    assert group(app, "调解组织").variants == ["老娘舅"]
    response = post_form(client, f"{PAGE}/{group_id}/delete", form_url=PAGE)
    assert response.status_code == 302
    assert group(app, "调解组织") is None
    assert audit_actions(app) == [("synonym.create", "调解组织"), ("synonym.update", "调解组织"),
                                  ("synonym.delete", "调解组织")]


def test_a_word_already_in_another_group_is_refused_with_a_chinese_message(app, client, make_user):
    make_user("alice", "editor")
    login(client, "alice")
    post_form(client, PAGE, {"term": "网格员", "variants": "网格干部"})
    response = post_form(client, PAGE, {"term": "专职网格员", "variants": "网格干部"})
    assert response.status_code == 400
    assert "“网格干部”已在“网格员”一组中" in response.get_data(as_text=True)
    assert group(app, "专职网格员") is None
    assert audit_actions(app) == [("synonym.create", "网格员")]


def test_posting_without_the_csrf_token_changes_nothing(app, client, make_user):
    make_user("alice", "editor")
    login(client, "alice")
    csrf_token(client, PAGE)
    response = client.post(PAGE, data={"term": "调解组织", "variants": "老娘舅"})
    assert response.status_code == 400
    assert group(app, "调解组织") is None
