"""API routes: openapi."""

from portal.api.views import bp  # noqa: F401
