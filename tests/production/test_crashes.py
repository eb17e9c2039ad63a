"""kill -9 in the middle of publishing, and start-up on a lost or damaged index: nothing is lost."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from bench import loadlib
from bench.loadlib import search_token
from tests.helpers import DEFAULT_PASSWORD
from tests.helpers.editor_client import Browser, publish_through_the_site
from tests.helpers.production import caught_up, searchable, wait_for

pytestmark = pytest.mark.slow

PUBLISHES = 24


def start_publisher(env: dict, run_id: str, count: int = PUBLISHES, interval: float = 0.15) -> subprocess.Popen:
    """Start an editor process (bench/publisher.py) once it is loaded and about to publish."""
    return loadlib.start_publisher(env, run_id, interval, count)


def committed_slugs(publisher: subprocess.Popen) -> list[str]:
    """Every slug the editor process reported as committed (it prints only after COMMIT)."""
    output, _ = publisher.communicate(timeout=120)
    return output.split()


def index_lock_holders(instance_dir: str) -> set[int]:
    """Pids holding a lock on this instance's index write-lock file right now (from /proc/locks)."""
    live = Path(os.path.realpath(Path(instance_dir) / "search-index"))
    try:
        inode = (live / "MAIN_WRITELOCK").stat().st_ino
    except OSError:
        return set()
    holders = set()
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        # "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF" (blocked waiters carry a "->" marker)
        if "->" not in fields and len(fields) >= 6 and fields[5].rsplit(":", 1)[-1] == str(inode):
            holders.add(int(fields[4]))
    return holders


def assert_everything_kept_and_no_drift(instances, name: str, runs: dict[str, list[str]],
                                        confirmed: dict[str, str] | None = None) -> None:
    """Restart the instance; every committed case is served and found; verify reports no drift.

    `runs` maps an editor process's run id to the slugs it printed; `confirmed` maps slugs the
    site confirmed as published to a word only that case contains.
    """
    server = instances.start(name, workers=2)
    wait_for(lambda: caught_up(server), 60, message="index caught up after restart")
    expected = dict(confirmed or {})
    for run_id, slugs in runs.items():
        expected.update({slug: search_token(run_id, number) for number, slug in enumerate(slugs)})
    for slug, token in expected.items():
        status, _ = server.get_json(f"/api/v1/cases/{slug}")
        assert status == 200, f"{slug} was committed but is gone"
        assert searchable(server, token, slug), f"{slug} is not searchable"
    result = instances.portal(name, "search", "verify", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert_no_drift(result.stdout)


def assert_no_drift(report: str) -> None:
    from tests.helpers.production import DRIFT

    counts = {kind.lower(): int(number) for kind, number in DRIFT.findall(report)}
    assert counts and not any(counts.values()), report


def kill_workers_repeatedly(server, stop: threading.Event, killed: list[int], every: float = 0.7) -> None:
    """kill -9 one of the server's workers every `every` seconds until told to stop (at most 5)."""
    while not stop.wait(every) and len(killed) < 5:
        workers = server.worker_pids()
        if workers:
            victim = random.choice(workers)
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)


def test_kill_9_of_workers_while_editors_publish_through_them_loses_nothing(fresh_database, instances):
    instances.portal("one", "content", "import")
    for username, role in (("zhang", "editor"), ("li", "reviewer")):
        instances.portal("one", "users", "create", username, "--role", role, "--password-stdin",
                         stdin=DEFAULT_PASSWORD + "\n")
    # Development settings: the session cookie is not Secure, so it travels over plain http.
    server = instances.start("one", workers=2, PORTAL_ENV="development")
    editor, reviewer = Browser(server.base_url, "zhang").login(), Browser(server.base_url, "li").login()

    stop, killed = threading.Event(), []
    killer = threading.Thread(target=kill_workers_repeatedly, args=(server, stop, killed))
    killer.start()
    outcomes = {}
    try:
        for number in range(PUBLISHES):
            slug = f"kill-worker-{number}"
            outcomes[slug] = publish_through_the_site(editor, reviewer, slug, f"责任交接演练 {slug}",
                                                      f"## 做法\n\n演练编号 {search_token('kw', number)}。")
    finally:
        stop.set()
        killer.join()
    published = [slug for slug, outcome in outcomes.items() if outcome == "published"]
    print(f"killed workers {killed}; outcomes: {sorted(outcomes.values())}")
    assert len(killed) >= 2
    assert len(published) >= PUBLISHES // 2, outcomes
    assert not [outcome for outcome in outcomes.values() if outcome.startswith("refused 5")], outcomes

    server.stop()
    # Every publish the site confirmed is kept; anything a dying worker committed is in the index too.
    assert_everything_kept_and_no_drift(
        instances, "one", {}, confirmed={slug: search_token("kw", int(slug.rsplit("-", 1)[1]))
                                                 for slug in published})


class PublishingStream:
    """Editor processes publishing back to back; a killed one is replaced by a fresh one."""

    def __init__(self, env: dict, prefix: str, count: int, interval: float):
        self.env, self.prefix, self.count, self.interval = env, prefix, count, interval
        self.finished: dict[str, list[str]] = {}
        self.current: subprocess.Popen | None = None
        self.run_id = ""
        self.restart()

    def restart(self) -> None:
        self.run_id = f"{self.prefix}{len(self.finished)}"
        self.current = start_publisher(self.env, self.run_id, self.count, self.interval)

    def replace_killed(self) -> None:
        self.finished[self.run_id] = committed_slugs(self.current)
        self.restart()

    def finish(self) -> dict[str, list[str]]:
        self.finished[self.run_id] = committed_slugs(self.current)
        return self.finished


def test_kill_9_of_the_index_lock_holder_while_publishing_loses_nothing(fresh_database, instances):
    instances.portal("one", "content", "import")
    server = instances.start("one", workers=2)
    wait_for(lambda: caught_up(server), 60, message="initial index built")
    instance_dir = server.env["PORTAL_INSTANCE_DIR"]
    stream = PublishingStream(instances.env("one"), "killholder", count=30, interval=0.1)
    killed = []
    deadline = time.monotonic() + 40
    while stream.current.poll() is None and len(killed) < 3 and time.monotonic() < deadline:
        # Only processes this test started: the editor process and this server's workers.
        holders = index_lock_holders(instance_dir) & {stream.current.pid, *server.worker_pids()}
        for pid in holders:
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
            if pid == stream.current.pid:
                stream.replace_killed()
        time.sleep(0.5 if holders else 0.002)
    runs = stream.finish()
    print(f"killed lock holders {killed}; editor processes {len(runs)}, cases {sum(map(len, runs.values()))}")
    assert killed, "never caught a process holding the index write lock"
    assert len(runs[stream.run_id]) == 30, "the last editor process was not killed and published everything"
    server.stop()
    # A killed editor may have committed a case without living to print it: verify covers those too.
    assert_everything_kept_and_no_drift(instances, "one", runs)


def test_deleted_index_directory_is_rebuilt_while_the_site_keeps_serving(fresh_database, instances):
    instances.portal("one", "content", "import")
    instances.portal("one", "search", "reindex")
    live = Path(os.path.realpath(Path(instances.env("one")["PORTAL_INSTANCE_DIR"]) / "search-index"))
    for path in live.parent.glob("search-index*"):
        subprocess.run(["rm", "-rf", str(path)], check=True)

    server = instances.start("one", workers=2, wait=False)
    server.wait_until_serving(healthy=False)
    status, _ = server.get("/search?q=网格")
    assert status == 200  # the page answers during the rebuild (with a "rebuilding" notice or results)
    body = wait_for(lambda: caught_up(server), 60, message="index rebuilt by itself")
    assert body["search"]["documents"] == 20
    assert searchable(server, "阳光票决制", "huangnidun-yangguang-piaojue")
    assert_requests_logged_as_json_by_workers(server)


def assert_requests_logged_as_json_by_workers(server) -> None:
    """gunicorn's output holds one JSON line per request, written by a worker, not the master."""
    lines = [json.loads(line) for line in server.log().splitlines() if line.startswith('{"ts"')]
    searches = [line for line in lines if line["event"] == "request" and line["path"] == "/search"]
    assert searches and searches[0]["status"] == 200 and searches[0]["method"] == "GET"
    assert {line["pid"] for line in lines} - {server.process.pid}
    assert server.process.pid not in {line["pid"] for line in lines}
    assert all(line["duration_ms"] >= 0 and len(line["request_id"]) == 32 for line in lines)


def test_truncated_index_files_are_rebuilt_at_start_up(fresh_database, instances):
    instances.portal("one", "content", "import")
    instances.portal("one", "search", "reindex")
    live = Path(os.path.realpath(Path(instances.env("one")["PORTAL_INSTANCE_DIR"]) / "search-index"))
    damaged = [path for path in live.iterdir() if path.is_file() and path.suffix in (".toc", ".seg", "")]
    for path in damaged:
        with path.open("r+b") as handle:
            handle.truncate(path.stat().st_size // 3)
    assert damaged

    server = instances.start("one", workers=2, wait=False)
    server.wait_until_serving(healthy=False)
    assert server.get("/")[0] == 200
    wait_for(lambda: caught_up(server), 60, message="index recovered by itself")
    assert searchable(server, "阳光票决制", "huangnidun-yangguang-piaojue")
    result = instances.portal("one", "search", "verify", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert_no_drift(result.stdout)
