"""Bad input on the live channel: every call gets an error ack, and the database does not change."""
from __future__ import annotations

import pytest

from facilitator.actions import participants
from facilitator.extensions import socketio as sio
from facilitator.sockets.registry import INBOUND
from tests.unit.support import dump_db

from .conftest import assert_clean_ack, drain, received

BIG = "x" * 100_000

PARTICIPANT_CASES = [
    # (event, args, expected code)
    ("no.such.event", ({},), "unknown_event"),
    ("", (), "unknown_event"),
    ("me.status", ({"mic": "loud"},), "invalid"),
    ("me.status", ({"mic": 1},), "invalid"),
    ("me.status", ({"mic": None},), "invalid"),
    ("me.status", ({"mic": "on", "volume": 11},), "invalid"),          # extra field
    ("me.status", ({"mic": "on"}, {"camera": "on"}), "invalid"),        # extra argument
    ("me.status", ({"mic": "on"}, "extra"), "invalid"),
    ("me.status", (["mic", "on"],), "invalid"),                         # wrong-typed payloads
    ("me.status", ("mic=on",), "invalid"),
    ("me.status", (42,), "invalid"),
    ("me.status", (True,), "invalid"),
    ("me.status", ({"mic": BIG},), "invalid"),                          # oversized
    ("me.status", ({},), "invalid"),
    ("me.status", ({"mic": {"$ne": "x"}},), "invalid"),
    ("rules.ack", ({"version": "1"},), "invalid"),
    ("rules.ack", ({"version": 1.0},), "invalid"),
    ("rules.ack", ({"version": True},), "invalid"),
    ("rules.ack", ({"version": -1},), "invalid"),
    ("rules.ack", ({"version": 2**70},), "invalid"),
    ("rules.ack", ({},), "invalid"),
    ("rules.ack", ({"version": 7},), "rules_changed"),
    ("sync", ({"full": True},), "invalid"),
    ("sync", ({}, {}), "invalid"),
    ("me.leave", ({"now": True},), "invalid"),
    ("participant.remove", ({"participant_id": 1},), "forbidden"),
    ("meeting.state", ({"state": "ended"},), "forbidden"),
    ("rules.set", ({"items": []},), "forbidden"),
]

FACILITATOR_CASES = [
    ("meeting.state", ({"state": "draft"},), "invalid"),
    ("meeting.state", ({"state": "LIVE"},), "invalid"),
    ("meeting.state", ({"state": None},), "invalid"),
    ("meeting.state", ({"state": ["live"]},), "invalid"),
    ("meeting.state", ({"state": "open"},), "no_change"),
    ("meeting.state", ({"state": "paused"},), "bad_transition"),
    ("participant.remove", ({"participant_id": "1"},), "invalid"),
    ("participant.remove", ({"participant_id": 0},), "invalid"),
    ("participant.remove", ({"participant_id": 2**40},), "invalid"),
    ("participant.remove", ({"participant_id": 999},), "not_found"),
    ("rules.set", ({"items": [{"title": "t", "text": "x"}] * 31},), "invalid"),        # too many
    ("rules.set", ({"items": [{"title": "t" * 81, "text": "x"}]},), "invalid"),        # too long
    ("rules.set", ({"items": [{"title": "t", "text": BIG}]},), "invalid"),
    ("rules.set", ({"items": [{"title": "t\x00", "text": "x"}]},), "invalid"),         # control char
    ("rules.set", ({"items": [{"title": "", "text": "x"}]},), "invalid"),
    ("rules.set", ({"items": [{"title": "t"}]},), "invalid"),
    ("rules.set", ({"items": "all of them"},), "invalid"),
    ("rules.set", ({"items": [["t", "x"]]},), "invalid"),
    ("rules.set", ({"items": [{"title": "t", "text": "x", "id": 3}]},), "invalid"),
    ("rules.set", ({},), "invalid"),
    ("rules.ack", ({"version": 1},), "not_participant"),
    ("me.status", ({"mic": "on"},), "not_participant"),
]


@pytest.fixture
def room(live):
    f = live.facilitator()
    p = live.participant(name="Pat")
    other = live.participant(name="Ola")
    return f, p, other


def _check(app, live, client, watchers, event, args, code):
    drain(*watchers)
    before = dump_db(app)
    ack = assert_clean_ack(client.emit(event, *args, callback=True))
    assert ack["ok"] is False and ack["error"]["code"] == code, (event, args, ack)
    assert dump_db(app) == before, f"{event} {args!r:.80} changed the database"
    assert all(received(w) == [] for w in watchers), "nothing was announced"
    assert client.is_connected()


def test_bad_participant_calls_change_nothing(app, live, room):
    f, p, other = room
    for event, args, code in PARTICIPANT_CASES:
        _check(app, live, p, [f, other], event, args, code)


def test_bad_facilitator_calls_change_nothing(app, live, room):
    f, p, other = room
    for event, args, code in FACILITATOR_CASES:
        _check(app, live, f, [p, other], event, args, code)


def test_unknown_event_name_is_not_echoed_at_length(app, live, room):
    _f, p, _o = room
    ack = live.call(p, "z" * 5000, {})
    assert ack["error"]["code"] == "unknown_event" and len(ack["error"]["message"]) < 200


def test_an_unexpected_failure_is_an_internal_ack_with_no_detail_and_rolls_back(app, live, room, monkeypatch):
    """A failure after rows were flushed: generic message, nothing committed, nothing announced."""
    f, p, other = room
    real = participants.do_set_status

    def boom(participant, data):
        real(participant, data)  # flushes the change and queues events...
        raise RuntimeError("secret detail /etc/passwd")  # ...then fails

    monkeypatch.setattr(participants, "do_set_status", boom)
    drain(f, p, other)
    before = dump_db(app)
    ack = live.call(p, "me.status", {"mic": "on"})
    assert ack["ok"] is False and ack["error"]["code"] == "internal"
    assert "secret" not in str(ack) and "RuntimeError" not in str(ack)
    assert dump_db(app) == before
    assert received(f) == [] and received(p) == [] and received(other) == []
    assert live.call(p, "sync")["ok"] is True, "the connection still works"


def test_malformed_packet_is_dropped_and_changes_nothing(app, live, room):
    """A frame that is not JSON cannot be acknowledged (its ack id is inside it); it must not hurt."""
    f, p, other = room
    before = dump_db(app)
    drain(f, other)
    for raw in ('21["me.status",{"mic":', '2["me.status"', "2{}", "29999999999999999999[]", "2[1,2,3]"):
        sio.server.eio._trigger_event("message", p.eio_sid, raw)  # the engine.io entry point, as in production
    assert dump_db(app) == before
    assert received(f) == [] and received(other) == []
    assert live.call(p, "sync")["ok"] is True


def test_events_without_an_ack_callback_still_validate(app, live, room):
    f, p, other = room
    drain(f, other)
    before = dump_db(app)
    p.emit("me.status", {"mic": "shouting"})  # no callback requested
    assert dump_db(app) == before and received(f) == []


def test_every_registered_event_answers_an_unauthenticated_connection_safely(app, live):
    """ACTORS is the only per-process state; if it is missing an entry, handlers refuse politely."""
    from facilitator.sockets.registry import ACTORS

    p = live.participant()
    sid = sio.server.manager.sid_from_eio_sid(p.eio_sid, "/")
    ACTORS.pop(sid)
    before = dump_db(app)
    for name in INBOUND:
        ack = live.call(p, name, {})
        assert ack["ok"] is False and ack["error"]["code"] == "unauthenticated", name
    assert dump_db(app) == before
