"""Who hears what (facilitator/audience.py): every kind of actor against every stream. This table
decides who receives contact plans, support requests and drop alerts (the facilitators' stream),
another person's own stream, another breakout room's talk, and the meeting while still at the gate.
"""
from __future__ import annotations

import pytest

from facilitator.audience import Standing, rooms, snapshot_streams, streams

ME, OTHER = 7, 8  # participant ids
MY_ROOM, OTHER_ROOM = 3, 4  # breakout room ids
MEETING = 5
STREAMS = ["meeting", "facilitators", "gate", f"p{ME}", f"p{OTHER}", f"b{MY_ROOM}", f"b{OTHER_ROOM}"]

ACTORS = {
    "owner": Standing("facilitator", user_id=1),
    "co-facilitator": Standing("cofacilitator", user_id=2),
    "participant inside": Standing("participant", participant_id=ME, entered=True),
    "participant in a breakout room": Standing("participant", participant_id=ME, entered=True, room_id=MY_ROOM),
    "participant reading the rules": Standing("participant", participant_id=ME),
    "removed participant": Standing("participant", participant_id=ME, entered=True, removed=True),
    "observer inside": Standing("observer", participant_id=ME, entered=True),
    "observer in a breakout room": Standing("observer", participant_id=ME, entered=True, room_id=MY_ROOM),
    "observer reading the rules": Standing("observer", participant_id=ME),
}

# THE TABLE: the streams each actor hears. Everything not listed, they must not hear.
HEARS = {
    "owner": {"meeting", "facilitators"},
    "co-facilitator": {"meeting", "facilitators"},
    "participant inside": {"meeting", f"p{ME}"},
    "participant in a breakout room": {"meeting", f"p{ME}", f"b{MY_ROOM}"},
    "participant reading the rules": {"gate", f"p{ME}"},
    "removed participant": {f"p{ME}"},
    "observer inside": {"meeting", f"p{ME}"},
    "observer in a breakout room": {"meeting", f"p{ME}", f"b{MY_ROOM}"},
    "observer reading the rules": {"gate", f"p{ME}"},
}

ROOM_OF = {"meeting": f"meeting:{MEETING}", "facilitators": f"meeting:{MEETING}:facilitators",
           "gate": f"meeting:{MEETING}:gate", f"p{ME}": f"participant:{ME}", f"p{OTHER}": f"participant:{OTHER}",
           f"b{MY_ROOM}": f"breakout:{MY_ROOM}", f"b{OTHER_ROOM}": f"breakout:{OTHER_ROOM}"}


def test_the_table_names_every_actor():
    assert set(HEARS) == set(ACTORS)


@pytest.mark.parametrize("who", list(ACTORS))
@pytest.mark.parametrize("stream", STREAMS)
def test_every_actor_against_every_stream(who, stream):
    s = ACTORS[who]
    hears = stream in streams(s)
    assert hears == (stream in HEARS[who]), (who, stream)
    # the connection is in that stream's room exactly when the actor hears the stream
    assert (ROOM_OF[stream] in rooms(MEETING, s)) == hears, (who, stream)


@pytest.mark.parametrize("who", list(ACTORS))
def test_besides_its_streams_a_connection_is_only_in_the_rooms_that_close_it(who):
    s = ACTORS[who]
    extra = rooms(MEETING, s) - {ROOM_OF[name] for name in streams(s)}
    # a person's own room is also their stream's; a console's account room carries nothing
    assert extra == ({f"meeting:{MEETING}:all", "account:%d" % s.user_id} if s.facilitating
                     else {f"meeting:{MEETING}:all"})
    if not s.facilitating:
        assert f"participant:{ME}" in rooms(MEETING, s)


@pytest.mark.parametrize("who", list(ACTORS))
def test_the_snapshot_numbers_every_stream_heard_but_the_gate(who):
    s = ACTORS[who]
    assert set(snapshot_streams(s)) == HEARS[who] - {"gate"}
    assert s.gated == ("meeting" not in HEARS[who] and not s.facilitating)
