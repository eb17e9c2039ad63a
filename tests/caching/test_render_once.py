"""After a publish turns the cached pages over, a page is rendered once per machine: a reader asking
for a page another worker is rendering waits for that worker's copy instead of rendering another."""

from __future__ import annotations

import gzip
import threading
import time

from portal.caching import http, rendering
from tests.factories import make_case, make_taxonomy

GZIP = {"Accept-Encoding": "gzip"}


def stored_key(app, path: str) -> str:
    with app.test_request_context(path, headers=GZIP):
        return http.stored_key(http.public_request())


def test_a_reader_is_served_the_copy_another_worker_is_rendering(app):
    with app.app_context():
        make_taxonomy()
        make_case("庆元县廊桥议事", slug="langqiao", body="廊桥下议事。")
    caching = app.extensions["caching"]
    key = stored_key(app, "/cases")
    held, _ = caching.render_locks.claim(key, lambda: None)  # another worker has begun rendering
    answers = []
    reader = threading.Thread(target=lambda: answers.append(app.test_client().get("/cases", headers=GZIP)))
    reader.start()
    time.sleep(0.2)
    assert answers == []  # waiting, not rendering its own copy
    caching.pages.set(key, (b"rendered by the other worker", [("Content-Type", "text/html; charset=utf-8")]))
    rendering.release(held)
    reader.join(timeout=10)
    assert answers[0].status_code == 200 and answers[0].data == b"rendered by the other worker"


def test_a_page_nobody_stored_is_rendered_by_the_reader_that_waited(app):
    with app.app_context():
        make_taxonomy()
        make_case("庆元县廊桥议事", slug="langqiao", body="廊桥下议事。")
    caching = app.extensions["caching"]
    held, _ = caching.render_locks.claim(stored_key(app, "/cases"), lambda: None)
    answers = []
    reader = threading.Thread(target=lambda: answers.append(app.test_client().get("/cases", headers=GZIP)))
    reader.start()
    time.sleep(0.1)
    rendering.release(held)  # the other worker's page was not cacheable (an error, a no-store answer)
    reader.join(timeout=10)
    assert answers[0].status_code == 200 and "庆元县廊桥议事" in page_text(answers[0])


def page_text(response) -> str:
    body = response.data
    return (gzip.decompress(body) if response.headers.get("Content-Encoding") == "gzip" else body).decode()
