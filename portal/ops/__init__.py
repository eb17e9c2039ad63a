"""Operations: /healthz, one JSON log line per request, and trust in reverse-proxy headers."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the health check, the request log and, when configured, ProxyFix."""
    from portal.ops import requestlog
    from portal.ops.views import bp

    app.register_blueprint(bp)
    if app.config.get("REQUEST_LOG"):
        requestlog.init_app(app)
    trust_proxy_headers(app, int(app.config.get("PROXY_FIX") or 0))


def trust_proxy_headers(app: Flask, proxies: int) -> None:
    """Believe X-Forwarded-For/Proto/Host/Prefix from that many proxies in front of the app."""
    if proxies <= 0:
        return
    from werkzeug.middleware.proxy_fix import ProxyFix

    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_prefix=proxies)
