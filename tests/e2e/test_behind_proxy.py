"""The real server as it runs behind nginx (PROXY_HOPS=1): the forwarded scheme and address are
believed. Over forwarded HTTPS pages carry HSTS and a Secure cookie, sign-in with CSRF works, and
the live connection accepts the site's https Origin and refuses others; rate limits count the
forwarded client address, so one client's guessing does not lock out another behind the same proxy."""
from __future__ import annotations

import re

import pytest
import requests
import socketio

from .conftest import server_with_meeting

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def proxied_server(tmp_path_factory):
    with server_with_meeting(tmp_path_factory.mktemp("proxied"), "Proxied", PROXY_HOPS="1") as served:
        yield served


def via_proxy(client_address: str, https: bool = True) -> dict:
    return {"X-Forwarded-For": client_address, "X-Forwarded-Proto": "https" if https else "http"}


def join_over_https(url: str, meeting: dict) -> str:
    """Join as the page does, over forwarded HTTPS; checks HSTS and the Secure cookie on the way."""
    s = requests.Session()
    page = s.get(url + f"/j/{meeting['join_code']}", headers=via_proxy("203.0.113.1"), timeout=10)
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Secure" in page.headers["Set-Cookie"] and "HttpOnly" in page.headers["Set-Cookie"]
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
    # requests does not send a Secure cookie over http://, as a browser would not; pass it on
    cookie = page.headers["Set-Cookie"].split(";", 1)[0]
    r = requests.post(url + f"/j/{meeting['join_code']}", json={"display_name": "Hana"},
                      headers={**via_proxy("203.0.113.1"), "X-CSRFToken": csrf, "Cookie": cookie}, timeout=10)
    assert r.status_code == 201, r.text
    return r.json()["token"]


def test_forwarded_https_brings_hsts_secure_cookies_and_working_forms(proxied_server):
    url, meeting = proxied_server
    assert len(join_over_https(url, meeting)) >= 32
    plain = requests.get(url + "/", headers=via_proxy("203.0.113.1", https=False), timeout=10)
    assert "Strict-Transport-Security" not in plain.headers and "Secure" not in plain.headers["Set-Cookie"]


def test_the_live_connection_takes_the_sites_https_origin_only(proxied_server):
    url, meeting = proxied_server
    token = join_over_https(url, meeting)
    site = url.replace("http://", "https://")
    for origin, ok in ((site, True), ("https://evil.example", False), (url, False)):
        c = socketio.Client(reconnection=False, websocket_extra_options={"origin": origin})
        try:
            c.connect(url, auth={"token": token}, headers=via_proxy("203.0.113.2"), transports=["websocket"],
                      wait_timeout=10)
            connected = c.call("sync", {}, timeout=10)["ok"] is True
        except socketio.exceptions.ConnectionError:
            connected = False
        finally:
            if c.connected:
                c.disconnect()
        assert connected is ok, origin


def test_rate_limits_count_the_forwarded_client(proxied_server):
    url, meeting = proxied_server
    for i in range(10):
        r = requests.get(url + f"/join?code=ZZZZZZZ{i}", headers=via_proxy("198.51.100.50"), timeout=10)
        assert r.status_code == 404
    r = requests.get(url + f"/j/{meeting['join_code']}", headers=via_proxy("198.51.100.50"), timeout=10)
    assert r.status_code == 429 and r.headers["Retry-After"] == "600"
    other = requests.get(url + f"/j/{meeting['join_code']}", headers=via_proxy("198.51.100.51"), timeout=10)
    assert other.status_code == 200
