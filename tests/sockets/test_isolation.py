"""Isolation between meetings: two live meetings with breakout rooms open, and an attacker inside
one of them replaying every inbound event with the other meeting's ids (people, polls, rounds,
rooms, messages, requests, alerts, agenda items). The other meeting changes in no row and hears
nothing; and nothing the other meeting does afterwards reaches the attacker.
"""
from __future__ import annotations

import pytest

from facilitator.actions.reactions import reactions_state
from facilitator.extensions import db
from facilitator.models import BreakoutRoom, Participant

from .conftest import drain, received
from .test_role_matrix import TABLE, Scene, _ok, meeting_rows


def open_rooms(live, scene: Scene, extra=()):
    """Spare (and `extra`) in the first room, Bea in the second; the round opened and everyone synced."""
    w = scene.world
    for pid, room in [(w.spare, w.room1), (w.bea, w.room2), *[(c.pid, w.room1) for c in extra]]:
        _ok(live, scene.owner, "breakout.assign", {"round_id": w.round, "participant_id": pid, "room_id": room})
    _ok(live, scene.owner, "breakout.open", {"round_id": w.round})
    for c in (scene.owner, scene.spare, scene.bea, scene.olive, *extra):
        _ok(live, c, "sync", {})


def ids_of(app, meeting_id: int) -> tuple[set[int], set[int]]:
    """The participant ids and breakout room ids of a meeting."""
    with app.app_context():
        people = set(db.session.execute(db.select(Participant.id).where(Participant.meeting_id == meeting_id))
                     .scalars())
        rooms = set(db.session.execute(db.select(BreakoutRoom.id).where(BreakoutRoom.meeting_id == meeting_id))
                    .scalars())
        return people, rooms


def foreign(envelope: dict, people: set[int], rooms: set[int]) -> bool:
    """Whether an envelope is on a personal or room stream of the other meeting."""
    stream = envelope["stream"]
    if stream[:1] in ("p", "b") and stream[1:].isdigit():
        return int(stream[1:]) in (people if stream[0] == "p" else rooms)
    return False


@pytest.mark.parametrize("attacker", ["participant in a room", "facilitator"])
def test_replaying_every_event_with_another_meetings_ids(app, live, attacker):
    a = Scene(app, live)
    other = live.factory.user(email="other@example.org", name="Otto")
    b_mid, _ = live.factory.meeting(other, title="Another group")
    b = Scene(app, live, meeting_id=b_mid, email="other@example.org")
    mal = live.participant(name="Mal")
    open_rooms(live, a, extra=[mal])
    open_rooms(live, b)
    me = mal if attacker.startswith("participant") else a.owner
    b_people, b_rooms = ids_of(app, b_mid)
    a_people, a_rooms = ids_of(app, live.mid)
    assert b_people and b_rooms and not (b_people & a_people) and not (b_rooms & a_rooms)

    drain(me, *b.watchers, b.bea)
    for name, (_roles, example) in TABLE.items():
        payload = example(b.world)
        before = meeting_rows(app, b_mid)
        ack = live.call(me, name, payload)
        if any(k.endswith(("_id", "_ids")) for k in payload):
            assert ack["ok"] is False, (attacker, name, payload, ack)
        assert meeting_rows(app, b_mid) == before, (attacker, name, "changed the other meeting")
        for c in (*b.watchers, b.bea):
            assert received(c) == [], (attacker, name, "reached the other meeting")
        got = received(me)
        assert [e for e in got if foreign(e, b_people, b_rooms)] == [], (attacker, name)
    reactions_state(app).take(live.mid)

    # The other meeting carries on; none of it reaches the attacker.
    if me.is_connected():
        drain(me)
    w = b.world
    _ok(live, b.owner, "chat.send", {"channel": "main", "text": "Main room news"})
    _ok(live, b.spare, "chat.send", {"channel": "room", "text": "Only for our room"})
    _ok(live, b.owner, "chat.send", {"channel": "room", "room_id": w.room2, "text": "Hello room two"})
    _ok(live, b.owner, "breakout.broadcast", {"round_id": w.round, "text": "Five minutes"})
    _ok(live, b.owner, "poll.create", {"kind": "text", "question": "How was it?", "launch": True})
    _ok(live, b.bea, "support.send", {})
    _ok(live, b.owner, "breakout.close", {"round_id": w.round})
    assert received(b.spare) != [] and received(b.owner) != [], "the other meeting's own people did hear"
    assert received(me) == [], attacker
