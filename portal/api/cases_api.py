"""API routes: cases_api."""

from portal.api.views import bp  # noqa: F401
