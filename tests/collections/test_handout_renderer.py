"""The background handout renderer never drops a change that arrives while the same handout renders."""

from __future__ import annotations

import threading

from portal.collections.handout_cache import BackgroundRenderer


def test_a_change_during_a_render_renders_that_handout_again(app):
    renderer = BackgroundRenderer(app)
    started, release = threading.Event(), threading.Event()
    editions: list[str] = []

    def first_edition():
        started.set()
        release.wait(10)
        editions.append("before the edit")

    renderer.submit("collection-1", first_edition)
    started.wait(10)
    renderer.submit("collection-1", lambda: editions.append("after the edit"))
    release.set()
    renderer.pool.shutdown(wait=True)
    assert editions == ["before the edit", "after the edit"]
    assert not renderer.busy("collection-1")


def test_a_repeated_change_while_rendering_renders_once_more_not_once_per_change(app):
    renderer = BackgroundRenderer(app)
    started, release = threading.Event(), threading.Event()
    runs: list[int] = []

    def slow():
        started.set()
        release.wait(10)
        runs.append(0)

    renderer.submit("case-7", slow)
    started.wait(10)
    for n in range(1, 4):
        renderer.submit("case-7", lambda n=n: runs.append(n))
    release.set()
    renderer.pool.shutdown(wait=True)
    assert runs == [0, 3]  # the newest change is rendered; the intermediate ones are superseded
