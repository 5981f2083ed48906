"""The floor over the live channel, with several clients at once: a facilitator and a co-facilitator
(signed in), four participants and an observer (tokens).

Each client keeps a mirror of its state: the `sync` snapshot with every event it receives applied
by `state.apply_event`, as the browser does. The tests check what each mirror says (a participant's
own position against the facilitator's queue), that it equals a fresh `sync`, and that nobody but
facilitators ever hears the queue's names or the balance numbers.
"""
from __future__ import annotations

import json

import pytest

from facilitator.extensions import db
from facilitator.models import Turn
from tests.helpers import json_diff
from tests.unit.support import dump_db

from .mirror import Mirror as BaseMirror

PRIVATE_TYPES = {"queue", "balance", "people"}


class Mirror(BaseMirror):
    """The shared mirror, with what this feature's clients show."""

    @property
    def queue(self) -> list[str]:
        return [h["name"] for h in self.snap["private"]["queue"]["hands"]]

    @property
    def hand(self) -> dict:
        return self.snap["hand"]

    @property
    def speaker(self) -> str | None:
        s = self.snap["floor"]["speaker"]
        return s["name"] if s else None


class Room:
    def __init__(self, app, live):
        self.app, self.live = app, live
        # the co-facilitator first: the helper adds that row without an event
        self.co = Mirror(live, live.cofacilitator(), "Cody")
        self.f = Mirror(live, live.facilitator(), "Fran")
        self.people = {n: Mirror(live, live.participant(name=n), n) for n in ("Ann", "Bo", "Cat", "Dee")}
        self.obs = Mirror(live, live.participant(name="Oz", role="observer"), "Oz")
        self.everyone = [self.f, self.co, self.obs, *self.people.values()]
        self.update()
        for m in self.everyone:  # the arrivals above (roster, people) are not what these tests look at
            m.log = []

    def __getitem__(self, name) -> Mirror:
        return self.people[name]

    def pid(self, name) -> int:
        return self.people[name].c.pid

    def update(self) -> dict[str, list[dict]]:
        return {m.name: m.update() for m in self.everyone}

    def call(self, who: Mirror, event, data=None):
        ack = self.live.call(who.c, event, *(() if data is None else (data,)))
        self.update()
        return ack

    def ok(self, who: Mirror, event, data=None):
        ack = self.call(who, event, data)
        assert ack["ok"] is True, (who.name, event, ack)
        return ack

    def check_consistent(self):
        """Every mirror equals a fresh sync, and every participant's own position agrees with the
        facilitators' queue."""
        for m in self.everyone:
            fresh = m.fresh()
            assert m.snap == fresh, (m.name, "events do not add up to a fresh snapshot", json_diff(m.snap, fresh))
        order = self.f.queue
        assert self.co.queue == order
        for name, m in self.people.items():
            expect = order.index(name) + 1 if name in order else None
            assert m.hand["position"] == expect, (name, m.hand, order)
            assert m.hand["raised"] is (expect is not None)
            assert m.snap["floor"]["queue_length"] == len(order)
        assert self.obs.snap["hand"] == {"raised": False, "kind": None, "position": None, "raised_at": None}


@pytest.fixture
def room(app, live):
    return Room(app, live)


def _assert_no_private(m: Mirror):
    for e in m.log:
        assert e["type"] not in PRIVATE_TYPES, (m.name, e)
        assert e["stream"] in ("meeting", f"p{m.c.pid}"), (m.name, e)
    assert "private" not in m.snap and "private" not in m.fresh()


# --- ordering ------------------------------------------------------------------------------------


def test_ordering_and_priorities_as_each_participant_sees_them(room):
    ack = room.ok(room["Ann"], "hand.raise", {"kind": "new"})
    assert ack["hand"]["position"] == 1 and ack["hand"]["kind"] == "new"
    ack = room.ok(room["Bo"], "hand.raise")                       # kind defaults to a new point
    assert ack["hand"] == room["Bo"].hand and ack["hand"]["position"] == 2 and ack["hand"]["kind"] == "new"
    room.ok(room.f, "floor.call", {"participant_id": room.pid("Dee")})  # someone speaks up: direct
    assert {m.name: m.speaker for m in room.everyone} == {m.name: "Dee" for m in room.everyone}

    room.ok(room["Cat"], "hand.raise", {"kind": "reply"})
    assert room.f.queue == ["Cat", "Ann", "Bo"]
    assert (room["Cat"].hand["position"], room["Ann"].hand["position"], room["Bo"].hand["position"]) == (1, 2, 3)

    ack = room.call(room["Dee"], "hand.raise", {"kind": "process"})
    assert ack["ok"] is False and ack["error"]["code"] == "speaking"

    room.ok(room["Bo"], "hand.lower")
    room.ok(room["Bo"], "hand.raise", {"kind": "process"})
    assert room.f.queue == ["Bo", "Cat", "Ann"], "process ahead of reply ahead of new"
    assert room["Bo"].hand == {**room["Bo"].hand, "raised": True, "kind": "process", "position": 1}
    room.check_consistent()


def test_quiet_mode_is_shown_to_everyone_and_puts_quieter_voices_first(room):
    room.ok(room.f, "floor.call", {"participant_id": room.pid("Ann")})
    room.ok(room.f, "floor.end")
    room.ok(room["Ann"], "hand.raise")
    room.ok(room["Bo"], "hand.raise")
    assert room.f.queue == ["Ann", "Bo"]
    room.ok(room.f, "queue.mode", {"mode": "quiet"})
    assert {m.name: m.snap["floor"]["mode"] for m in room.everyone} == {m.name: "quiet" for m in room.everyone}
    assert room.f.queue == ["Bo", "Ann"], "Bo has not spoken yet; Ann has"
    assert room["Bo"].hand["position"] == 1 and room["Ann"].hand["position"] == 2
    room.check_consistent()


# --- calling, moving, lowering, clearing ----------------------------------------------------------


def test_call_next_and_call_anyone(room):
    for name in ("Ann", "Bo", "Cat"):
        room.ok(room[name], "hand.raise")
    ack = room.ok(room.f, "floor.next")
    assert ack["participant_id"] == room.pid("Ann")
    assert all(m.speaker == "Ann" for m in room.everyone)
    assert room["Ann"].hand["raised"] is False, "called: the hand is lowered"
    assert room.f.queue == ["Bo", "Cat"] and room["Bo"].hand["position"] == 1

    ack = room.ok(room.co, "floor.call", {"participant_id": room.pid("Cat")})   # from the middle of the queue
    assert ack["participant_id"] == room.pid("Cat") and room.f.queue == ["Bo"]
    assert room.f.snap["floor"]["speaker"]["source"] == "queue"

    room.ok(room.f, "floor.call", {"participant_id": room.pid("Dee")})         # not in the queue
    assert room.f.snap["floor"]["speaker"]["source"] == "direct" and room.f.queue == ["Bo"]

    room.ok(room.f, "floor.end")
    assert all(m.speaker is None for m in room.everyone)
    with room.app.app_context():
        turns = db.session.execute(db.select(Turn.participant_id, Turn.source).order_by(Turn.id)).all()
        assert all(t.ended_at for t in db.session.execute(db.select(Turn)).scalars())
    assert [tuple(t) for t in turns] == [(room.pid("Ann"), "queue"), (room.pid("Cat"), "queue"),
                                         (room.pid("Dee"), "direct")]
    people = {r["participant_id"]: r for r in room.f.snap["private"]["balance"]["people"]}
    assert {pid: r["turns"] for pid, r in people.items()} == {room.pid(n): 1 for n in ("Ann", "Cat", "Dee")}
    assert all(r["talk_seconds"] > 0 for r in people.values())
    room.check_consistent()


def test_move_lower_and_clear(room):
    for name in ("Ann", "Bo", "Cat", "Dee"):
        room.ok(room[name], "hand.raise")
    ack = room.ok(room.f, "queue.move", {"participant_id": room.pid("Dee"), "position": 1})
    assert ack["position"] == 1
    assert room.f.queue == ["Dee", "Ann", "Bo", "Cat"] and room["Dee"].hand["position"] == 1
    assert room["Cat"].hand["position"] == 4
    ack = room.ok(room.co, "queue.move", {"participant_id": room.pid("Ann"), "position": 50})
    assert ack["position"] == 4 and room.f.queue == ["Dee", "Bo", "Cat", "Ann"]
    room.check_consistent()

    room.ok(room.f, "queue.lower", {"participant_id": room.pid("Bo")})
    assert room.f.queue == ["Dee", "Cat", "Ann"] and room["Bo"].hand["raised"] is False
    assert room["Cat"].hand["position"] == 2
    room.ok(room["Dee"], "hand.lower")
    assert room.f.queue == ["Cat", "Ann"] and room["Cat"].hand["position"] == 1

    ack = room.ok(room.f, "queue.clear")
    assert ack["lowered"] == 2
    assert room.f.queue == [] and all(not m.hand["raised"] for m in room.people.values())
    room.check_consistent()


def test_a_hand_survives_a_dropped_connection(room, live):
    room.ok(room["Ann"], "hand.raise")
    room.ok(room["Bo"], "hand.raise", {"kind": "process"})
    room["Bo"].c.disconnect()
    again = live.sockets(auth={"token": room["Bo"].c.token})
    snap = live.call(again, "sync")["snapshot"]
    assert snap["hand"]["raised"] is True and snap["hand"]["position"] == 1 and snap["hand"]["kind"] == "process"
    assert live.call(room.f.c, "sync")["snapshot"]["private"]["queue"]["hands"][0]["name"] == "Bo"


# --- go-rounds ----------------------------------------------------------------------------------------


def test_goround_over_the_wire(room):
    order = [room.pid(n) for n in ("Cat", "Ann", "Bo")]
    ack = room.ok(room.f, "goround.start", {"participant_ids": order, "seconds": 30})
    assert ack["order"] == order
    assert all(m.speaker == "Cat" for m in room.everyone)
    assert room["Cat"].snap["floor"]["speaker"]["ends_at"] is not None
    room.ok(room.f, "goround.next", {"index": 0})
    assert all(m.speaker == "Ann" for m in room.everyone)
    room.ok(room["Ann"], "goround.pass")
    assert room["Bo"].snap["floor"]["goround"]["passes"] == [room.pid("Ann")]
    assert all(m.speaker == "Bo" for m in room.everyone)
    room.ok(room.f, "goround.stop")
    assert all(m.snap["floor"]["goround"] is None and m.speaker is None for m in room.everyone)
    people = {r["participant_id"]: r for r in room.f.snap["private"]["balance"]["people"]}
    assert (people[room.pid("Ann")]["turns"], people[room.pid("Ann")]["passes"]) == (0, 1)
    assert people[room.pid("Cat")]["turns"] == 1 and people[room.pid("Bo")]["turns"] == 1
    room.check_consistent()


# --- who hears what --------------------------------------------------------------------------------


def test_queue_names_and_balance_reach_facilitators_only(room):
    room.ok(room["Ann"], "hand.raise")
    room.ok(room["Bo"], "hand.raise")
    room.ok(room.f, "floor.next")
    room.ok(room["Cat"], "hand.raise", {"kind": "reply"})
    room.ok(room.f, "queue.move", {"participant_id": room.pid("Bo"), "position": 1})
    room.ok(room.f, "floor.next")
    room.ok(room.f, "floor.end")
    room.ok(room.f, "queue.mode", {"mode": "quiet"})
    room.ok(room.f, "goround.start", {"participant_ids": [room.pid("Dee"), room.pid("Ann")]})
    room.ok(room["Dee"], "goround.pass")
    room.ok(room.f, "goround.stop")
    room.ok(room.f, "queue.clear")

    for fac in (room.f, room.co):
        types = {(e["type"], e["stream"]) for e in fac.log}
        assert ("balance", "facilitators") in types and ("queue", "facilitators") in types, fac.name
        assert "balance" in fac.snap["private"] and "queue" in fac.snap["private"]
    names_seen = {h["name"] for e in room.f.log if e["type"] == "queue" for h in e["data"]["hands"]}
    assert names_seen == {"Ann", "Bo", "Cat"}, "the facilitators are told who is waiting"

    for m in (room.obs, *room.people.values()):
        _assert_no_private(m)
        assert any(e["type"] == "floor" for e in m.log), f"{m.name} did see the floor change"
    # who is waiting is not public: Cat raised a hand and never spoke, and nobody else's wire names her
    for m in (room.obs, room["Ann"], room["Bo"], room["Dee"]):
        assert "Cat" not in json.dumps(m.log), (m.name, [e for e in m.log if "Cat" in json.dumps(e)])
    assert "Bo" in json.dumps(room["Ann"].log), "(a speaker's name is public: the check above can see names)"
    assert not any(e["type"] == "hand" for e in room.obs.log), "an observer has no hand to hear about"
    room.check_consistent()


# --- bad input: a clear error, and nothing changes ----------------------------------------------


@pytest.fixture
def stranger(live):
    """A participant of another facilitator's meeting."""
    uid = live.factory.user(email="other@example.org", name="Olga")
    mid, _ = live.factory.meeting(uid)
    _, pid = live.factory.join(mid, name="Stranger")
    return pid


def _refused(room, who, event, data, code):
    before = dump_db(room.app)
    ack = room.live.call(who.c, event, *(() if data is None else (data,)))
    assert ack["ok"] is False and ack["error"]["code"] == code, (who.name, event, ack)
    assert ack["error"]["message"], "a sentence for people"
    assert dump_db(room.app) == before, (event, "changed the database")
    heard = room.update()
    assert all(v == [] for v in heard.values()), (event, "somebody heard of a refused action", heard)
    return ack


def test_bad_input_is_refused_and_changes_nothing(room, stranger):
    room.ok(room["Ann"], "hand.raise")
    room.ok(room["Bo"], "hand.raise")

    _refused(room, room["Ann"], "hand.raise", {"kind": "new"}, "already_raised")
    _refused(room, room["Ann"], "hand.raise", {"kind": "process"}, "already_raised")
    _refused(room, room["Cat"], "hand.raise", {"kind": "reply"}, "no_speaker")
    _refused(room, room["Cat"], "hand.raise", {"kind": "urgent"}, "invalid")
    _refused(room, room["Cat"], "hand.lower", None, "not_raised")
    _refused(room, room["Bo"], "queue.lower", {"participant_id": room.pid("Ann")}, "forbidden")
    _refused(room, room["Bo"], "queue.move", {"participant_id": room.pid("Bo"), "position": 1}, "forbidden")
    _refused(room, room["Bo"], "queue.clear", None, "forbidden")
    _refused(room, room["Bo"], "queue.mode", {"mode": "quiet"}, "forbidden")
    _refused(room, room["Ann"], "floor.next", None, "forbidden")
    _refused(room, room["Ann"], "floor.call", {"participant_id": room.pid("Ann")}, "forbidden")
    _refused(room, room["Ann"], "floor.end", None, "forbidden")
    _refused(room, room.obs, "hand.raise", {"kind": "new"}, "observer")
    _refused(room, room.f, "hand.raise", {"kind": "new"}, "not_participant")
    _refused(room, room.f, "floor.call", {"participant_id": stranger}, "not_found")
    _refused(room, room.f, "floor.call", {"participant_id": room.obs.c.pid}, "observer")
    _refused(room, room.f, "queue.lower", {"participant_id": stranger}, "not_found")
    _refused(room, room.f, "queue.lower", {"participant_id": room.pid("Cat")}, "not_raised")
    _refused(room, room.f, "queue.move", {"participant_id": room.pid("Ann"), "position": 0}, "invalid")
    _refused(room, room.f, "queue.mode", {"mode": "loudest"}, "invalid")
    _refused(room, room.f, "floor.end", None, "no_speaker")
    _refused(room, room.f, "goround.start", {"participant_ids": [room.pid("Ann"), stranger]}, "not_found")
    _refused(room, room.f, "goround.start", {"participant_ids": [room.pid("Ann"), room.pid("Ann")]}, "invalid")

    room.ok(room.f, "goround.start", {"participant_ids": [room.pid("Cat"), room.pid("Dee")]})
    _refused(room, room.f, "goround.next", {"index": 1}, "stale_index")
    _refused(room, room["Dee"], "goround.pass", None, "not_your_turn")
    _refused(room, room.obs, "goround.pass", None, "observer")
    _refused(room, room.f, "floor.next", None, "goround_running")
    _refused(room, room["Cat"], "hand.raise", {"kind": "new"}, "speaking")
    room.ok(room.f, "goround.next", {"index": 0})
    _refused(room, room.f, "goround.next", {"index": 0}, "stale_index")
    room.ok(room.f, "goround.stop")
    _refused(room, room["Dee"], "goround.pass", None, "no_goround")
    room.check_consistent()
    assert room.f.queue == ["Ann", "Bo"]


# --- someone whose connection dropped ---------------------------------------------------------------


def _drop_and_return(room, name):
    """`name`'s connection drops (the socket closes without a leave); returns a function bringing
    them back on a new connection, with a fresh mirror."""
    room[name].c.disconnect()
    room.everyone = [m for m in room.everyone if m is not room[name]]  # it hears nothing now
    room.update()

    def back():
        c = room.live.sockets(auth={"token": room[name].c.token})
        assert c.is_connected()
        c.token, c.pid = room[name].c.token, room[name].c.pid
        room.people[name] = Mirror(room.live, c, name)
        room.everyone = [room.f, room.co, room.obs, *room.people.values()]
        room.update()
    return back


def test_call_next_passes_over_a_dropped_connection_and_says_so(room):
    for name in ("Ann", "Bo", "Cat"):
        room.ok(room[name], "hand.raise")
    ann_back = _drop_and_return(room, "Ann")
    assert [p["presence"] for p in room.f.snap["private"]["people"] if p["name"] == "Ann"] == ["reconnecting"]
    ack = room.ok(room.f, "floor.next")
    assert ack == {"ok": True, "participant_id": room.pid("Bo"), "name": "Bo",
                   "skipped": [{"participant_id": room.pid("Ann"), "name": "Ann"}],
                   "message": "Ann is not connected; called Bo instead (their hand stays in the queue)."}
    assert room.f.speaker == "Bo" and room.f.queue == ["Ann", "Cat"], "Ann keeps her place"
    refused = room.call(room.co, "floor.call", {"participant_id": room.pid("Ann")})
    assert refused["error"]["code"] == "not_connected" and "Ann is not connected" in refused["error"]["message"]
    ann_back()
    assert room["Ann"].hand["position"] == 1
    ack = room.ok(room.f, "floor.next")
    assert (ack["name"], ack["skipped"], ack["message"]) == ("Ann", [], None)
    with room.app.app_context():
        assert [t for (t,) in db.session.execute(db.select(Turn.participant_id).order_by(Turn.id))] == \
            [room.pid("Bo"), room.pid("Ann")], "no turn was ever given to Ann while away"
    room.check_consistent()


def test_call_next_with_only_dropped_connections_waiting_is_refused(app, room):
    room.ok(room["Ann"], "hand.raise")
    _drop_and_return(room, "Ann")
    before = dump_db(app)
    ack = room.call(room.f, "floor.next")
    assert ack["ok"] is False and ack["error"]["code"] == "nobody_connected", ack
    assert "Ann" in ack["error"]["message"]
    assert dump_db(app) == before


def _away(m: Mirror) -> dict | None:
    """What a facilitator's console has of who the latest go-round moved to the end or passed over."""
    view = m.snap["private"]["queue"]["goround"]
    if view is None:
        return None
    return {"running": view["running"], "deferred": [p["name"] for p in view["deferred"]],
            "skipped": [p["name"] for p in view["skipped"]]}


def test_round_next_moves_a_dropped_connection_to_the_end_and_they_speak_once_back(room):
    order = [room.pid(n) for n in ("Ann", "Bo", "Cat")]
    room.ok(room.f, "goround.start", {"participant_ids": order})
    bo_back = _drop_and_return(room, "Bo")
    ack = room.ok(room.f, "goround.next", {"index": 0})
    assert ack == {"ok": True, "deferred": [{"participant_id": room.pid("Bo"), "name": "Bo"}], "skipped": [],
                   "message": "Bo is not connected: their turn moves to the end of the round. It is Cat's turn."}
    rnd = room.f.snap["floor"]["goround"]
    assert room.f.speaker == "Cat" and rnd["index"] == 2
    assert [m["name"] for m in rnd["order"]] == ["Ann", "Bo", "Cat", "Bo"]
    assert _away(room.f) == _away(room.co) == {"running": True, "deferred": ["Bo"], "skipped": []}
    bo_back()
    ack = room.ok(room.f, "goround.next", {"index": 2})
    assert (ack["deferred"], ack["skipped"], ack["message"]) == ([], [], None)
    assert all(m.speaker == "Bo" for m in room.everyone), "back before his moved turn: Bo has it"
    assert _away(room.f) == {"running": True, "deferred": [], "skipped": []}
    room.ok(room.f, "goround.next", {"index": 3})
    assert room.f.snap["floor"]["goround"] is None
    room.check_consistent()


def test_a_pass_tells_the_facilitators_who_was_moved_and_passed_over(room):
    """The pass's ack goes to the person passing; the facilitators learn from their queue view
    (queue.updated) who the round moved to the end, and who it then passed over for good."""
    room.ok(room.f, "goround.start", {"participant_ids": [room.pid(n) for n in ("Ann", "Bo", "Cat")]})
    _drop_and_return(room, "Bo")
    ack = room.ok(room["Ann"], "goround.pass")
    assert ack == {"ok": True}
    assert room.f.speaker == "Cat"
    assert _away(room.f) == _away(room.co) == {"running": True, "deferred": ["Bo"], "skipped": []}
    assert any(e["type"] == "queue" and e["data"]["goround"]["deferred"] for e in room.f.log)
    room.ok(room["Cat"], "goround.pass")
    assert room.f.snap["floor"]["goround"] is None, "Bo, still away at his moved turn, was passed over"
    assert _away(room.f) == _away(room.co) == {"running": False, "deferred": [], "skipped": ["Bo"]}
    room.check_consistent()
    for m in room.everyone:
        if m not in (room.f, room.co):
            _assert_no_private(m)


def test_the_speaker_leaving_mid_round_tells_the_facilitators(room):
    room.ok(room.f, "goround.start", {"participant_ids": [room.pid(n) for n in ("Ann", "Bo", "Cat")]})
    _drop_and_return(room, "Bo")
    room.ok(room["Ann"], "me.leave")
    assert room.f.speaker == "Cat"
    assert _away(room.f) == _away(room.co) == {"running": True, "deferred": ["Bo"], "skipped": []}
    room.ok(room.f, "participant.remove", {"participant_id": room.pid("Cat")})
    room.update()
    assert room.f.snap["floor"]["goround"] is None and room.f.speaker is None
    assert _away(room.f) == _away(room.co) == {"running": False, "deferred": [], "skipped": ["Bo"]}
    for m in (room.f, room.co):
        assert m.snap == m.fresh()


def test_goround_start_shuffled_moves_a_dropped_connection_to_the_end(room, monkeypatch):
    from facilitator.actions import floor

    monkeypatch.setattr(floor.random, "SystemRandom", lambda: type("Rev", (), {"shuffle": staticmethod(list.reverse)}))
    _drop_and_return(room, "Dee")
    ids = [room.pid(n) for n in ("Ann", "Bo", "Cat", "Dee")]
    ack = room.ok(room.f, "goround.start", {"participant_ids": ids, "shuffle": True})
    assert ack["order"] == [room.pid(n) for n in ("Dee", "Cat", "Bo", "Ann", "Dee")]
    assert ack["deferred"] == [{"participant_id": room.pid("Dee"), "name": "Dee"}] and ack["skipped"] == []
    assert ack["message"] == "Dee is not connected: their turn moves to the end of the round. It is Cat's turn."
    assert all(m.speaker == "Cat" for m in room.everyone)
    assert [m["name"] for m in room.f.snap["floor"]["goround"]["order"]] == ["Dee", "Cat", "Bo", "Ann", "Dee"]
    assert _away(room.f) == {"running": True, "deferred": ["Dee"], "skipped": []}
    room.check_consistent()


def test_the_asyncapi_document_gives_the_call_ack_and_its_codes(app):
    doc = app.test_client().get("/api/asyncapi.json").get_json()
    messages = {m["name"]: m for m in doc["components"]["messages"].values()}
    for name in ("floor.next", "floor.call", "goround.next", "goround.start"):
        ok, _error = messages[f"{name} ack"]["payload"]["oneOf"]
        assert {"skipped", "message"} <= set(ok["properties"]), name
        if name.startswith("goround"):
            assert "deferred" in ok["properties"], name
    assert "nobody_connected" in messages["floor.next"]["x-error-codes"]
    assert "not_connected" in messages["floor.call"]["x-error-codes"]
    assert "nobody_connected" in messages["goround.start"]["x-error-codes"]
