"""Structured request logging: one JSON object per line, per request, on stderr."""

from __future__ import annotations

import itertools
import json
import logging
import os
import re
import sys
import time
import uuid

from flask import Flask, g, request

LOGGER_NAME = "portal.request"
REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's request id is reused only when it looks like an id, so logs cannot be forged with newlines.
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
# The WSGI environ key marking the pages gunicorn's master reads before forking (not a reader's request:
# not logged). No HTTP header can set it.
WARM_UP = "portal.warm_up"


class JsonLineFormatter(logging.Formatter):
    """Render a record's `fields` (or its message) as one compact JSON line."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as one JSON line: timestamp, level, then its fields."""
        fields = getattr(record, "fields", None) or {"message": record.getMessage()}
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        line = {"ts": f"{stamp}.{int(record.msecs):03d}Z", "level": record.levelname.lower(), **fields}
        return json.dumps(line, ensure_ascii=False, separators=(",", ":"))


def request_logger() -> logging.Logger:
    """Return the request logger, writing JSON lines to stderr (gunicorn's error log)."""
    logger = logging.getLogger(LOGGER_NAME)
    if not any(getattr(handler, "portal_json", False) for handler in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonLineFormatter())
        handler.portal_json = True
        logger.addHandler(handler)
    if logger.level != logging.INFO:  # setLevel clears every logger's cache: not on every request
        logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger


class RequestIds:
    """Fresh request ids: a random prefix per process and a counter (32 hex digits, unique without
    asking the kernel for randomness on every request)."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.prefix = uuid.uuid4().hex[:16]
        self.counter = itertools.count(1)

    def next(self) -> str:
        if self.pid != os.getpid():  # a forked worker must not repeat its parent's ids
            self.__init__()
        return f"{self.prefix}{next(self.counter):016x}"


_fresh_ids = RequestIds()


def incoming_request_id() -> str:
    """Reuse the proxy's X-Request-ID when it is well-formed, else make a fresh one."""
    candidate = request.headers.get(REQUEST_ID_HEADER, "")
    return candidate if _VALID_REQUEST_ID.fullmatch(candidate) else _fresh_ids.next()


def start_timer() -> None:
    """Note when the request began and which id it carries."""
    g.request_started = time.perf_counter()
    g.request_id = incoming_request_id()


def log_request(response):
    """Write the request's line and echo its id to the client."""
    if request.environ.get(WARM_UP):
        return response
    started = g.get("request_started")
    duration_ms = round((time.perf_counter() - started) * 1000, 2) if started is not None else None
    request_id = g.get("request_id") or incoming_request_id()
    response.headers[REQUEST_ID_HEADER] = request_id
    logger = request_logger()
    if logger.isEnabledFor(logging.INFO):
        # A record made here, not by logger.info(), which walks the stack for the caller's file and line.
        logger.handle(logger.makeRecord(LOGGER_NAME, logging.INFO, __file__, 0, "request", None, None, extra={
            "fields": {"event": "request", "method": request.method, "path": request.path,
                       "status": response.status_code, "duration_ms": duration_ms, "pid": os.getpid(),
                       "request_id": request_id, "remote_addr": request.remote_addr}}))
    return response


def init_app(app: Flask) -> None:
    """Time every request and log it when the response is ready."""
    request_logger()
    # First in line, so requests that an earlier hook answers are timed too.
    app.before_request_funcs.setdefault(None, []).insert(0, start_timer)
    app.after_request(log_request)
