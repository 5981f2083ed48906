"""The Socket.IO handshake against the real server process (the Flask-SocketIO test client skips
these checks): the Origin allow-list, connections without a valid credential, and the frame size
limit (`SOCKETIO_MAX_HTTP_BUFFER_SIZE`, 64 KB), which closes only the connection that broke it.
"""
from __future__ import annotations

import json
import re
import time

import pytest
import requests
import socketio
import websocket

from .frames import until

FRAME_LIMIT = 64 * 1024


@pytest.fixture(scope="module")
def meeting(live_server):
    """A live meeting on the shared server, made through the REST API."""
    token = live_server.flask("create-api-token", live_server.email, "handshake test").stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}
    m = requests.post(live_server.url("/api/v1/meetings"), json={"title": "Handshake group"}, headers=headers,
                      timeout=10).json()
    r = requests.post(live_server.url(f"/api/v1/meetings/{m['id']}/state"), json={"state": "live"},
                      headers=headers, timeout=10)
    assert r.status_code == 200, r.text
    return m


def join(live_server, code: str, name: str) -> str:
    """Join as a participant the way the page does (CSRF token from the page); returns the token."""
    s = requests.Session()
    page = s.get(live_server.url(f"/j/{code}"), timeout=10).text
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    r = s.post(live_server.url(f"/j/{code}"), json={"display_name": name}, headers={"X-CSRFToken": csrf},
               timeout=10)
    assert r.status_code == 201, r.text
    return r.json()["token"]


def person(live_server, meeting, name: str) -> tuple[socketio.Client, list]:
    """A participant connected over a websocket, inside the room (rules accepted)."""
    received: list = []
    c = socketio.Client(reconnection=False)
    c.on("event", received.append)
    c.connect(live_server.base_url, auth={"token": join(live_server, meeting["join_code"], name)},
              transports=["websocket"], wait_timeout=10)
    version = c.call("sync", {}, timeout=10)["snapshot"]["rules"]["version"]
    assert c.call("rules.ack", {"version": version}, timeout=10)["ok"] is True
    return c, received


def ws_url(live_server) -> str:
    return live_server.base_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"


def test_a_foreign_origin_is_refused_and_the_servers_own_accepted(live_server, meeting):
    token = join(live_server, meeting["join_code"], "Ori")
    polling = live_server.url("/socket.io/?EIO=4&transport=polling")
    for origin in ("https://evil.example", "http://127.0.0.1.evil.example", "null"):
        assert requests.get(polling, headers={"Origin": origin}, timeout=10).status_code == 400, origin
        with pytest.raises(websocket.WebSocketBadStatusException):
            websocket.create_connection(ws_url(live_server), origin=origin, timeout=10)
        c = socketio.Client(reconnection=False, websocket_extra_options={"origin": origin})
        with pytest.raises(socketio.exceptions.ConnectionError):
            c.connect(live_server.base_url, auth={"token": token}, transports=["websocket"], wait_timeout=5)
    assert requests.get(polling, headers={"Origin": live_server.base_url}, timeout=10).status_code == 200
    c = socketio.Client(reconnection=False, websocket_extra_options={"origin": live_server.base_url})
    c.connect(live_server.base_url, auth={"token": token}, transports=["websocket"], wait_timeout=10)
    try:
        assert c.call("sync", {}, timeout=10)["ok"] is True
    finally:
        c.disconnect()


def test_forwarded_headers_from_a_client_do_not_widen_the_origin_check(live_server, meeting):
    """Engine.IO accepts an Origin that matches X-Forwarded-Host/Proto, which any non-browser client
    can send; the connect handler compares with the real host (no proxy is trusted here) and refuses."""
    token = join(live_server, meeting["join_code"], "Fwd")
    ws = websocket.create_connection(ws_url(live_server), origin="https://evil.example", timeout=10,
                                     header={"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"})
    try:
        assert ws.recv().startswith("0{")
        ws.send("40" + json.dumps({"token": token}))
        refusal = ws.recv()
        assert refusal.startswith("44") and "origin" in refusal.lower(), refusal
        ws.send('420["sync",{}]')
        assert frames(ws, 1.0) == []
    finally:
        ws.close()


def frames(ws, seconds: float) -> list[str]:
    """Every text frame the server sends within `seconds`, answering its pings as a client must."""
    return until(ws, lambda _frame: False, seconds)


@pytest.mark.parametrize("auth", [None, {}, {"token": "x" * 43}, {"meeting_id": 1}])
def test_no_valid_credential_gets_nothing(live_server, meeting, auth):
    """A raw client whose CONNECT is refused, then sending events anyway, gets no ack, no state and
    none of the meeting's events, while the meeting carries on."""
    inside, _ = person(live_server, meeting, "Ina")
    ws = websocket.create_connection(ws_url(live_server), origin=live_server.base_url, timeout=10)
    try:
        assert ws.recv().startswith("0{")  # engine.io open
        ws.send("40" + ("" if auth is None else json.dumps(auth)))
        refusal = ws.recv()
        assert refusal.startswith("44"), refusal  # Socket.IO CONNECT_ERROR
        assert "Traceback" not in refusal and "File " not in refusal
        for i, event in enumerate(["sync", "chat.send", "hand.raise", "rules.ack"]):
            ws.send(f"42{i}" + json.dumps([event, {"channel": "main", "text": "let me in", "version": 1}]))
        assert inside.call("chat.send", {"channel": "main", "text": "Still here"}, timeout=10)["ok"] is True
        assert inside.call("hand.raise", {}, timeout=10)["ok"] is True
        assert frames(ws, 1.5) == []
    finally:
        ws.close()
        inside.disconnect()


def test_an_oversized_frame_closes_only_its_sender(live_server, meeting):
    canary, canary_got = person(live_server, meeting, "Cana")
    sender, _ = person(live_server, meeting, "Big")
    try:
        before = canary.call("sync", {}, timeout=10)["snapshot"]
        sender.emit("chat.send", {"channel": "main", "text": "x" * (FRAME_LIMIT + 1)})
        deadline = time.monotonic() + 10
        while sender.connected and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not sender.connected, "the sender of an oversized frame is disconnected"
        # The canary is still served: it can act, and it hears others.
        assert canary.connected
        assert canary.call("chat.send", {"channel": "main", "text": "Canary sings"}, timeout=10)["ok"] is True
        after = canary.call("sync", {}, timeout=10)["snapshot"]
        texts = [m["text"] for m in after["chat"]["main"]]
        assert "Canary sings" in texts and not any(len(t) > FRAME_LIMIT for t in texts)
        assert after["meeting"]["id"] == before["meeting"]["id"]
        # a frame just under the limit is still read (and refused by the schema, with an ack)
        ack = canary.call("chat.send", {"channel": "main", "text": "y" * (FRAME_LIMIT - 200)}, timeout=10)
        assert ack["ok"] is False and ack["error"]["code"] == "invalid"
        assert canary.connected
    finally:
        for c in (canary, sender):
            if c.connected:
                c.disconnect()
