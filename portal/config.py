"""Configuration: the only module that reads environment variables."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENTS = ("development", "testing", "production")
# pypinyin, when first imported, otherwise copies its character and phrase tables (some 20 MB that
# every gunicorn worker's share of the master carries); the portal's own phrases (portal/slugs.py)
# are added to the one table either way. pypinyin's documented switch, read at its import.
os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")


class ConfigError(RuntimeError):
    """Raised when the environment cannot produce a safe configuration."""


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _sqlite_url(instance_dir: Path) -> str:
    return f"sqlite:///{instance_dir / 'portal.sqlite3'}"


def normalize_database_url(url: str) -> str:
    """Map plain postgres:// URLs (as hosting providers hand them out) to the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class BaseConfig:
    ENV_NAME = "development"
    DEBUG = False
    TESTING = False
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    # For a database server: the most recently used pooled connection is reused first (it is warm and
    # needs no ping), and a connection is pinged before use only after this many idle seconds
    # (portal/pooling.py), not on every checkout as pool_pre_ping would.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_use_lifo": True}
    DATABASE_PING_AFTER_IDLE = 1.0
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    # Word files contributors submit (报送): the file itself, and what its zip may unpack to (a zip bomb
    # guard). The file limit stays below MAX_CONTENT_LENGTH so the form, not a bare 413, explains it.
    INTAKE_MAX_BYTES = 6 * 1024 * 1024
    INTAKE_MAX_UNPACKED_BYTES = 80 * 1024 * 1024
    CONTENT_DIR = str(PROJECT_ROOT / "content")
    CASES_PER_PAGE = 20
    # How often each worker's poller looks for changes other instances made (one indexed query).
    SEARCH_SYNC_INTERVAL = 0.1
    # The editors' search-miss list: how long entries are kept (`portal search prune-misses`), and the
    # throttle per reader address (the same query once per so many minutes, so many misses an hour).
    SEARCH_MISS_RETENTION_DAYS = 180
    # Applied search-outbox rows are deleted after this many days (`portal search prune-outbox`, and
    # hourly by each instance's poller); an instance stopped for longer needs `search verify --repair`.
    SEARCH_OUTBOX_RETENTION_DAYS = 7
    SEARCH_MISS_REPEAT_MINUTES = 60
    # Freshness: a published case is due for re-checking this many months after it was published or
    # last checked, unless its own review_by says otherwise (`portal cases stale`, /editor/review-due).
    REVIEW_INTERVAL_MONTHS = 12
    SEARCH_MISS_PER_CLIENT_HOUR = 30
    SEARCH_BACKGROUND_SYNC = True
    # Render PDF/Word handouts in a background thread when their content changes (off in tests).
    HANDOUT_BACKGROUND_RENDER = True
    # Wrong passwords allowed per account, and (much higher: an office shares one address behind
    # its NAT) per address, within the window; see README "登录限流".
    LOGIN_MAX_FAILURES = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 50
    LOGIN_WINDOW_SECONDS = 15 * 60
    # Staff sign-ins end after this many hours however busy they are: a working day plus overtime.
    STAFF_SESSION_HOURS = 12
    SECURITY_HEADERS = True
    COMPRESS_MIMETYPES = ["text/html", "text/css", "application/json", "application/atom+xml",
                          "application/xml", "text/javascript", "application/javascript"]
    COMPRESS_MIN_SIZE = 1024
    # One JSON line per request (portal/ops); off in tests unless a test turns it on.
    REQUEST_LOG = True
    # Public pages: how long browsers and proxies may keep them, and serve them while revalidating.
    HTTP_CACHE_MAX_AGE = 30
    HTTP_CACHE_STALE_WHILE_REVALIDATE = 120
    # The anonymous page cache shared by one machine's workers (files under the instance dir).
    PAGE_CACHE_TYPE = "FileSystemCache"
    PAGE_CACHE_THRESHOLD = 5000
    PAGE_CACHE_SECONDS = 3600
    # How many reverse proxies in front set X-Forwarded-* headers (0: trust none).
    PROXY_FIX = 0
    # E-mail copies of inbox notices (portal/inbox/mail.py): off unless PORTAL_SMTP_HOST is set.
    # SMTP_SECURITY is "none", "starttls" or "ssl"; SITE_URL makes the links in the mails absolute.
    SMTP_HOST = ""
    SMTP_PORT = 25
    SMTP_SECURITY = "none"
    SMTP_USERNAME = ""
    SMTP_PASSWORD = ""
    SMTP_TIMEOUT = 10
    MAIL_FROM = "noreply@localhost"
    SITE_URL = ""


class DevelopmentConfig(BaseConfig):
    ENV_NAME = "development"
    SECRET_KEY = "dev-only-not-secret"


class TestingConfig(BaseConfig):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-only-not-secret"
    SEARCH_BACKGROUND_SYNC = False
    HANDOUT_BACKGROUND_RENDER = False
    WTF_CSRF_ENABLED = True
    REQUEST_LOG = False
    LOGIN_MAX_FAILURES = 5


class ProductionConfig(BaseConfig):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


# Integer settings operators may override with PORTAL_<NAME> (e.g. PORTAL_LOGIN_MAX_FAILURES=8).
TUNABLE_INTEGERS = ("LOGIN_MAX_FAILURES", "LOGIN_MAX_FAILURES_PER_ADDRESS", "LOGIN_WINDOW_SECONDS",
                    "STAFF_SESSION_HOURS", "HTTP_CACHE_MAX_AGE", "REVIEW_INTERVAL_MONTHS")

CONFIGS = {"development": DevelopmentConfig, "testing": TestingConfig, "production": ProductionConfig}


def load_config(overrides: dict | None = None) -> dict:
    """Build the settings dict for the environment named by PORTAL_ENV, then apply overrides."""
    overrides = dict(overrides or {})
    env_name = overrides.pop("ENV_NAME", None) or _env("PORTAL_ENV", "development")
    if env_name not in CONFIGS:
        raise ConfigError(f"PORTAL_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env_name!r}")
    cls = CONFIGS[env_name]
    settings = {key: getattr(cls, key) for key in dir(cls) if key.isupper()}
    instance_dir = Path(overrides.pop("INSTANCE_DIR", None) or _env("PORTAL_INSTANCE_DIR", str(PROJECT_ROOT / "instance")))
    settings["INSTANCE_DIR"] = str(instance_dir.resolve())
    settings["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(
        _env("DATABASE_URL") or _sqlite_url(instance_dir.resolve()))
    settings["SEARCH_INDEX_DIR"] = str(instance_dir.resolve() / "search-index")
    settings["UPLOAD_DIR"] = str(instance_dir.resolve() / "uploads")
    settings["INTAKE_DIR"] = str(instance_dir.resolve() / "intake")
    if _env("SECRET_KEY"):
        settings["SECRET_KEY"] = _env("SECRET_KEY")
    settings["PROXY_FIX"] = int(_env("PORTAL_PROXY_FIX", str(settings["PROXY_FIX"])))
    for name in TUNABLE_INTEGERS:
        settings[name] = int(_env(f"PORTAL_{name}", str(settings[name])))
    settings.update(mail_settings(settings))
    settings.update(overrides)
    if "SQLALCHEMY_DATABASE_URI" in overrides:
        settings["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(settings["SQLALCHEMY_DATABASE_URI"])
    if "SQLALCHEMY_ENGINE_OPTIONS" not in overrides:
        settings["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(settings["SQLALCHEMY_DATABASE_URI"])
    if settings["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") and "DATABASE_PING_AFTER_IDLE" not in overrides:
        settings["DATABASE_PING_AFTER_IDLE"] = None  # a local file cannot drop a connection
    if env_name == "production" and not settings.get("SECRET_KEY"):
        raise ConfigError("SECRET_KEY must be set when PORTAL_ENV=production; refusing to start without it")
    return settings


def engine_options(database_url: str) -> dict:
    """Pool options for a database server, which can drop connections; none for a local SQLite file."""
    return {} if database_url.startswith("sqlite") else dict(BaseConfig.SQLALCHEMY_ENGINE_OPTIONS)


def mail_settings(defaults: dict) -> dict:
    """Read the SMTP settings (PORTAL_SMTP_HOST, _PORT, _SECURITY, _USERNAME, _PASSWORD, _TIMEOUT,
    PORTAL_MAIL_FROM, PORTAL_SITE_URL); mail stays off without a host."""
    settings = {name: _env(f"PORTAL_{name}", str(defaults[name])) for name in MAIL_SETTINGS}
    if settings["SMTP_SECURITY"] not in SMTP_SECURITY_MODES:
        raise ConfigError(f"PORTAL_SMTP_SECURITY must be one of {', '.join(SMTP_SECURITY_MODES)}, "
                          f"not {settings['SMTP_SECURITY']!r}")
    for name in ("SMTP_PORT", "SMTP_TIMEOUT"):
        if not settings[name].isdigit():
            raise ConfigError(f"PORTAL_{name} must be a whole number, not {settings[name]!r}")
        settings[name] = int(settings[name])
    return settings


MAIL_SETTINGS = ("SMTP_HOST", "SMTP_PORT", "SMTP_SECURITY", "SMTP_USERNAME", "SMTP_PASSWORD", "SMTP_TIMEOUT",
                 "MAIL_FROM", "SITE_URL")
SMTP_SECURITY_MODES = ("none", "starttls", "ssl")


def database_url_for_tests() -> str | None:
    """Return the PostgreSQL URL the test suite should use instead of SQLite, if any."""
    url = _env("TEST_DATABASE_URL")
    return normalize_database_url(url) if url else None


def gunicorn_settings() -> dict:
    """Return the gunicorn knobs that operators set through the environment."""
    cpu = os.cpu_count() or 1
    # Threads per worker (gthread, each worker on its own socket: see gunicorn.conf.py); 1: sync workers.
    threads = int(_env("PORTAL_THREADS", "4"))
    return {
        "bind": _env("PORTAL_BIND", f"127.0.0.1:{_env('PORT', '8000')}"),
        # One threaded worker per core (see gunicorn.conf.py for why not more); sync workers: 2 × cores + 1.
        "workers": int(_env("WEB_CONCURRENCY", str(max(2, cpu) if threads > 1 else cpu * 2 + 1))),
        "threads": threads,
        "timeout": int(_env("PORTAL_TIMEOUT", "30")),
    }
