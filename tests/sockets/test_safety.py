"""Drop alerts and contact plans over the live channel: an abrupt loss of a participant's connection
alerts the facilitators (not anyone else), coming back clears it, a deliberate leave raises none; and
no participant ever receives a contact plan other than the details they gave themselves."""
from __future__ import annotations

import json

import pytest

from facilitator.extensions import socketio
from facilitator.state import apply_event
from tests.unit.support import dump_db

from .conftest import drain, received


def lose(client, reason="ping timeout"):
    """Drop a test client's connection the way the server sees a lost one (no DISCONNECT packet)."""
    socketio.server._handle_eio_disconnect(client.eio_sid, reason)
    client.connected.pop("/", None)


def after_grace(app, seconds=1.0) -> dict:
    """The timed jobs, run `seconds` after the drop grace period (a closed transport alerts then)."""
    from datetime import timedelta

    from facilitator.jobs import run_due_jobs
    from facilitator.models import utcnow

    with app.app_context():
        return run_due_jobs(utcnow() + timedelta(seconds=app.config["DROP_ALERT_GRACE_SECONDS"] + seconds))


class Mirror:
    def __init__(self, live, client, name):
        self.live, self.c, self.name = live, client, name
        drain(client)
        self.snap = live.call(client, "sync")["snapshot"]
        self.log: list[dict] = []

    def update(self) -> list[dict]:
        got = received(self.c)
        for e in got:
            assert e["stream"] in self.snap["seq"], (self.name, e)
            assert e["seq"] == self.snap["seq"][e["stream"]] + 1, (self.name, "gap", e)
            self.snap = apply_event(self.snap, e)
        self.log += got
        return got

    def assert_fresh(self):
        assert self.snap == self.live.call(self.c, "sync")["snapshot"], self.name


@pytest.fixture
def room(app, live):
    class Room:
        pass

    r = Room()
    r.live = live
    r.co = Mirror(live, live.cofacilitator(), "Cody")
    r.f = Mirror(live, live.facilitator(), "Fran")
    r.ann = Mirror(live, live.participant(name="Ann"), "Ann")
    r.bo = Mirror(live, live.participant(name="Bo"), "Bo")
    r.obs = Mirror(live, live.participant(name="Oz", role="observer"), "Oz")
    r.people = [r.ann, r.bo, r.obs]
    r.all = [r.f, r.co, *r.people]
    for m in r.all:
        m.update()
    return r


def alert_events(log):
    return [e for e in log if e["type"] == "drop_alert"]


def test_a_lost_connection_alerts_facilitators_and_reconnecting_clears_it(live, room):
    live.call(room.ann.c, "contact.give", {"given": "Call 07700 900111"})
    lose(room.ann.c, "ping timeout")
    for m in (room.f, room.co, room.bo, room.obs):
        m.update()
    for m in (room.f, room.co):
        [alert] = m.snap["private"]["drop_alerts"]
        assert (alert["participant_id"], alert["name"], alert["reason"], alert["open"]) == (
            room.ann.c.pid, "Ann", "ping timeout", True)
        plans = {c["participant_id"]: c["given"] for c in m.snap["private"]["contact_plans"]}
        assert plans == {room.ann.c.pid: "Call 07700 900111"}
        m.assert_fresh()
    for m in (room.bo, room.obs):
        assert alert_events(m.log) == [] and "drop_alerts" not in json.dumps(m.snap)

    back = live.sockets(auth={"token": room.ann.c.token})
    assert back.is_connected()
    for m in (room.f, room.co):
        m.update()
        assert m.snap["private"]["drop_alerts"] == []
        assert alert_events(m.log)[-1]["data"]["resolved_at"] is not None
        m.assert_fresh()


@pytest.mark.parametrize("reason", ["transport close", "transport error"])
def test_transport_losses_alert_too(app, live, room, reason):
    lose(room.bo.c, reason)
    room.f.update()
    assert room.f.snap["private"]["drop_alerts"] == []  # not yet: it may be a page reload
    assert after_grace(app)["alerted"] == [room.bo.c.pid]
    room.f.update()
    assert [a["reason"] for a in room.f.snap["private"]["drop_alerts"]] == [reason]


def test_a_reload_back_within_the_grace_period_raises_no_alert_and_keeps_one_stretch(app, live, room):
    from facilitator.extensions import db
    from facilitator.models import Attendance

    lose(room.ann.c, "transport close")  # what Engine.IO reports when the page reloads
    back = live.sockets(auth={"token": room.ann.c.token})
    assert back.is_connected()
    assert "alerted" not in after_grace(app)
    room.f.update()
    assert alert_events(room.f.log) == [] and room.f.snap["private"]["drop_alerts"] == []
    with app.app_context():
        rows = db.session.execute(db.select(Attendance.left_at, Attendance.how)
                                  .where(Attendance.participant_id == room.ann.c.pid)).all()
    assert rows == [(None, None)]  # the reload did not split her attendance


def test_a_closed_transport_alerts_once_however_many_passes_see_it(app, live, room):
    lose(room.bo.c, "transport close")
    assert "alerted" not in after_grace(app, seconds=-1.5)  # still inside the grace period
    assert after_grace(app)["alerted"] == [room.bo.c.pid]
    assert "alerted" not in after_grace(app, seconds=5)
    room.f.update()
    assert [e["data"]["open"] for e in alert_events(room.f.log)] == [True]
    room.f.assert_fresh()


def test_a_deliberate_leave_or_a_removal_raises_no_alert(live, room):
    assert live.call(room.ann.c, "me.leave")["ok"] is True
    lose(room.ann.c, "transport close")  # the page closes right after Leave
    assert live.call(room.f.c, "participant.remove", {"participant_id": room.bo.c.pid})["ok"] is True
    assert "alerted" not in after_grace(live.app)
    room.f.update()
    room.co.update()
    assert alert_events(room.f.log) == [] and alert_events(room.co.log) == []
    assert room.f.snap["private"]["drop_alerts"] == []
    room.f.assert_fresh()


def test_an_observer_dropping_raises_no_alert(live, room):
    lose(room.obs.c, "ping timeout")
    room.f.update()
    assert alert_events(room.f.log) == []


def test_facilitators_acknowledge_and_participants_cannot(live, room):
    lose(room.ann.c)
    room.f.update()
    [alert] = room.f.snap["private"]["drop_alerts"]
    ack = live.call(room.bo.c, "drop_alert.ack", {"alert_id": alert["id"]})
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden"
    assert live.call(room.co.c, "drop_alert.ack", {"alert_id": alert["id"]})["ok"] is True
    again = live.call(room.f.c, "drop_alert.ack", {"alert_id": alert["id"]})
    assert again["ok"] is False and again["error"]["code"] == "already_acknowledged"
    room.f.update()
    assert room.f.snap["private"]["drop_alerts"] == []
    assert alert_events(room.f.log)[-1]["data"]["acknowledged_by"] == "Cody"
    room.f.assert_fresh()


def test_no_participant_receives_any_contact_plan_but_the_one_they_gave(live, room):
    live.call(room.ann.c, "contact.give", {"given": "ANN-CANARY-given"})
    live.call(room.bo.c, "contact.give", {"given": "BO-CANARY-given"})
    live.call(room.obs.c, "contact.give", {"given": "OZ-CANARY-given"})
    for m in room.people:
        live.call(room.f.c, "contact_plan.set", {"participant_id": m.c.pid, "plan": f"{m.name}-CANARY-plan"})
    for m in room.all:
        m.update()
        m.assert_fresh()
    for m in room.people:
        seen = json.dumps(m.log) + json.dumps(m.snap)
        mine = f"{m.name.upper()}-CANARY-given"
        assert mine in seen
        assert "CANARY-plan" not in seen
        assert seen.count("CANARY") == seen.count(mine), m.name
        assert m.snap["my_contact"]["given"] == mine
    for m in (room.f, room.co):
        plans = {c["participant_id"]: (c["given"], c["plan"]) for c in m.snap["private"]["contact_plans"]}
        assert plans == {p.c.pid: (f"{p.name.upper()}-CANARY-given", f"{p.name}-CANARY-plan") for p in room.people}
    # a participant cannot write anyone's plan, nor read it through a reply
    ack = live.call(room.ann.c, "contact_plan.set", {"participant_id": room.bo.c.pid, "plan": "x"})
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden" and "CANARY" not in json.dumps(ack)


@pytest.mark.parametrize("name,payload", [
    ("contact_plan.set", {"participant_id": "1", "plan": "x"}),
    ("contact_plan.set", {"participant_id": 1, "plan": "x" * 601}),
    ("contact_plan.set", {"participant_id": 1, "plan": "a\x00b"}),
    ("contact_plan.set", {"plan": "x"}),
    ("contact_plan.set", {"participant_id": 99999, "plan": "x"}),
    ("drop_alert.ack", {"alert_id": 99999}),
    ("drop_alert.ack", {"alert_id": True}),
])
def test_bad_facilitator_input_changes_nothing(app, live, room, name, payload):
    before = dump_db(app)
    ack = live.call(room.f.c, name, payload)
    assert ack["ok"] is False and ack["error"]["code"] in ("invalid", "not_found")
    assert dump_db(app) == before


@pytest.mark.parametrize("payload", [{}, {"given": 5}, {"given": "x" * 301}, {"given": "a\x07"}, [1]])
def test_bad_participant_input_changes_nothing(app, live, room, payload):
    before = dump_db(app)
    ack = live.call(room.ann.c, "contact.give", payload)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid"
    assert dump_db(app) == before


def test_safety_settings_over_the_socket(live, room):
    ack = live.call(room.ann.c, "safety.settings", {"require_contact": True})
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden"
    assert live.call(room.co.c, "safety.settings", {"require_contact": True})["ok"] is True
    for m in room.all:
        m.update()
    assert room.f.snap["private"]["safety"] == {"require_contact": True}
    room.f.assert_fresh()
    for m in room.people:
        assert all(e["type"] != "safety" for e in m.log)
