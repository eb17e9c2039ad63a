"""The load benchmark's parts: instance setup, the wrk readers, the editor process, checks, figures."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

from bench import wrk
from bench.procs import PROJECT_ROOT, Gunicorn, portal_command, portal_env
from portal.config import gunicorn_settings, normalize_database_url

SEARCH_QUERIES = ["网格", "矛盾纠纷", "阳光票决制", "民事村了", "责任交接", "四个平台", "警侨驿站",
                  "干部离任交接", "庆元", "域外网格", "村务公开", "矛调中心"]


def build_targets(server: Gunicorn) -> dict[str, list[str]]:
    """Ask the running portal which cases and collections exist and derive page URLs, per page type."""
    status, listing = server.get_json("/api/v1/cases?per_page=100")
    assert status == 200, f"/api/v1/cases answered {status}"
    slugs = [item["slug"] for item in listing["results"]]
    areas = {item["area"]["slug"] for item in listing["results"]}
    collections = sorted(set(re.findall(r'href="(/collections/[\w-]+)"', server.get("/collections")[1].decode())))
    return {
        "home": ["/"],
        "list": ["/cases", "/cases?page=2&per_page=5"] + [f"/cases?area={slug}" for slug in sorted(areas)],
        "case": [f"/cases/{urllib.parse.quote(slug)}" for slug in slugs],
        "matrix": ["/matrix"],
        "collection": ["/collections", *collections],
        "search": [f"/search?q={urllib.parse.quote(query)}" for query in SEARCH_QUERIES],
    }


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


def etag_generation(etag: str) -> int | None:
    """The content generation a public page's ETag names: "<release>.<generation>[.<own>]-<digest>"."""
    version = etag.removeprefix("W/").strip('"').split("-", 1)[0].split(".")
    return int(version[1]) if len(version) > 1 and version[1].isdigit() else None


def stale_pages(server: Gunicorn, database_url: str, targets: dict[str, list[str]], newest: list[str]) -> list[str]:
    """Return the pages that, after the run, still answer from an older content generation than the
    database's, case and collection pages (keyed by what they show, not the generation) that differ
    from a fresh render, and home and list pages that do not show the case published last."""
    generation = current_generation(database_url)
    stale = []
    for path in [path for paths in targets.values() for path in paths]:
        status, body, etag, control = server_get(server, path)
        if "no-store" in control:
            continue  # never cached (e.g. a search that found nothing): fresh by construction
        if path in targets["case"] + targets["collection"]:
            if status != 200 or body != fresh_render(server, path):
                stale.append(f"{path} (ETag {etag or '-'}: the cached copy differs from a fresh render)")
        elif status != 200 or etag_generation(etag) != generation:
            stale.append(f"{path} (ETag {etag or '-'}, generation {generation})")
    for path in ("/", "/cases"):
        if newest and f"/cases/{newest[-1]}" not in server_get(server, path)[1]:
            stale.append(f"{path} does not list {newest[-1]}")
    return stale


def fresh_render(server: Gunicorn, path: str) -> str:
    """The page rendered now: a query string no reader sent is a key no cache holds (case and
    collection pages ignore it)."""
    return server_get(server, f"{path}?fresh={uuid.uuid4().hex}")[1]


def server_get(server: Gunicorn, path: str) -> tuple[int, str, str, str]:
    """GET `path` as an anonymous reader; return status, body, ETag and Cache-Control."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return (response.status, response.read().decode(), response.getheader("ETag") or "",
                response.getheader("Cache-Control") or "")
    finally:
        connection.close()


def current_generation(database_url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(normalize_database_url(database_url))
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT value FROM content_generation WHERE id = 1")).scalar_one()
    finally:
        engine.dispose()


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
    summary["worker_deaths"] = worker_deaths(server.log())
    summary["passed"] = summary["passed"] and not summary["worker_deaths"]
    return summary


def measure(server: Gunicorn, env: dict, run_id: str, args) -> dict:
    """Run readers and the editor together, then check searchability and freshness, and summarize."""
    targets = build_targets(server)
    load_before = os.getloadavg()
    cpu_before = workers_cpu_seconds(server)
    publisher = start_publisher(env, run_id, args.publish_interval)
    try:
        pages = wrk.run(server.port, targets, args.readers, args.duration, Path(env["PORTAL_INSTANCE_DIR"]))
    finally:
        published = stop_publisher(publisher)
    server_cpu = workers_cpu_seconds(server) - cpu_before
    load_after = os.getloadavg()
    missing = unsearchable(server, run_id, published, args.search_timeout)
    stale = stale_pages(server, env["DATABASE_URL"], targets, published)
    errors = sum(page["status_5xx"] + page["failed"] for page in pages.values())
    requests = sum(page["requests"] for page in pages.values())
    return {"readers": args.readers, "duration_s": args.duration, "workers": server.env["WEB_CONCURRENCY"],
            "database": env["DATABASE_URL"].split(":", 1)[0], "requests": requests,
            "throughput_rps": round(requests / args.duration, 1), "pages": pages,
            "server_cpu_ms_per_request": round(server_cpu * 1000 / max(1, requests), 2),
            "published": len(published), "unsearchable": missing, "stale": stale,
            "publisher_exit": publisher.returncode, "load_average": [round(load_before[0], 2), round(load_after[0], 2)],
            "passed": errors == 0 and not missing and not stale and len(published) > 0}


# What gunicorn's master and faulthandler write when a worker dies under the readers: a native crash
# (the old SIGSEGV) or a kill. Its clients see only connection resets, and no app traceback is logged.
WORKER_DEATH = re.compile(r"WORKER TIMEOUT|was sent SIG(?!TERM\b)|exited with code|Fatal Python error")
STACK_LINES = 40


def worker_deaths(log: str, limit: int = 3) -> list[str]:
    """Return the first few worker deaths in gunicorn's log, each with the stack faulthandler printed."""
    lines, deaths = log.splitlines(), []
    for number, line in enumerate(lines):
        if WORKER_DEATH.search(line) and len(deaths) < limit:
            stack = lines[number + 1:number + 1 + STACK_LINES] if "Fatal Python error" in line else []
            deaths.append("\n".join([line, *(entry for entry in stack if entry.startswith(("  File", "Thread", "Current")))]))
    return deaths


def workers_cpu_seconds(server: Gunicorn) -> float:
    """CPU time (user + system) the server's workers have used so far: unlike latency on a shared
    machine, CPU per request says what the server costs whatever else runs beside it."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in server.worker_pids():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


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


def capacity(summary: dict) -> int:
    """Requests per second the workers' CPU cost allows on this machine's cores when nothing else runs."""
    return round((os.cpu_count() or 1) * 1000 / max(summary["server_cpu_ms_per_request"], 0.01))


def report(summary: dict) -> str:
    """Format the summary as a small table for humans."""
    lines = [f"{summary['readers']} readers (wrk) × {summary['duration_s']} s on {summary['database']}, "
             f"{summary['workers']} gunicorn workers: {summary['requests']} requests, "
             f"{summary['throughput_rps']} req/s; load average {summary['load_average'][0]} → "
             f"{summary['load_average'][1]} (1 min); server CPU {summary['server_cpu_ms_per_request']} ms "
             f"per request (≈ {capacity(summary)} req/s on {os.cpu_count()} idle cores)",
             f"{'page':<11}{'conns':>6}{'requests':>9}{'req/s':>8}{'5xx':>5}{'4xx':>5}{'failed':>7}"
             f"{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'max ms':>8}"]
    for name, page in summary["pages"].items():
        rate = page["requests"] / summary["duration_s"] if summary["duration_s"] else 0
        lines.append(f"{name:<11}{page['connections']:>6}{page['requests']:>9}{rate:>8.1f}{page['status_5xx']:>5}"
                     f"{page['status_4xx']:>5}{page['failed']:>7}{page['p50_ms']:>8}{page['p95_ms']:>8}"
                     f"{page['p99_ms']:>8}{page['max_ms']:>8}")
    lines.append(f"published during the run: {summary['published']}; not searchable at the end: "
                 f"{len(summary['unsearchable'])} {summary['unsearchable'][:5]}; stale pages at the end: "
                 f"{len(summary['stale'])} {summary['stale'][:5]}")
    lines.extend(f"server error:\n{text}" for text in summary.get("server_errors", []))
    lines.append(f"worker deaths (crash, kill, timeout): {len(summary.get('worker_deaths', []))}")
    lines.extend(f"worker death:\n{text}" for text in summary.get("worker_deaths", []))
    lines.append("PASS" if summary["passed"] else "FAIL")
    return "\n".join(lines)
