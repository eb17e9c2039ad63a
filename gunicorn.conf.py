"""gunicorn settings: `gunicorn -c gunicorn.conf.py wsgi:app`.

Knobs come from the environment through portal.config.gunicorn_settings() (WEB_CONCURRENCY,
PORTAL_THREADS, PORTAL_TIMEOUT, PORTAL_BIND or PORT); this file only decides how they are used.
"""

from portal.config import gunicorn_settings

_settings = gunicorn_settings()

bind = _settings["bind"]
workers = _settings["workers"]
threads = _settings["threads"]
# Threaded workers with keep-alive by default (PORTAL_THREADS=4), each worker on its own listening socket.
# Measured with bench/load.py (50 readers, a publish a second, PostgreSQL; see bench/ and the issue notes):
# - sync workers answer "Connection: close", so every request pays a new connection: about 0.9 ms more
#   worker CPU per request than a kept-alive one (bench: cache hits 1.9-2.1 vs 0.9-1.2 ms), and a sync
#   worker that waits (for another worker's render of the same page, for the search index) stalls
#   every reader queued on it: 31 req/s and p95 2.4 s in the same conditions where threads gave 300+;
# - threaded workers sharing one listening socket keep each kept-alive connection on whichever worker
#   woke first and accepted it: one worker held 32 of 50 connections and queued them while the others
#   idled (p95 up to 2.1-2.9 s on the page types that landed there);
# - with SO_REUSEPORT every worker listens on its own socket and the kernel spreads new connections over
#   them evenly by address hash, so no worker collects most clients (worst page p95 0.5-0.7 s in the same
#   runs, with every page type served at a similar rate). Four threads let a worker answer cached pages
#   while one thread renders or waits for the database.
# - one threaded worker per core (WEB_CONCURRENCY's default with threads): page work is CPU-bound under
#   each process's GIL, so more processes than cores only time-slice the renders a publish sets off
#   against each other and stretch them. Same run, 2 cores, PostgreSQL, 30 s: 2 workers 977 req/s, worst
#   page p95 184 ms; 5 workers 873 req/s, worst p95 298 ms (repeated: 747 vs 643 req/s, 235 vs 374 ms).
# Only for TCP binds: a Unix socket or an inherited descriptor stays one socket all workers share. With
# SO_REUSEPORT a second instance started on the same port by mistake shares it instead of failing to bind.
worker_class = "gthread" if threads > 1 else "sync"
reuse_port = threads > 1 and not bind.startswith(("unix:", "fd://"))
timeout = _settings["timeout"]
graceful_timeout = 20
keepalive = 5  # seconds an idle kept-alive connection stays open (threaded workers)
# Room for a burst of new connections while every worker is busy.
backlog = 2048

# Load the app (jieba and its dictionaries, the Markdown pipeline) once in the master, shared by
# every worker through copy-on-write, instead of once per worker.
preload_app = True

# Requests are logged as JSON lines by portal/ops; gunicorn's own access log would repeat them.
accesslog = None
errorlog = "-"
loglevel = "info"
proc_name = "shanzhi-portal"
# gunicorn ≥ 24 opens a control socket at one fixed per-user path; two instances on one machine
# would fight over it, and the portal does not use it.
control_socket_disable = True


def when_ready(server):
    """Before the first fork: build and freeze what every worker shares (templates, search modules and
    tables, each page type read once)."""
    from portal.ops.lifecycle import before_forking

    before_forking(server.app.wsgi())


def pre_fork(server, worker):
    """Keep objects the master made since (e.g. while replacing a worker) out of the workers' collector."""
    import gc

    gc.freeze()


def post_fork(server, worker):
    """Give each worker its own database connections and background services."""
    import faulthandler

    from portal.ops.lifecycle import after_fork

    # A worker killed by a native crash (SIGSEGV, SIGBUS) then leaves its Python stack in the error log.
    faulthandler.enable()
    after_fork(server.app.wsgi())
