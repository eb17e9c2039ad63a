"""API routes: search_api."""

from portal.api.views import bp  # noqa: F401
