"""A closed transport is a page reload or a lost client: `lost_reason` tells them apart by whether the
server was still waiting for an answer to its ping (a silent client), so only a reload waits out the
grace period and a silent drop still alerts within the bound."""
from __future__ import annotations

import time
from types import SimpleNamespace

from facilitator.sockets.connection import lost_reason


def fake_socketio(last_ping):
    sock = SimpleNamespace(last_ping=last_ping)
    manager = SimpleNamespace(eio_sid_from_sid=lambda sid, ns: "eio-1" if sid == "sid-1" else None)
    eio = SimpleNamespace(sockets={"eio-1": sock}, ping_timeout=5)
    return SimpleNamespace(server=SimpleNamespace(manager=manager, eio=eio))


def test_a_transport_closed_while_a_ping_went_unanswered_is_a_ping_timeout():
    assert lost_reason(fake_socketio(time.time() - 6), "sid-1", "transport close") == "ping timeout"
    assert lost_reason(fake_socketio(time.time() - 2.6), "sid-1", "transport close") == "ping timeout"


def test_a_transport_closed_by_a_client_that_answered_is_left_as_it_is():
    assert lost_reason(fake_socketio(None), "sid-1", "transport close") == "transport close"  # pong received
    assert lost_reason(fake_socketio(time.time() - 0.2), "sid-1", "transport close") == "transport close"
    assert lost_reason(fake_socketio(time.time() - 6), "sid-unknown", "transport close") == "transport close"


def test_other_reasons_pass_through():
    for reason in ("ping timeout", "transport error", "client disconnect", "server disconnect", None):
        assert lost_reason(fake_socketio(time.time() - 60), "sid-1", reason) == reason
