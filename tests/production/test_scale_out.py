"""Two instances, separate index directories, one shared PostgreSQL: they behave like two servers."""

from __future__ import annotations

import time

import pytest

from bench.loadlib import search_token, start_publisher
from tests.helpers.production import caught_up, searchable, wait_for

pytestmark = pytest.mark.slow


def publish(env: dict, run_id: str, count: int) -> list[str]:
    """Publish `count` cases with the editor process (bench/publisher.py); return their slugs."""
    publisher = start_publisher(env, run_id, 0.0, count)
    output, _ = publisher.communicate(timeout=120)
    assert publisher.returncode == 0
    return output.split()


def test_a_case_published_through_one_instance_is_found_on_the_other(shared_postgres, instances):
    instances.portal("a", "content", "import")
    first = instances.start("a", workers=1)
    second = instances.start("b", workers=1)
    assert first.env["PORTAL_INSTANCE_DIR"] != second.env["PORTAL_INSTANCE_DIR"]
    # Each instance built its own index from the shared database at start-up.
    for server in (first, second):
        assert wait_for(lambda server=server: caught_up(server), 60, message="index built")["search"]["documents"] == 20

    [slug] = publish(instances.env("a"), "scaleout", 1)
    token = search_token("scaleout", 0)
    committed = time.monotonic()
    wait_for(lambda: searchable(second, token, slug), timeout=10, message="published case searchable on b")
    print(f"published through a, searchable on b {time.monotonic() - committed:.2f} s after the editor exited")
    wait_for(lambda: searchable(first, token, slug), timeout=10, message="published case searchable on a")

    status, detail = second.get_json(f"/api/v1/cases/{slug}")
    assert status == 200 and token in detail["title"]


def test_an_instance_that_was_down_catches_up_when_it_starts(shared_postgres, instances):
    instances.portal("a", "content", "import")
    instances.portal("b", "search", "reindex")
    slugs = publish(instances.env("a"), "catchup", 3)
    # b's index was built before those publishes; it must apply them from the shared outbox.
    second = instances.start("b", workers=1)
    for number, slug in enumerate(slugs):
        wait_for(lambda number=number, slug=slug: searchable(second, search_token("catchup", number), slug),
                 timeout=10, message=f"{slug} searchable on b")
    assert wait_for(lambda: caught_up(second), 10, message="b caught up")["search"]["documents"] == 23
