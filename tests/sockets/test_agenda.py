"""The agenda over the live channel: a facilitator, a co-facilitator, two participants and an
observer, each with a mirror of its state built from `sync` plus the events it receives.

Clocks come from stored deadlines: after a server restart (a new app on the same database) and for
a client that reconnects, the snapshot carries the same start and deadline as before. Minutes and
the break prompt reach facilitators only; participants editing minutes, bad time boxes, actions
with no owner and reordering another meeting's items are refused with nothing changed.
"""
from __future__ import annotations

from datetime import datetime

import pytest

from facilitator import create_app
from facilitator.extensions import db, socketio
from tests.unit.fastdb import TEST_CONFIG, close
from tests.unit.support import dump_db

from .conftest import assert_clean_ack
from .mirror import Mirror

PRIVATE = {("agenda", "private")}


class Room:
    def __init__(self, app, live):
        self.app, self.live = app, live
        self.co = Mirror(live, live.cofacilitator(), "Cody")
        self.f = Mirror(live, live.facilitator(), "Fran")
        self.ann = Mirror(live, live.participant(name="Ann"), "Ann")
        self.bo = Mirror(live, live.participant(name="Bo"), "Bo")
        self.obs = Mirror(live, live.participant(name="Oz", role="observer"), "Oz")
        self.everyone = [self.f, self.co, self.ann, self.bo, self.obs]
        self.people = [self.ann, self.bo, self.obs]
        self.update()

    def update(self):
        for m in self.everyone:
            m.update()

    def ok(self, who, event, data=None):
        ack = self.live.call(who.c, event, *(() if data is None else (data,)))
        assert ack["ok"] is True, (who.name, event, ack)
        self.update()
        return ack

    def refused(self, who, event, data, code):
        before = dump_db(self.app)
        ack = self.live.call(who.c, event, data)
        assert ack["ok"] is False and ack["error"]["code"] == code, (event, data, ack)
        self.update()
        assert dump_db(self.app) == before, (event, "changed something")
        return ack

    def consistent(self):
        for m in self.everyone:
            m.assert_fresh()


@pytest.fixture
def room(app, live):
    r = Room(app, live)
    for title, seconds, kind in (("Check-in", 300, "checkin"), ("Break", 600, "break"),
                                 ("Care plan", 900, "decision")):
        r.ok(r.f, "agenda.add", {"title": title, "planned_seconds": seconds, "kind": kind})
    return r


def current(m: Mirror) -> dict | None:
    agenda = m.snap["agenda"]
    return next((i for i in agenda["items"] if i["id"] == agenda["current_id"]), None)


def test_items_run_for_everyone_and_the_break_screen_comes_and_goes(room):
    assert [i["title"] for i in room.ann.snap["agenda"]["items"]] == ["Check-in", "Break", "Care plan"]
    assert current(room.ann) is None
    room.ok(room.f, "agenda.next", {"current_id": None})
    for m in room.everyone:
        item = current(m)
        assert item["title"] == "Check-in" and item["state"] == "running"
        started = datetime.fromisoformat(item["started_at"])
        assert (datetime.fromisoformat(item["ends_at"]) - started).total_seconds() == 300
    check_in = current(room.f)["id"]
    room.ok(room.co, "agenda.next", {"current_id": check_in})
    for m in room.everyone:  # the break screen: the running item is a break, with its deadline
        assert current(m)["kind"] == "break" and current(m)["ends_at"] is not None
    assert room.f.snap["private"]["agenda"]["break_due_at"] is None
    brk = current(room.f)["id"]
    room.ok(room.f, "agenda.next", {"current_id": brk})
    for m in room.everyone:  # back from the break
        assert current(m)["title"] == "Care plan"
        assert [i["state"] for i in m.snap["agenda"]["items"]] == ["done", "done", "running"]
    room.consistent()


def test_clock_is_the_same_after_a_restart_and_a_reconnect(app, room, live):
    room.ok(room.f, "agenda.next", {"current_id": None})
    room.ok(room.f, "agenda.extend", {"seconds": 120})
    item = current(room.ann)
    assert (datetime.fromisoformat(item["ends_at"]) - datetime.fromisoformat(item["started_at"])).total_seconds() == 420

    room.ann.c.disconnect()  # a participant's connection drops and comes back
    again = live.sockets(auth={"token": room.ann.c.token})
    back = live.call(again, "sync")
    assert pick(back["snapshot"]) == (item["id"], item["started_at"], item["ends_at"])

    # A server restart: a new process on the same database, nothing kept in memory.
    restarted = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    try:
        client = socketio.test_client(restarted, auth={"token": room.bo.c.token})
        ack = assert_clean_ack(client.emit("sync", callback=True))
        assert pick(ack["snapshot"]) == (item["id"], item["started_at"], item["ends_at"])
        assert ack["server_time"]
        client.disconnect()
    finally:
        close(restarted)
        socketio.init_app(app)  # the fixtures' app serves the test clients again


def pick(snap: dict) -> tuple:
    agenda = snap["agenda"]
    item = next(i for i in agenda["items"] if i["id"] == agenda["current_id"])
    return item["id"], item["started_at"], item["ends_at"]


def test_minutes_and_the_break_prompt_reach_facilitators_only(room):
    items = [i["id"] for i in room.f.snap["agenda"]["items"]]
    room.ok(room.f, "agenda.next", {"current_id": None})
    room.ok(room.co, "minutes.notes", {"item_id": items[0], "notes": "Everyone arrived"})
    room.ok(room.co, "minutes.decision", {"item_id": items[2], "text": "Refer to physio"})
    room.ok(room.f, "minutes.action", {"item_id": items[2], "what": "Book the scan", "owner": "Sam",
                                       "due": "2031-03-11"})
    room.ok(room.f, "heard.post", {"text": "You would like more time for the plan."})
    for m in (room.f, room.co):
        mins = m.snap["private"]["agenda"]["minutes"]
        assert mins[0]["notes"] == "Everyone arrived"
        assert [d["text"] for d in mins[2]["decisions"]] == ["Refer to physio"]
        assert [(a["what"], a["owner"], a["due"]) for a in mins[2]["actions"]] == [("Book the scan", "Sam",
                                                                                     "2031-03-11")]
        assert m.snap["private"]["agenda"]["break_due_at"] is not None
    for m in room.everyone:  # the summary is pinned for everyone
        assert m.snap["heard"]["summary"]["text"] == "You would like more time for the plan."
    for m in room.people:
        assert [e for e in m.log if (e["type"], e["op"]) in PRIVATE] == []
        assert all(e["stream"] != "facilitators" for e in m.log)
        assert "private" not in m.snap and "private" not in m.fresh()
        assert "Refer to physio" not in str(m.log) and "Book the scan" not in str(m.log)
    room.consistent()


def test_bad_input_is_refused_clearly_and_changes_nothing(app, room, live, factory):
    items = [i["id"] for i in room.f.snap["agenda"]["items"]]
    other = factory.meeting(live.uid, title="Another group")[0]
    with app.app_context():
        from facilitator.actions.agenda import do_add
        from facilitator.models import Meeting

        foreign = do_add(db.session.get(Meeting, other), {"title": "Theirs", "kind": "discussion",
                                                           "planned_seconds": 600}).id
        db.session.commit()
    ack = room.refused(room.f, "agenda.add", {"title": "Too short", "planned_seconds": -300}, "invalid")
    assert "planned_seconds" in ack["error"]["fields"]
    room.refused(room.f, "agenda.update", {"item_id": items[0], "title": "X", "kind": "discussion",
                                           "planned_seconds": -60}, "invalid")
    ack = room.refused(room.f, "minutes.action", {"item_id": items[2], "what": "Book the scan", "owner": "  "},
                       "invalid")
    assert ack["error"]["fields"] == {"owner": ["Say who owns the action."]}
    room.refused(room.f, "minutes.action", {"item_id": items[2], "what": "Book the scan"}, "invalid")
    room.refused(room.f, "agenda.reorder", {"item_ids": [items[2], items[1], items[0], foreign]}, "not_found")
    room.refused(room.f, "agenda.reorder", {"item_ids": [items[2], items[1], foreign]}, "not_found")
    room.refused(room.f, "agenda.reorder", {"item_ids": [items[2], items[1]]}, "incomplete")
    room.refused(room.f, "agenda.start", {"item_id": foreign}, "not_found")
    room.refused(room.f, "minutes.notes", {"item_id": foreign, "notes": "Mine now"}, "not_found")
    for who in (room.ann, room.obs):
        room.refused(who, "minutes.notes", {"item_id": items[0], "notes": "I was here"}, "forbidden")
        room.refused(who, "minutes.decision", {"item_id": items[0], "text": "We agree"}, "forbidden")
        room.refused(who, "minutes.action", {"item_id": items[0], "what": "x", "owner": "me"}, "forbidden")
        room.refused(who, "agenda.add", {"title": "My item", "planned_seconds": 600}, "forbidden")
        room.refused(who, "agenda.next", {"current_id": None}, "forbidden")
        room.refused(who, "heard.post", {"text": "I heard"}, "forbidden")
    room.ok(room.f, "minutes.decision", {"item_id": items[2], "text": "Decided before the meeting"})
    room.refused(room.f, "agenda.remove", {"item_id": items[2]}, "has_minutes")
    room.ok(room.f, "agenda.next", {"current_id": None})
    room.refused(room.f, "agenda.next", {"current_id": None}, "stale")
    room.refused(room.f, "agenda.remove", {"item_id": items[0]}, "item_running")
    room.refused(room.f, "agenda.extend", {"seconds": -60}, "invalid")
    room.refused(room.f, "heard.clear", None, "nothing_pinned")
    room.consistent()
