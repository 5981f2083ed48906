"""Breakout rooms on the live channel: clients in different rooms, who receives what.

A participant placed, moved or returned hears it on their own stream and answers with `sync`,
which moves their connection; from then on they receive their new room's events only.
"""
from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest

from facilitator.extensions import db
from facilitator.jobs import run_due_jobs
from facilitator.models import BreakoutRound
from tests.unit.support import dump_db

from .conftest import assert_clean_ack, drain, received

TAGS = ["nursing", "medicine", "social work"]


class Rooms:
    """A facilitator, a co-facilitator, six tagged participants and an observer, all connected."""

    def __init__(self, app, live):
        self.app, self.live = app, live
        self.f = live.facilitator()
        self.co = live.cofacilitator()
        self.people = {}
        for i, name in enumerate(["Ann", "Ben", "Cat", "Dan", "Eve", "Fay"]):
            self.people[name] = live.participant(name=name, group_tag=TAGS[i // 2])
        self.obs = live.participant(name="Olly", role="observer")
        self.everyone = [self.f, self.co, self.obs, *self.people.values()]
        drain(*self.everyone)

    def __getitem__(self, name):
        return self.people[name]

    def call(self, client, name, data=None):
        return self.live.call(client, name, data or {})

    def ok(self, client, name, data=None):
        ack = self.call(client, name, data)
        assert ack["ok"] is True, (name, ack)
        return ack

    def create(self, rooms=2, **kw):
        ack = self.ok(self.f, "breakout.create", {"rooms": rooms, "duration_seconds": 600, **kw})
        return ack["round"]["id"], [r["id"] for r in ack["round"]["rooms"]]

    def open_two_rooms(self):
        """Ann, Cat, Eve in room 1; Ben, Dan, Fay in room 2; opened, and everyone synced."""
        rid, (r1, r2) = self.create(2)
        for name, room in (("Ann", r1), ("Cat", r1), ("Eve", r1), ("Ben", r2), ("Dan", r2), ("Fay", r2)):
            self.ok(self.f, "breakout.assign", {"round_id": rid, "participant_id": self[name].pid, "room_id": room})
        self.ok(self.f, "breakout.open", {"round_id": rid})
        self.sync_all()
        return rid, r1, r2

    def sync_all(self):
        for c in self.everyone:
            self.ok(c, "sync")
        drain(*self.everyone)

    def inbox(self):
        return {c: received(c) for c in self.everyone}


@pytest.fixture
def rooms(app, live):
    return Rooms(app, live)


def ops(envs):
    return [(e["stream"], e["type"], e["op"]) for e in envs]


def test_balanced_assignment_mixes_tags_and_is_a_private_preview(app, rooms):
    rid, room_ids = rooms.create(3)
    ack = rooms.ok(rooms.f, "breakout.auto", {"round_id": rid, "mode": "balanced"})
    assert ack["assigned"] == 6
    by_room = {r["id"]: [m["group_tag"] for m in r["members"]] for r in ack["round"]["rooms"]}
    for tags in by_room.values():
        assert sorted(tags) != [] and len(set(tags)) == len(tags) == 2, by_room  # 3 tags x 2 over 3 rooms
    inbox = rooms.inbox()
    assert [e["op"] for e in inbox[rooms.co]] == ["round", "round"], "the co-facilitator sees the draft and preview"
    for name in rooms.people:
        assert inbox[rooms[name]] == [], "a draft is not shown to participants"
    ack = rooms.ok(rooms.f, "breakout.auto", {"round_id": rid, "mode": "random"})
    sizes = Counter(len(r["members"]) for r in ack["round"]["rooms"])
    assert sizes == {2: 3}


def test_opening_sends_each_participant_to_their_room_only(app, rooms):
    rid, (r1, r2) = rooms.create(2)
    rooms.ok(rooms.f, "breakout.auto", {"round_id": rid, "mode": "balanced"})
    rooms.ok(rooms.f, "breakout.open", {"round_id": rid})
    inbox = rooms.inbox()
    where = {}
    for name, c in rooms.people.items():
        (assigned,) = [e for e in inbox[c] if e["type"] == "breakout"]
        assert assigned["stream"] == f"p{c.pid}" and assigned["op"] == "assigned"
        where[name] = assigned["data"]["breakout"]["room"]["id"]
        snap = rooms.ok(c, "sync")["snapshot"]
        assert snap["breakout"]["room"]["id"] == where[name] and f"b{where[name]}" in snap["seq"]
        assert name in {m["name"] for m in snap["breakout"]["members"]}
    assert sorted(Counter(where.values()).values()) == [3, 3]
    assert [e for e in inbox[rooms.obs] if e["type"] == "breakout"] == [], "observers were not placed"
    assert rooms.ok(rooms.obs, "sync")["snapshot"]["breakout"] is None


def test_room_chat_reaches_its_room_and_the_facilitators_and_nobody_else(app, rooms):
    rid, r1, r2 = rooms.open_two_rooms()
    ack = rooms.ok(rooms["Ann"], "chat.send", {"channel": "room", "text": "Hello room one"})
    inbox = rooms.inbox()
    for name in ("Ann", "Cat", "Eve"):
        assert ops(inbox[rooms[name]]) == [(f"b{r1}", "chat", "posted")], name
        assert inbox[rooms[name]][0]["data"]["text"] == "Hello room one"
    for c in (rooms["Ben"], rooms["Dan"], rooms["Fay"], rooms.obs):
        assert inbox[c] == []
    for c in (rooms.f, rooms.co):
        assert ops(inbox[c]) == [("facilitators", "chat", "posted")]
        assert inbox[c][0]["data"]["id"] == ack["message"]["id"] and inbox[c][0]["data"]["room_id"] == r1


def test_back_channel_reaches_facilitators_only(app, rooms):
    rooms.open_two_rooms()
    rooms.ok(rooms.co, "chat.send", {"channel": "backchannel", "text": "Dan looks tired"})
    inbox = rooms.inbox()
    assert ops(inbox[rooms.f]) == ops(inbox[rooms.co]) == [("facilitators", "chat", "posted")]
    for c in [rooms.obs, *rooms.people.values()]:
        assert inbox[c] == []
        assert "Dan looks tired" not in str(rooms.ok(c, "sync")["snapshot"])


def test_direct_message_reaches_the_sender_and_facilitators(app, rooms):
    rooms.ok(rooms["Ben"], "chat.send", {"channel": "direct", "text": "Can I step out?"})
    inbox = rooms.inbox()
    assert ops(inbox[rooms["Ben"]]) == [(f"p{rooms['Ben'].pid}", "chat", "posted")]
    assert ops(inbox[rooms.f]) == [("facilitators", "chat", "posted")]
    assert all(inbox[c] == [] for c in rooms.everyone if c not in (rooms["Ben"], rooms.f, rooms.co))


def test_moving_a_participant_moves_what_they_receive_after_their_sync(app, rooms):
    rid, r1, r2 = rooms.open_two_rooms()
    ann = rooms["Ann"]
    rooms.ok(rooms.f, "breakout.assign", {"round_id": rid, "participant_id": ann.pid, "room_id": r2})
    inbox = rooms.inbox()
    mine = [e for e in inbox[ann] if e["stream"] == f"p{ann.pid}"]
    assert [(e["op"], e["data"]["reason"]) for e in mine] == [("assigned", "moved")]
    assert mine[0]["data"]["stream"] == f"b{r2}"
    counts = ("meeting", "breakouts", "updated")  # everyone sees the rooms' head counts change
    assert ops(inbox[rooms["Cat"]]) == [counts, (f"b{r1}", "room", "updated")], "room one hears Ann left"
    assert ops(inbox[rooms["Ben"]]) == [counts, (f"b{r2}", "room", "updated")], "room two hears Ann came"
    assert ops(inbox[rooms.obs]) == [counts]
    snap = rooms.ok(ann, "sync")["snapshot"]
    assert snap["breakout"]["room"]["id"] == r2 and f"b{r1}" not in snap["seq"]
    drain(*rooms.everyone)
    rooms.ok(rooms["Cat"], "chat.send", {"channel": "room", "text": "room one, without Ann"})
    rooms.ok(rooms["Ben"], "chat.send", {"channel": "room", "text": "room two, with Ann"})
    got = [e["data"]["text"] for e in received(ann) if e["type"] == "chat"]
    assert got == ["room two, with Ann"]
    ack = rooms.call(ann, "chat.send", {"channel": "room", "room_id": r1, "text": "back to one?"})
    assert ack["error"]["code"] == "not_in_room"


def test_closing_returns_everyone_once_and_room_chat_stays_with_facilitators(app, rooms):
    rid, r1, r2 = rooms.open_two_rooms()
    rooms.ok(rooms["Ann"], "chat.send", {"channel": "room", "text": "notes from room one"})
    drain(*rooms.everyone)
    rooms.ok(rooms.f, "breakout.close", {"round_id": rid})
    inbox = rooms.inbox()
    for name, c in rooms.people.items():
        back = [e for e in inbox[c] if e["type"] == "breakout"]
        assert [(e["op"], e["data"]["reason"]) for e in back] == [("returned", "closed")], name
        assert [e["data"] for e in inbox[c] if e["type"] == "breakouts"] == [{"round": None}]
        snap = rooms.ok(c, "sync")["snapshot"]
        assert snap["breakout"] is None and not any(k.startswith("b") for k in snap["seq"])
        assert "notes from room one" not in str(snap)
    fac = rooms.ok(rooms.f, "sync")["snapshot"]["private"]
    assert [m["text"] for m in fac["chat"]["rooms"]] == ["notes from room one"]
    assert fac["breakouts"][-1]["state"] == "closed"
    drain(*rooms.everyone)
    ack = rooms.ok(rooms["Ann"], "chat.send", {"channel": "main", "text": "back in the main room"})
    assert all(received(c)[0]["data"]["id"] == ack["message"]["id"] for c in rooms.everyone)


def test_warning_extend_broadcast_and_help_reach_the_rooms(app, rooms):
    rid, r1, r2 = rooms.open_two_rooms()
    rooms.ok(rooms.f, "breakout.broadcast", {"round_id": rid, "text": "Two minutes to wrap up"})
    inbox = rooms.inbox()
    for c in rooms.people.values():
        (msg,) = inbox[c]
        assert msg["type"] == "chat" and msg["data"]["kind"] == "broadcast"
    assert inbox[rooms.obs] == [], "the observer is in the main room"
    rooms.ok(rooms["Dan"], "breakout.help", {})
    inbox = rooms.inbox()
    assert [e["data"]["rooms"][1]["help_at"] is not None for e in inbox[rooms.f]] == [True]
    assert [e["op"] for e in inbox[rooms["Ben"]]] == ["updated"] and inbox[rooms["Ann"]] == []
    ack = rooms.ok(rooms.f, "breakout.extend", {"round_id": rid, "seconds": 120})
    inbox = rooms.inbox()
    for c in rooms.people.values():
        assert [e["data"]["round"]["ends_at"] for e in inbox[c] if e["type"] == "room"] == [ack["round"]["ends_at"]]
    with app.app_context():
        ends = db.session.get(BreakoutRound, rid).ends_at
        assert run_due_jobs(ends - timedelta(seconds=30))["warned"] == [rid]
    inbox = rooms.inbox()
    for c in rooms.people.values():
        assert [e["op"] for e in inbox[c] if e["type"] == "room"] == ["warning"]


def test_participants_choose_their_room_while_choosing_is_open(app, rooms):
    rid, (r1, r2) = rooms.create(2, choosing=True)
    rooms.ok(rooms.f, "breakout.open", {"round_id": rid})
    public = rooms.ok(rooms["Ann"], "sync")["snapshot"]["breakouts"]["round"]
    assert public["choosing"] is True and [r["id"] for r in public["rooms"]] == [r1, r2]
    rooms.ok(rooms["Ann"], "breakout.choose", {"room_id": r2})
    assert rooms.ok(rooms["Ann"], "sync")["snapshot"]["breakout"]["room"]["id"] == r2
    rooms.ok(rooms.f, "breakout.choosing", {"round_id": rid, "open": False})
    ack = rooms.call(rooms["Ann"], "breakout.choose", {"room_id": r1})
    assert ack["error"]["code"] == "not_choosing"


def test_late_joiner_is_placed_into_the_running_round(app, rooms, live):
    rid, r1, r2 = rooms.open_two_rooms()
    gus = live.participant(name="Gus", group_tag="nursing")
    drain(*rooms.everyone, gus)
    ack = rooms.ok(rooms.f, "breakout.fill", {"round_id": rid})
    assert ack["placed"] == 1
    (assigned,) = [e for e in received(gus) if e["type"] == "breakout"]
    assert assigned["op"] == "assigned" and assigned["data"]["reason"] == "placed"
    room = assigned["data"]["breakout"]["room"]["id"]
    rooms.ok(gus, "sync")
    drain(*rooms.everyone)
    other = rooms["Ann"] if room == r1 else rooms["Ben"]
    rooms.ok(other, "chat.send", {"channel": "room", "text": "welcome Gus"})
    assert [e["data"]["text"] for e in received(gus)] == ["welcome Gus"]


def test_facilitator_visit_shows_in_the_room(app, rooms):
    rid, r1, r2 = rooms.open_two_rooms()
    rooms.ok(rooms.co, "breakout.visit", {"round_id": rid, "room_id": r2})
    inbox = rooms.inbox()
    (upd,) = inbox[rooms["Ben"]]
    assert upd["data"]["staff"] == [{"user_id": upd["data"]["staff"][0]["user_id"], "name": "Cody",
                                     "role": "cofacilitator"}]
    assert inbox[rooms["Ann"]] == []
    rooms.ok(rooms.co, "chat.send", {"channel": "room", "room_id": r2, "text": "Hello from Cody"})
    inbox = rooms.inbox()
    assert [e["data"]["text"] for e in inbox[rooms["Dan"]]] == ["Hello from Cody"] and inbox[rooms["Cat"]] == []


# ---- ending exactly once -----------------------------------------------------------------------

def test_two_workers_ending_the_same_round_at_once_end_it_once(app, rooms):
    """run_due_jobs from two threads at the same moment on the same SQLite file (two sessions,
    two connections): the round ends once and each participant hears `returned` once."""
    rid, r1, r2 = rooms.open_two_rooms()
    with app.app_context():
        ends = db.session.get(BreakoutRound, rid).ends_at
    now = ends + timedelta(seconds=1)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            with app.app_context():
                barrier.wait()
                results.append(run_due_jobs(now))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == [] and len(results) == 2
    assert sorted(len(r["ended"]) for r in results) == [0, 1], results
    inbox = rooms.inbox()
    for name, c in rooms.people.items():
        assert [e["op"] for e in inbox[c] if e["type"] == "breakout"] == ["returned"], name
    assert sum(e["op"] == "round" for e in inbox[rooms.f]) == 1
    with app.app_context():
        rnd = db.session.get(BreakoutRound, rid)
        assert (rnd.state, rnd.close_reason) == ("closed", "ended")


# ---- bad input: refused, and nothing changes ---------------------------------------------------

def refused(app, rooms, client, event, data, code):
    drain(*rooms.everyone)
    before = dump_db(app)
    ack = assert_clean_ack(client.emit(event, data, callback=True))
    assert ack["ok"] is False and ack["error"]["code"] == code, (event, data, ack)
    assert dump_db(app) == before, f"{event} {data!r:.80} changed the database"
    assert all(received(c) == [] for c in rooms.everyone), "nothing was announced"
    return ack


def test_bad_breakout_input_is_refused_and_changes_nothing(app, rooms, live):
    rid, r1, r2 = rooms.open_two_rooms()
    other_uid = live.factory.user(email="b@example.org", name="Bea")
    other_mid, _ = live.factory.meeting(other_uid)
    g = live.facilitator(meeting_id=other_mid, email="b@example.org")
    other_rid = live.call(g, "breakout.create", {"rooms": 2})["round"]["id"]
    with app.app_context():
        from facilitator.views.breakouts import rooms_of

        foreign_room = rooms_of(other_rid)[0].id
    f, ann = rooms.f, rooms["Ann"]
    cases = [
        (f, "breakout.assign", {"round_id": rid, "participant_id": ann.pid, "room_id": foreign_room}, "not_found"),
        (f, "breakout.assign", {"round_id": other_rid, "participant_id": ann.pid, "room_id": foreign_room},
         "not_found"),
        (f, "breakout.assign", {"round_id": rid, "participant_id": ann.pid, "room_id": r1}, "no_change"),
        (f, "breakout.extend", {"round_id": rid, "seconds": -600}, "too_short"),
        (f, "breakout.extend", {"round_id": rid, "seconds": 0}, "invalid"),
        (f, "breakout.extend", {"round_id": rid, "seconds": 10**7}, "invalid"),
        (f, "breakout.extend", {"round_id": rid, "seconds": "60"}, "invalid"),
        (f, "breakout.create", {"rooms": 2}, "round_exists"),
        (f, "breakout.open", {"round_id": rid}, "not_draft"),
        (f, "breakout.visit", {"round_id": rid, "room_id": foreign_room}, "not_found"),
        (f, "breakout.close", {"round_id": other_rid}, "not_found"),
        (ann, "breakout.close", {"round_id": rid}, "forbidden"),
        (ann, "breakout.assign", {"round_id": rid, "participant_id": ann.pid, "room_id": r2}, "forbidden"),
        (ann, "breakout.choose", {"room_id": r2}, "not_choosing"),
        (rooms.obs, "breakout.help", {}, "not_in_room"),
    ]
    for client, event, data, code in cases:
        refused(app, rooms, client, event, data, code)


@pytest.mark.parametrize("data", [
    {"rooms": 51},
    {"rooms": 0},
    {"rooms": -3},
    {"names": [f"R{i}" for i in range(51)]},
    {"names": ["Same", "same"]},
    {"rooms": 2, "names": ["Only one"]},
    {},
    {"rooms": 2, "duration_seconds": -60},
    {"rooms": 2, "duration_seconds": 0},
    {"rooms": 2, "duration_seconds": 10**9},
    {"rooms": 2, "duration_seconds": 60.5},
    {"rooms": 2, "duration_seconds": 300, "warn_seconds": 300},
    {"rooms": 2, "warn_seconds": -1},
    {"rooms": 2, "names": ["<b>x</b>" * 10]},
])
def test_bad_round_shapes_are_refused(app, rooms, data):
    ack = refused(app, rooms, rooms.f, "breakout.create", data, "invalid")
    assert ack["error"]["fields"], ack


def test_bad_chat_input_is_refused_and_changes_nothing(app, rooms):
    rid, r1, r2 = rooms.open_two_rooms()
    ann = rooms["Ann"]
    cases = [
        (ann, {"channel": "room", "room_id": r2, "text": "sneaking into room two"}, "not_in_room"),
        (ann, {"channel": "main", "text": "main while in a room"}, "in_breakout"),
        (ann, {"channel": "room", "text": "x" * 1001}, "invalid"),
        (ann, {"channel": "room", "text": "   "}, "invalid"),
        (ann, {"channel": "room", "text": "bell\x07"}, "invalid"),
        (ann, {"channel": "room", "text": ["list"]}, "invalid"),
        (ann, {"channel": "shout", "text": "hi"}, "invalid"),
        (ann, {"channel": "backchannel", "text": "let me in"}, "forbidden"),
        (ann, {"channel": "direct", "participant_id": rooms["Ben"].pid, "text": "psst"}, "forbidden"),
        (rooms.obs, {"channel": "main", "text": "observers do not chat"}, "observer"),
        (rooms.f, {"channel": "room", "room_id": 10**6, "text": "nowhere"}, "not_found"),
        (ann, {"channel": "room", "text": "hi", "html": "<b>"}, "invalid"),
    ]
    for client, data, code in cases:
        refused(app, rooms, client, "chat.send", data, code)
    for i in range(5):
        rooms.ok(ann, "chat.send", {"channel": "room", "text": f"quick {i}"})
    refused(app, rooms, ann, "chat.send", {"channel": "room", "text": "one too many"}, "rate_limited")
    refused(app, rooms, ann, "chat.delete", {"message_id": 1}, "forbidden")
    refused(app, rooms, rooms.f, "chat.delete", {"message_id": 10**6}, "not_found")


def test_chat_moderation_reaches_the_right_people(app, rooms):
    ack = rooms.ok(rooms["Ann"], "chat.send", {"channel": "main", "text": "regrettable"})
    drain(*rooms.everyone)
    rooms.ok(rooms.f, "chat.delete", {"message_id": ack["message"]["id"]})
    for c in rooms.everyone:
        assert ops(received(c)) == [("meeting", "chat", "deleted")]
        assert "regrettable" not in str(rooms.ok(c, "sync")["snapshot"])
    drain(*rooms.everyone)
    rooms.ok(rooms.f, "chat.mute", {"participant_id": rooms["Ben"].pid, "muted": True})
    inbox = rooms.inbox()
    assert ops(inbox[rooms["Ben"]]) == [(f"p{rooms['Ben'].pid}", "chat", "me")]
    assert inbox[rooms["Ann"]] == [], "nobody else learns who was muted"
    assert rooms.call(rooms["Ben"], "chat.send", {"channel": "main", "text": "x"})["error"]["code"] == "muted"
    rooms.ok(rooms.f, "chat.settings", {"enabled": False})
    assert all(ops(received(c)) == [("meeting", "chat", "settings")] for c in rooms.everyone)
    assert rooms.call(rooms["Ann"], "chat.send", {"channel": "main", "text": "x"})["error"]["code"] == "chat_off"
    rooms.ok(rooms["Ann"], "chat.send", {"channel": "direct", "text": "the line to facilitators stays open"})
