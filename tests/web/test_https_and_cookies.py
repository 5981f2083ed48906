"""Browser-side protections: the security headers on every kind of response (pages, JSON, static
files, errors, and Engine.IO's own polling responses, which do not pass through Flask); HSTS and
Secure cookies over HTTPS, which behind a proxy counts only when the proxy is trusted (PROXY_HOPS);
the login cookie always HttpOnly and SameSite=Lax; forms still work over HTTPS with CSRF on."""
from __future__ import annotations

import pytest

from facilitator.web.headers import BASE, HSTS
from tests.conftest import Factory
from tests.unit.fastdb import close

from .conftest import csrf_token_from, logged_in, make_app

HTTPS = {"X-Forwarded-Proto": "https"}


def assert_base_headers(response, where=""):
    for name, value in BASE.items():
        assert response.headers.get(name) == value, (where, name, response.headers.get(name))


def test_every_kind_of_response_carries_the_headers(client):
    polling = client.get("/socket.io/?EIO=4&transport=polling")
    assert polling.status_code == 200 and polling.get_data(as_text=True).startswith("0{")
    assert_base_headers(polling, "engine.io polling")
    assert_base_headers(client.get("/socket.io/?EIO=9&transport=polling"), "engine.io refusal")
    assert_base_headers(client.post("/j/NOPE", json={"display_name": "x"}), "JSON 404")
    assert_base_headers(client.get("/static/js/dom.js"), "static")


def test_the_csp_allows_no_inline_script_nor_framing():
    csp = dict(part.strip().split(" ", 1) for part in BASE["Content-Security-Policy"].split(";"))
    assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'" and csp["object-src"] == "'none'"
    assert csp["frame-ancestors"] == "'none'" and csp["base-uri"] == "'self'" and csp["form-action"] == "'self'"


def session_cookie(response) -> str:
    [cookie] = [v for v in response.headers.getlist("Set-Cookie") if v.startswith("session=")]
    return cookie


@pytest.fixture
def proxied(tmp_path):
    app = make_app(tmp_path, PROXY_HOPS=1, WTF_CSRF_ENABLED=True)
    Factory(app).user(email="fac1@example.org")
    yield app
    close(app)


def test_behind_a_trusted_proxy_https_brings_hsts_and_secure_cookies(proxied):
    c = proxied.test_client()
    r = c.get("/login", headers=HTTPS)
    assert r.headers["Strict-Transport-Security"] == HSTS
    cookie = session_cookie(r)
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert_base_headers(r)
    # the same proxy over plain HTTP: neither
    r = proxied.test_client().get("/login")
    assert "Strict-Transport-Security" not in r.headers and "Secure" not in session_cookie(r)
    # Engine.IO's responses get HSTS too
    assert c.get("/socket.io/?EIO=4&transport=polling", headers=HTTPS).headers["Strict-Transport-Security"] == HSTS


def test_sign_in_with_csrf_works_over_https(proxied):
    c = proxied.test_client()
    token = csrf_token_from(c.get("/login", headers=HTTPS).get_data(as_text=True))
    r = c.post("/login", data={"email": "fac1@example.org", "password": "correct horse battery",
                               "csrf_token": token}, headers=HTTPS)
    assert r.status_code == 302 and logged_in(c)
    assert "Secure" in session_cookie(r)


def test_without_a_trusted_proxy_forwarded_https_is_ignored(app, client):
    r = client.get("/login", headers=HTTPS)
    assert "Strict-Transport-Security" not in r.headers
    cookie = session_cookie(r)
    assert "Secure" not in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_session_cookie_secure_setting_forces_secure(tmp_path):
    app = make_app(tmp_path, SESSION_COOKIE_SECURE=True)
    try:
        assert "Secure" in session_cookie(app.test_client().get("/login"))
    finally:
        close(app)
