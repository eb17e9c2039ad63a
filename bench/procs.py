"""Real portal processes on loopback: gunicorn instances and `portal` commands, for bench/ and tests/production/."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PORTAL_MAIN = "from portal.cli import main; main()"


def free_port() -> int:
    """Return a loopback TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def portal_env(database_url: str, instance_dir: Path, **extra: str) -> dict:
    """The environment of one production instance: its own instance dir, the given database."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PORTAL_", "FLASK_"))}
    env.update({
        "PORTAL_ENV": "production", "SECRET_KEY": "bench-and-test-only-" + "x" * 24,
        "DATABASE_URL": database_url, "PORTAL_INSTANCE_DIR": str(instance_dir),
        # The children import the same checkout as this process, whatever is installed.
        "PYTHONPATH": str(PROJECT_ROOT), "PYTHONUNBUFFERED": "1",
    })
    env.update(extra)
    return env


def portal_command(env: dict, *args: str, timeout: float = 300, check: bool = True,
                   stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run `portal <args>` in a fresh process with `env` and return what it printed."""
    result = subprocess.run([sys.executable, "-c", PORTAL_MAIN, *args], env=env, cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=timeout, input=stdin)
    if check and result.returncode != 0:
        raise RuntimeError(f"portal {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def http_get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    """GET `url`; return (status, body) for any HTTP answer, raise OSError when none came."""
    url = urllib.parse.quote(url, safe=":/?&=%#+")  # Chinese queries are sent percent-encoded
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def http_json(url: str, timeout: float = 5.0) -> tuple[int, dict]:
    """GET `url` and decode its JSON body."""
    status, body = http_get(url, timeout)
    return status, json.loads(body or b"null")


class Gunicorn:
    """One `gunicorn -c gunicorn.conf.py wsgi:app` instance on a loopback port."""

    def __init__(self, env: dict, log_path: Path, workers: int = 2, port: int | None = None):
        self.port = port or free_port()
        self.env = {**env, "WEB_CONCURRENCY": str(workers), "PORTAL_BIND": f"127.0.0.1:{self.port}"}
        self.log_path = Path(log_path)
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Gunicorn:
        """Launch the master (which forks the workers); returns at once."""
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"], cwd=PROJECT_ROOT,
            env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        return self

    def get(self, path: str, timeout: float = 5.0) -> tuple[int, bytes]:
        return http_get(self.base_url + path, timeout)

    def get_json(self, path: str, timeout: float = 5.0) -> tuple[int, dict]:
        return http_json(self.base_url + path, timeout)

    def wait_until_serving(self, timeout: float = 60.0, healthy: bool = True) -> dict:
        """Poll /healthz until it answers (200 when `healthy`); return its body."""
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited {self.process.returncode}:\n{self.log()}")
            try:
                status, body = self.get_json("/healthz", timeout=2.0)
                if status == 200 or not healthy:
                    return body
                last = f"{status} {body}"
            except (OSError, ValueError) as error:
                last = repr(error)
            time.sleep(0.2)
        raise TimeoutError(f"{self.base_url}/healthz not healthy after {timeout}s: {last}\n{self.log()}")

    def worker_pids(self) -> list[int]:
        """Return the pids of the master's current worker processes."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self, timeout: float = 20.0) -> None:
        """Shut down gracefully (SIGTERM to the master), forcefully after `timeout`."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)

    def kill(self) -> None:
        """kill -9 the master and every worker at once, as a power cut would."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
