"""Drive the load with Debian's wrk (C, epoll): one wrk process per page type, none in the server's
interpreter nor in this one, so the figures are the server's, not the load generator's GIL.

Each wrk process cycles through its page type's paths over keep-alive connections and prints, from
its Lua `done()` hook, one JSON line: requests, 5xx, other errors and latency percentiles.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

SCRIPT = """
paths = {%(paths)s}
local threads = {}
local counter = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  status_5xx = 0
  status_4xx = 0
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1], {["Accept-Encoding"] = "gzip"})
end

function response(status, headers, body)
  if status >= 500 then status_5xx = status_5xx + 1 elseif status >= 400 then status_4xx = status_4xx + 1 end
end

function done(summary, latency, requests)
  local s5, s4 = 0, 0
  for _, thread in ipairs(threads) do
    s5 = s5 + thread:get("status_5xx")
    s4 = s4 + thread:get("status_4xx")
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "duration_us": %%d, "status_5xx": %%d, "status_4xx": %%d, "failed": %%d, ' ..
    '"p50_ms": %%.1f, "p95_ms": %%.1f, "p99_ms": %%.1f, "max_ms": %%.1f}\\n',
    summary.requests, summary.duration, s5, s4, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
"""


def wrk_path() -> str:
    """Return wrk's path; `make bench-load` installs the Debian package."""
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is not installed: `apt-get install wrk` (make bench-load does it)")
    return found


def write_script(directory: Path, page_type: str, paths: list[str]) -> Path:
    script = directory / f"wrk-{page_type}.lua"
    script.write_text(SCRIPT % {"paths": ", ".join(json.dumps(path) for path in paths)})
    return script


def start(port: int, page_type: str, paths: list[str], connections: int, duration: float,
          directory: Path) -> subprocess.Popen:
    """Start one wrk process loading `paths` with `connections` keep-alive connections."""
    script = write_script(directory, page_type, paths)
    command = [wrk_path(), "-t1", f"-c{connections}", f"-d{max(1, round(duration))}s", "--timeout", "30s",
               "-s", str(script), f"http://127.0.0.1:{port}"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def split(readers: int, page_types: tuple[str, ...]) -> dict[str, int]:
    """Share the readers between the page types (at least one connection each)."""
    base, extra = divmod(readers, len(page_types))
    return {name: max(1, base + (index < extra)) for index, name in enumerate(page_types)}


def run(port: int, targets: dict[str, list[str]], readers: int, duration: float, directory: Path) -> dict:
    """Run one wrk per page type at once; return {page type: figures}."""
    shares = split(readers, tuple(targets))
    processes = {name: start(port, name, paths, shares[name], duration, directory) for name, paths in targets.items()}
    figures = {}
    for name, process in processes.items():
        output, errors = process.communicate(timeout=duration + 120)
        lines = [line for line in output.splitlines() if line.startswith("{")]
        if process.returncode != 0 or not lines:
            raise RuntimeError(f"wrk ({name}) failed: {errors[-2000:] or output[-2000:]}")
        figures[name] = {"connections": shares[name], **json.loads(lines[-1])}
    return figures
