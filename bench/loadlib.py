"""The load benchmark's parts: instance setup, reader threads, the editor process, figures."""

from __future__ import annotations

import http.client
import itertools
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bench.procs import PROJECT_ROOT, Gunicorn, portal_command, portal_env
from portal.config import gunicorn_settings

SEARCH_QUERIES = ["网格", "矛盾纠纷", "阳光票决制", "民事村了", "责任交接", "四个平台", "警侨驿站",
                  "干部离任交接", "庆元", "域外网格", "村务公开", "矛调中心"]
PAGE_TYPES = ("home", "list", "case", "search")


@dataclass
class Sample:
    page_type: str
    status: int  # 0: no HTTP answer at all (connection reset, timeout)
    seconds: float
    error: str = ""


@dataclass
class Targets:
    """Paths readers pick from, per page type."""

    paths: dict[str, list[str]] = field(default_factory=dict)

    def pick(self, page_type: str, rng: random.Random) -> str:
        return rng.choice(self.paths[page_type])


def build_targets(server: Gunicorn) -> Targets:
    """Ask the running portal which cases exist and derive page URLs from them."""
    status, listing = server.get_json("/api/v1/cases?per_page=100")
    assert status == 200, f"/api/v1/cases answered {status}"
    slugs = [item["slug"] for item in listing["results"]]
    areas = {item["area"]["slug"] for item in listing["results"]}
    return Targets({
        "home": ["/"],
        "list": ["/cases", "/cases?page=2&per_page=5"] + [f"/cases?area={slug}" for slug in sorted(areas)],
        "case": [f"/cases/{urllib.parse.quote(slug)}" for slug in slugs],
        "search": [f"/search?q={urllib.parse.quote(query)}" for query in SEARCH_QUERIES],
    })


def read_forever(port: int, targets: Targets, deadline: float, samples: list, seed: int) -> None:
    """One reader: keep-alive GETs round the page types until the deadline."""
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for page_type in itertools.cycle(PAGE_TYPES):
        if time.monotonic() >= deadline:
            break
        samples.append(timed_get(connection, page_type, targets.pick(page_type, rng)))
        if samples[-1].status == 0:
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.close()


def timed_get(connection: http.client.HTTPConnection, page_type: str, path: str) -> Sample:
    """GET `path` on the kept-alive connection and time it until the body is read."""
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
        response = connection.getresponse()
        response.read()
        status = response.status
    except (OSError, http.client.HTTPException) as error:
        return Sample(page_type, 0, time.perf_counter() - started, type(error).__name__)
    return Sample(page_type, status, time.perf_counter() - started)


def run_readers(port: int, targets: Targets, readers: int, duration: float) -> tuple[list[Sample], float]:
    """Run `readers` threads for `duration` seconds; return every sample and the wall time."""
    samples: list[Sample] = []  # list.append is atomic: the threads share it safely
    deadline = time.monotonic() + duration
    threads = [threading.Thread(target=read_forever, args=(port, targets, deadline, samples, seed), daemon=True)
               for seed in range(readers)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + 60)
    return samples, time.monotonic() - started


def start_publisher(env: dict, run_id: str, interval: float, count: int | None = None) -> subprocess.Popen:
    """Start the editor process and wait until it is loaded; it then prints each published slug."""
    extra = [str(count)] if count is not None else []
    publisher = subprocess.Popen([sys.executable, str(PROJECT_ROOT / "bench" / "publisher.py"), run_id,
                                  str(interval), *extra], cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, text=True)
    if publisher.stdout.readline().strip() != "ready":
        publisher.kill()
        raise RuntimeError(f"the editor process did not start (exit {publisher.wait()})")
    return publisher


def stop_publisher(publisher: subprocess.Popen) -> list[str]:
    """Ask the editor to stop after its current case; return every slug it committed."""
    publisher.terminate()
    output, _ = publisher.communicate(timeout=30)
    return [line.strip() for line in output.splitlines() if line.strip()]


def unsearchable(server: Gunicorn, run_id: str, slugs: list[str], timeout: float) -> list[str]:
    """Return the published slugs /api/v1/search still cannot find after `timeout` seconds."""
    waiting = {slug: search_token(run_id, int(slug.rsplit("-", 1)[1])) for slug in slugs}
    deadline = time.monotonic() + timeout
    while waiting and time.monotonic() < deadline:
        for slug, token in list(waiting.items()):
            status, body = server.get_json(f"/api/v1/search?q={token}")
            if status == 200 and slug in {item["slug"] for item in body["results"]}:
                del waiting[slug]
        if waiting:
            time.sleep(0.5)
    return sorted(waiting)


def search_token(run_id: str, number: int) -> str:
    """A word that appears in exactly one published case, so search can find that case alone."""
    return f"loadbench{run_id}n{number:05d}"


def percentile(values: list[float], fraction: float) -> float:
    """Return the `fraction` quantile of `values` (inclusive method; 0 for no values)."""
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[round(fraction * 100) - 1]


def page_figures(samples: list[Sample]) -> dict:
    """Per page type: request count, 5xx, failed requests, p50/p95/max in ms."""
    by_type: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_type[sample.page_type].append(sample)
    figures = {}
    for page_type in PAGE_TYPES:
        group = by_type.get(page_type, [])
        millis = [sample.seconds * 1000 for sample in group]
        figures[page_type] = {
            "requests": len(group), "status_5xx": sum(500 <= s.status < 600 for s in group),
            "failed": sum(s.status == 0 for s in group),
            "failures": sorted({s.error for s in group if s.error}),
            "status_3xx_4xx": sum(300 <= s.status < 500 for s in group),
            "p50_ms": round(percentile(millis, 0.50), 1), "p95_ms": round(percentile(millis, 0.95), 1),
            "max_ms": round(max(millis, default=0.0), 1)}
    return figures


def prepare_instance(database_url: str | None, instance_dir: Path) -> dict:
    """Migrate, import content/ and build the index, as an operator's first deploy would."""
    url = database_url or f"sqlite:///{instance_dir / 'portal.sqlite3'}"
    env = portal_env(url, instance_dir)
    portal_command(env, "db", "upgrade")
    portal_command(env, "content", "import")
    portal_command(env, "search", "reindex")
    return env


def run_benchmark(args) -> dict:
    """Set up, load, publish, check; return the summary (figures and pass/fail)."""
    instance_dir = Path(tempfile.mkdtemp(prefix="portal-load-"))
    try:
        summary = serve_and_measure(args, prepare_instance(args.database_url, instance_dir), instance_dir)
    finally:
        if not args.keep:
            shutil.rmtree(instance_dir, ignore_errors=True)
    summary["instance_dir"] = str(instance_dir) if args.keep else None
    return summary


def serve_and_measure(args, env: dict, instance_dir: Path) -> dict:
    """Start gunicorn on the prepared instance, measure, stop; add the app's tracebacks."""
    workers = args.workers or gunicorn_settings()["workers"]  # WEB_CONCURRENCY, as in production
    server = Gunicorn(env, instance_dir / "gunicorn.log", workers=workers).start()
    try:
        server.wait_until_serving()
        summary = measure(server, env, uuid.uuid4().hex[:8], args)
    finally:
        server.stop()
    summary["server_errors"] = server_errors(server.log())
    return summary


def measure(server: Gunicorn, env: dict, run_id: str, args) -> dict:
    """Run readers and the editor together, then check searchability and summarize."""
    targets = build_targets(server)
    publisher = start_publisher(env, run_id, args.publish_interval)
    try:
        samples, wall = run_readers(server.port, targets, args.readers, args.duration)
    finally:
        published = stop_publisher(publisher)
    missing = unsearchable(server, run_id, published, args.search_timeout)
    pages = page_figures(samples)
    errors = sum(page["status_5xx"] + page["failed"] for page in pages.values())
    return {"readers": args.readers, "duration_s": round(wall, 1), "workers": server.env["WEB_CONCURRENCY"],
            "database": env["DATABASE_URL"].split(":", 1)[0], "requests": len(samples),
            "throughput_rps": round(len(samples) / wall, 1) if wall else 0.0, "pages": pages,
            "published": len(published), "unsearchable": missing, "publisher_exit": publisher.returncode,
            "passed": errors == 0 and not missing and len(published) > 0}


def server_errors(log: str, limit: int = 3) -> list[str]:
    """Return the first few tracebacks the app logged (a 5xx is explained there)."""
    errors, current = [], None
    for line in log.splitlines():
        if " ERROR in app: " in line:
            current = [line]
            errors.append(current)
        elif current is not None and not line.startswith(('{"ts"', "[")):
            current.append(line)
        else:
            current = None
    return ["\n".join(lines) for lines in errors[:limit]]


def report(summary: dict) -> str:
    """Format the summary as a small table for humans."""
    lines = [f"{summary['readers']} readers × {summary['duration_s']} s on {summary['database']}, "
             f"{summary['workers']} gunicorn workers: {summary['requests']} requests, "
             f"{summary['throughput_rps']} req/s",
             f"{'page':<8}{'requests':>10}{'5xx':>6}{'failed':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"]
    for name, page in summary["pages"].items():
        lines.append(f"{name:<8}{page['requests']:>10}{page['status_5xx']:>6}{page['failed']:>8}"
                     f"{page['p50_ms']:>9}{page['p95_ms']:>9}{page['max_ms']:>9}")
    lines.append(f"published during the run: {summary['published']}; not searchable at the end: "
                 f"{len(summary['unsearchable'])} {summary['unsearchable'][:5]}")
    lines.extend(f"server error:\n{text}" for text in summary.get("server_errors", []))
    lines.append("PASS" if summary["passed"] else "FAIL")
    return "\n".join(lines)
