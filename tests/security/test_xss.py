"""XSS payloads in every field people can type into are rendered inert on every page that shows them.

The pages are found by walking the URL map (logged in as an admin, who may see every page), so new
pages are covered as soon as they are registered.
"""

from __future__ import annotations

import itertools
from urllib.parse import urlsplit

import pytest
from werkzeug.routing.converters import IntegerConverter
from werkzeug.security import generate_password_hash

from portal import create_app
from portal.audit.models import AuditEntry
from portal.auth.models import User
from portal.cases.models import Area, Region, Revision, Tag
from portal.collections.models import Collection, CollectionItem
from portal.editor.models import ReviewEvent
from portal.extensions import db
from portal.markdown import render_markdown
from tests.factories import make_case, make_taxonomy
from tests.helpers import login
from tests.helpers.database import empty_all_tables
from tests.security.inert import Checked, check_html, check_response
from tests.security.routewalk import is_static, routes_to

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '"><script>alert(1)</script>',
    "<iframe src=javascript:alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<scr<script>ipt>alert(1)</script>",
    "<<img/src/onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "' onmouseover='alert(1)",
]
# Markdown-only tricks for bodies and intros, on top of the raw HTML payloads.
MARKDOWN_TRICKS = "[点我](javascript:alert(1))\n\n![图](data:image/svg+xml;base64,PHN2Zz4=)\n\n<div onclick=\"alert(1)\">块</div>"
ADMIN = "xss-admin"


def body_with(payload: str) -> str:
    return f"## 背景\n\n{payload}\n\n正文 {payload} 结束。\n\n{MARKDOWN_TRICKS}\n"


def seed_payloads() -> dict:
    """Put every payload into titles, summaries, tags, bodies, names, comments and the audit log."""
    make_taxonomy()
    admin = add_user(ADMIN, "admin", "管理员")
    region = Region(code="331102-xss", name=PAYLOADS[0], kind="township",
                    parent=db.session.scalar(db.select(Region).where(Region.code == "331102")))
    db.session.add(region)
    db.session.commit()
    cases, users = [], []
    for number, payload in enumerate(PAYLOADS):
        user = add_user(f"xss{number}", "editor", payload[:64])
        users.append(user)
        cases.append(payload_case(number, payload, "published", region.code if number == 0 else "331100"))
        cases.append(payload_case(number, payload, ("draft", "in_review")[number % 2], "331102"))
    for user in [add_user(name, "reviewer", name) for name in ("<svg/onload=alert(1)>", "<scr<script>ipt>")]:
        users.append(user)
    add_history(cases, users, admin)
    add_collection(cases)
    db.session.commit()
    return {"cases": cases, "users": users, "region": region}


def add_user(username: str, role: str, display_name: str) -> User:
    user = User(username=username, role=role, display_name=display_name,
                password_hash=generate_password_hash("correct horse battery", method="scrypt:1024:8:1"))
    db.session.add(user)
    db.session.flush()
    return user


def payload_case(number: int, payload: str, status: str, region_code: str):
    return make_case(f"案例{number} {payload}", slug=f"xss-{status}-{number}", summary=f"摘要 {payload}",
                     tags=(payload[:64], f"标签{number}"), body=body_with(payload), status=status,
                     region_code=region_code, place=payload[:60], commit=False)


def add_history(cases, users, admin) -> None:
    db.session.flush()
    for case, user, payload in zip(cases, itertools.cycle(users), itertools.cycle(PAYLOADS), strict=False):
        Revision.record(case, user, comment=payload[:500])
        db.session.add(ReviewEvent(case=case, actor=user, action="return", comment=payload))
        db.session.add(AuditEntry(actor=user, action="case.publish", target=payload[:200], detail={"comment": payload}))
    db.session.add(AuditEntry(actor=admin, action=PAYLOADS[1][:64], target="x", detail={PAYLOADS[0]: PAYLOADS[2]}))


def add_collection(cases) -> None:
    intro = body_with(PAYLOADS[1])
    collection = Collection(slug="xss-collection", title=PAYLOADS[0], audience=PAYLOADS[6], intro_md=intro,
                            intro_html=render_markdown(intro).html, published=True)
    for position, case in enumerate(case for case in cases if case.status == "published"):
        collection.items.append(CollectionItem(case=case, position=position, note_md=body_with(PAYLOADS[position]),
                                               questions=[PAYLOADS[position]]))
    db.session.add(collection)


def argument_values(app) -> dict:
    """Candidate values for URL arguments, by the argument's name, drawn from the seeded rows."""
    with app.app_context():
        names = lambda column: list(db.session.scalars(db.select(column)))  # noqa: E731
        slugs = names(Area.slug) + [f"xss-{s}-{n}" for s in ("published", "draft", "in_review")
                                    for n in range(len(PAYLOADS))] + ["xss-collection"]
        return {"slug": slugs, "code": names(Region.code), "name": names(Tag.name) + names(User.username),
                "username": names(User.username), "int": [1, 2, 3], "user_id": names(User.id)}


def candidate_urls(app, rule, values: dict):
    """Yield every URL for `rule` built from the candidate values that actually routes to it."""
    adapter = app.url_map.bind("localhost")
    choices = []
    for name in sorted(rule.arguments):
        if name in values:
            choices.append(values[name])
        elif isinstance(rule._converters[name], IntegerConverter):
            choices.append(values["int"])
        else:
            choices.append(values["slug"] + values["name"])
    for combination in itertools.product(*choices):
        url = adapter.build(rule.endpoint, dict(zip(sorted(rule.arguments), combination, strict=True)),
                            method="GET")
        if routes_to(adapter, url, "GET", rule):
            yield url


def page_rules(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not is_static(rule) and not rule.rule.endswith((".pdf", ".docx")):
            yield rule


def query_for(rule) -> str:
    # Search pages reflect the query back; feed them a payload and a word that finds the cases.
    return "?q=" + PAYLOADS[6] if "search" in rule.endpoint else ""


@pytest.fixture(scope="module")
def xss_app(database_url, tmp_path_factory):
    """One app for the whole module: seeding and walking every page once is the expensive part."""
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                      "INSTANCE_DIR": str(tmp_path_factory.mktemp("xss-instance"))})
    with app.app_context():
        empty_all_tables()
        seed_payloads()
    if "search" in app.cli.list_commands(None):
        result = app.test_cli_runner().invoke(args=["search", "reindex"])
        assert result.exit_code == 0, result.output
    yield app
    with app.app_context():
        empty_all_tables()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def pages(xss_app):
    """Fetch every GET page as the admin; return {url: (status, Checked)}."""
    client = xss_app.test_client()
    login(client, ADMIN)
    values = argument_values(xss_app)
    fetched = {}
    for rule in page_rules(xss_app):
        for url in candidate_urls(xss_app, rule, values):
            checked = fetch(client, url + query_for(rule))
            if checked is not None:
                fetched[url] = checked
    return fetched


def fetch(client, url: str):
    """GET `url`; return (status, Checked), or None for responses that are not markup."""
    try:
        response = client.get(url)
    except Exception as error:  # noqa: BLE001 - report the crash with the page that caused it
        return 500, Checked([f"raised {error!r}"], "", [])
    if response.status_code >= 500:
        return response.status_code, Checked([f"HTTP {response.status_code}"], "", [])
    checked = check_response(response)
    return None if checked is None else (response.status_code, checked)


def test_no_page_carries_executable_markup_from_content(pages):
    problems = [f"{url}: {problem}" for url, (_, checked) in pages.items() for problem in checked.problems]
    assert problems == [], "\n".join(problems[:60])


def test_every_post_form_on_every_page_carries_a_csrf_token(pages):
    unprotected = [f"{url}: form posting to {action}" for url, (_, checked) in pages.items()
                   for action in checked.unprotected_forms]
    assert unprotected == [], "\n".join(unprotected)
    assert any("/admin/users" in url for url, (status, checked) in pages.items() if status == 200)


def test_the_walk_really_visited_the_pages_that_show_the_payloads(pages):
    shown = {urlsplit(url).path for url, (status, _) in pages.items() if status == 200}
    must = {"/", "/admin/users", "/admin/audit"}
    must |= {f"/cases/xss-published-{number}" for number in range(len(PAYLOADS))}
    assert must <= shown, sorted(must - shown)
    for prefix in ("/cases", "/areas/", "/regions/", "/tags/", "/feed.atom", "/editor/", "/collections/",
                   "/search"):
        if any(url.startswith(prefix) for url in pages):
            assert any(path.startswith(prefix) for path in shown), f"no {prefix} page answered 200"


@pytest.mark.parametrize("number", range(len(PAYLOADS)))
def test_each_title_is_shown_as_plain_text_on_its_case_page(pages, number):
    status, checked = pages[f"/cases/xss-published-{number}"]
    assert status == 200
    assert f"案例{number} {PAYLOADS[number]}" in checked.text
    assert checked.problems == []


def test_names_and_comments_show_as_text_on_the_admin_pages(pages):
    users_text = pages["/admin/users"][1].text
    audit_text = pages["/admin/audit"][1].text
    for payload in PAYLOADS:
        assert payload[:64] in users_text
        assert payload[:200] in audit_text


def test_the_checker_itself_flags_each_payload_pasted_raw():
    # Guards the guard. "<scr<script>ipt>" is left out: raw, browsers read it as an unknown element
    # named "scr<script"; it only bites when a filter deletes the inner "<script>" once.
    for payload in PAYLOADS:
        if payload.startswith("<scr<script>"):
            continue
        problems = check_html(payload if payload.startswith("</") else f"<p>{payload}</p>").problems
        quoted = check_html(f"<input value='{payload}'>").problems
        assert problems or quoted, payload
