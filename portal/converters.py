"""URL converters shared by every blueprint."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

# The largest value a 64-bit (BIGINT / SQLite INTEGER) column holds.
MAX_DATABASE_INTEGER = 2**63 - 1


class BoundedIntegerConverter(IntegerConverter):
    """`<int:...>` that cannot name a row no database could hold: larger numbers are a 404, not a 500."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002 (werkzeug's names)
        super().__init__(map, fixed_digits, min, MAX_DATABASE_INTEGER if max is None else max, signed)


def init_app(app) -> None:
    """Replace the built-in int converter before any blueprint adds its rules."""
    app.url_map.converters["int"] = BoundedIntegerConverter
