"""Security headers on every response, the trusted-proxy setting, and Secure cookies over HTTPS.

Flask's responses get the headers in `add_headers` (an after_request hook). Engine.IO answers its
long-polling requests itself, outside Flask, so `HeaderMiddleware` adds whatever is missing to any
response that did not come through Flask; it sits outermost, around the Socket.IO middleware.
"""
from __future__ import annotations

from flask import Flask, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'")
HSTS = "max-age=31536000; includeSubDomains"
BASE = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
# Pages that show people's names or a join token: never kept by a browser or a shared cache. The
# REST API as a whole: its meetings, participants, reports, minutes and polls carry people's data
# and link keys, and even its errors can echo what was sent.
NO_STORE = ("/r/", "/j/", "/observe/", "/meetings", "/account", "/api/v1/")


def add_headers(resp):
    for name, value in BASE.items():
        resp.headers.setdefault(name, value)
    if request.is_secure:  # HTTPS, directly or as reported by a trusted proxy (PROXY_HOPS)
        resp.headers.setdefault("Strict-Transport-Security", HSTS)
    if request.path.startswith(NO_STORE):
        resp.headers.setdefault("Cache-Control", "no-store")
    return resp


class HeaderMiddleware:
    """Adds the base headers (and HSTS over HTTPS) to responses that lack them."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        secure = environ.get("wsgi.url_scheme") == "https"

        def start(status, headers, exc_info=None):
            have = {name.lower() for name, _ in headers}
            extra = [(k, v) for k, v in BASE.items() if k.lower() not in have]
            if secure and "strict-transport-security" not in have:
                extra.append(("Strict-Transport-Security", HSTS))
            return start_response(status, list(headers) + extra, exc_info) if exc_info else \
                start_response(status, list(headers) + extra)

        return self.wsgi_app(environ, start)


class SessionCookies(SecureCookieSessionInterface):
    """The login cookie is Secure whenever the request came over HTTPS (or SESSION_COOKIE_SECURE)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(super().get_cookie_secure(app) or (has_request_context() and request.is_secure))


def init_headers(app: Flask) -> None:
    """Headers on every response, and, behind `PROXY_HOPS` reverse proxies, the client's address
    and scheme taken from their X-Forwarded-For/-Proto (rate limits per address, HSTS, Secure
    cookies). With 0 (the default) those headers are ignored: anyone can send them."""
    app.after_request(add_headers)
    app.session_interface = SessionCookies()
    app.wsgi_app = HeaderMiddleware(app.wsgi_app)
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops > 0:  # outermost, so that everything inside sees the client's address and scheme
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
