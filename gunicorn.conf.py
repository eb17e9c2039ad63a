"""gunicorn settings: `gunicorn -c gunicorn.conf.py wsgi:app`.

Knobs come from the environment through portal.config.gunicorn_settings() (WEB_CONCURRENCY,
PORTAL_THREADS, PORTAL_TIMEOUT, PORTAL_BIND or PORT); this file only decides how they are used.
"""

from portal.config import gunicorn_settings

_settings = gunicorn_settings()

bind = _settings["bind"]
workers = _settings["workers"]
threads = _settings["threads"]
# Sync workers by default (PORTAL_THREADS=1). A threaded worker keeps every kept-alive connection it
# accepted for that connection's whole life, and one worker that wakes first accepts most of a burst
# of new connections: under the load benchmark one of five workers held 32 of 50 connections (every
# case, matrix, collection and search reader) and queued them behind its two threads (p50 1.1 s)
# while the others idled. A sync worker takes the next request only when it is free, so the kernel's
# accept queue balances the load; it answers "Connection: close" (the proxy in front keeps the
# clients' connections alive), so no kept-alive connection is ever closed under a client that has
# just sent a request on it. The page work is CPU-bound under the GIL, so threads add no throughput.
worker_class = "gthread" if threads > 1 else "sync"
timeout = _settings["timeout"]
graceful_timeout = 20
keepalive = 5  # only used by threaded workers
# Room for a burst of new connections while every worker is busy (one per request with sync workers).
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
