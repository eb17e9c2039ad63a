"""Case pages per second from a preloaded gunicorn (2 workers, as gunicorn.conf.py sets them up) under wrk,
for bench/pages.py.

wrk (C) runs in its own process over 20 connections, cycling through the library's case pages with
gzip accepted, as browsers do. The first pass over the pages is not timed (it renders and caches
them); the timed run is what readers of a warm site get. Server CPU per request comes from the
workers' /proc counters, so a busy machine shows up as lower throughput, not as more CPU.
"""

from __future__ import annotations

import os
import time
import urllib.request
from pathlib import Path

from bench import wrk
from bench.procs import Gunicorn, portal_env
from portal.config import gunicorn_settings

WORKERS = 2
CONNECTIONS = 20
SECONDS = 15
OLD_CASES_PER_SECOND = 138  # issue 13: gunicorn, 2 workers, 20 keep-alive connections, before caching
TARGET_FACTOR = 4


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU of these processes so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def worker_class() -> str:
    """How gunicorn.conf.py sets the workers up: sync, or threaded with keep-alive."""
    threads = gunicorn_settings()["threads"]
    return f"gthread × {threads} threads, keep-alive" if threads > 1 else "sync, a connection per request"


def warm(url: str) -> None:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()


def measure(config: dict, case_paths: list[str], work: Path) -> dict:
    """Start gunicorn on the library, warm every case page once, then load them for SECONDS."""
    database_url = config["SQLALCHEMY_DATABASE_URI"]
    env = portal_env(database_url, Path(config["INSTANCE_DIR"]))  # production settings, request log on
    server = Gunicorn(env, work / "gunicorn-throughput.log", workers=WORKERS).start()
    try:
        server.wait_until_serving(timeout=600)
        for path in case_paths:  # as wrk asks: the page cache keeps a copy per Accept-Encoding
            warm(server.base_url + path)
        workers = server.worker_pids()
        cpu_before, started = cpu_seconds(workers), time.perf_counter()
        figures = wrk.run(server.port, {"case": case_paths}, CONNECTIONS, SECONDS, work)["case"]
        wall = time.perf_counter() - started
        cpu = cpu_seconds(workers) - cpu_before
    finally:
        server.stop()
    seconds = figures["duration_us"] / 1e6
    return {**figures, "per_second": figures["requests"] / seconds, "worker_class": worker_class(),
            "cpu_ms_per_request": cpu * 1000 / max(1, figures["requests"]), "wall_s": wall}


def report(figures: dict) -> None:
    rate = figures["per_second"]
    print(f"gunicorn {WORKERS} workers ({figures['worker_class']}), wrk {CONNECTIONS} connections {SECONDS} s, case pages (gzip): "
          f"{rate:.0f}/s = {rate / OLD_CASES_PER_SECOND:.1f}× the old {OLD_CASES_PER_SECOND}/s "
          f"(target ≥ {TARGET_FACTOR}×: {TARGET_FACTOR * OLD_CASES_PER_SECOND}/s) · "
          f"p50 {figures['p50_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms · "
          f"worker CPU {figures['cpu_ms_per_request']:.2f} ms/request · "
          f"5xx {figures['status_5xx']}, errors {figures['failed']} · load average {os.getloadavg()[0]:.1f}")
