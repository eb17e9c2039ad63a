"""善治案例库: the app factory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from portal import converters, errors, pooling, security
from portal.config import load_config
from portal.extensions import compress, csrf, db, login_manager, migrate

# Feature packages, each exposing init_app(app): blueprint, CLI commands, hooks.
FEATURES = ("cases", "search", "collections", "auth", "editor", "intake", "inbox", "content", "api", "ops",
            "caching")


def create_app(config: dict | None = None) -> Flask:
    """Create the portal application; `config` overrides the environment's settings."""
    settings = load_config(config)
    app = Flask(__name__, instance_path=settings["INSTANCE_DIR"])
    app.config.from_mapping(settings)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    init_extensions(app)
    converters.init_app(app)
    import_models()
    # Before the features: Flask runs after-request hooks in reverse, so staff no-store wins.
    security.init_app(app)
    register_features(app)
    errors.init_app(app)
    register_template_helpers(app)
    return app


def init_extensions(app: Flask) -> None:
    """Bind the unbound extensions from portal.extensions to this app."""
    db.init_app(app)
    with app.app_context():
        pooling.install(db.engine, app.config["DATABASE_PING_AFTER_IDLE"])
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"),
                    render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    compress.init_app(app)


def import_models() -> None:
    """Import every feature's models so the metadata (and Alembic) sees all tables."""
    from portal.audit import models as _audit  # noqa: F401
    from portal.auth import models as _auth  # noqa: F401
    from portal.caching import models as _caching  # noqa: F401
    from portal.cases import models as _cases  # noqa: F401
    from portal.collections import models as _collections  # noqa: F401
    from portal.editor import models as _editor  # noqa: F401
    from portal.inbox import models as _inbox  # noqa: F401
    from portal.intake import models as _intake  # noqa: F401
    from portal.search import models as _search  # noqa: F401


def register_features(app: Flask) -> None:
    """Let each feature package attach its blueprint, CLI commands and hooks."""
    from importlib import import_module

    for name in FEATURES:
        import_module(f"portal.{name}").init_app(app)


def register_template_helpers(app: Flask) -> None:
    """Expose formatting helpers every template uses."""
    from portal.timeutil import china_date, china_day, china_time

    app.jinja_env.filters["china_time"] = china_time
    app.jinja_env.filters["china_date"] = china_date
    app.jinja_env.filters["china_day"] = china_day
