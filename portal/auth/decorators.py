"""Route guards: every editor, reviewer and admin view is wrapped in role_required."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def role_required(role: str) -> Callable:
    """Let a view run only for logged-in users whose role is at least `role`; others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def guarded(*args, **kwargs):
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        # Read by the route-permission test, which walks the URL map.
        guarded.required_role = role
        return guarded

    return decorator
