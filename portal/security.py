"""Security headers on every response."""

from __future__ import annotations

from flask import Flask, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def add_security_headers(response):
    """Set the headers unless a view chose its own value (one pass over the response's headers)."""
    chosen = {name.lower() for name, _value in response.headers.items()}
    for name, value in HEADERS.items():
        if name.lower() not in chosen:
            response.headers.add(name, value)
    return response


# Pages that show drafts, accounts or the audit log: never kept by a browser or a proxy.
STAFF_PREFIXES = ("/editor", "/admin", "/account")
# Files served outside /static that are the same for everyone, signed in or not.
SHARED_FILE_ENDPOINTS = {"ops.favicon"}


def is_staff_view() -> bool:
    """True for staff areas, and for any page rendered for a signed-in user (drafts, unpublished previews)."""
    endpoint = request.endpoint or ""
    if endpoint == "static" or endpoint.endswith(".static") or endpoint in SHARED_FILE_ENDPOINTS:
        return False
    staff_path = any(request.path == p or request.path.startswith(p + "/") for p in STAFF_PREFIXES)
    return staff_path or (may_be_signed_in() and current_user.is_authenticated)


def may_be_signed_in() -> bool:
    """False when nobody can be signed in: no cookie came (no session, no remember-me) and this request
    wrote nothing to the session (as signing in does). Most readers: no user is loaded for them."""
    return bool(request.cookies) or bool(session)


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions; a request without the cookie starts an empty one without
    building the cookie's signer first (most readers send no cookie)."""

    def open_session(self, app, request):
        """Return a new empty session when no session cookie came, else Flask's own."""
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


def forbid_storing_staff_pages(response):
    """Send no-store on staff views, overriding any public caching header set earlier."""
    if not is_staff_view():
        return response
    if "no-store" not in response.headers.get("Cache-Control", ""):
        response.headers["Cache-Control"] = "private, no-store"
    response.headers.pop("Expires", None)
    response.vary.add("Cookie")
    return response


def init_app(app: Flask) -> None:
    """Register the session interface and the security headers hooks; called before the features so
    these hooks run last."""
    app.session_interface = CookieSessions()
    app.after_request(forbid_storing_staff_pages)
    if app.config.get("SECURITY_HEADERS", True):
        app.after_request(add_security_headers)
    if app.config.get("ENV_NAME") == "production":
        app.after_request(_strict_transport)


def _strict_transport(response):
    response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response
