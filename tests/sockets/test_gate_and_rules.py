"""The ground-rules gate, rule changes mid-meeting, and removal of a participant."""
from __future__ import annotations

from facilitator.extensions import db
from facilitator.extensions import socketio as sio
from facilitator.models import Connection, Participant, RuleAck
from tests.unit.support import dump_db

from .conftest import drain, received

RULES_V2 = {"items": [{"title": "Cameras", "text": "On if you can."}, {"title": "Pass", "text": "You may pass."}]}


def test_gated_participant_sees_only_the_rules_until_they_accept(app, live):
    f = live.facilitator()
    inside = live.participant(name="Ina")
    gated = live.participant(name="Gale", ack=False)
    snap = live.call(gated, "sync")["snapshot"]
    assert snap["gate"] is True
    assert "roster" not in snap and "private" not in snap
    assert snap["rules"]["version"] == 1 and snap["rules"]["items"]
    assert set(snap["seq"]) == {f"p{gated.pid}"}
    drain(f, inside, gated)

    live.call(f, "meeting.state", {"state": "live"})
    live.call(inside, "me.status", {"mic": "on"})
    live.participant(name="Newer")
    assert received(gated) == [], "no meeting-stream events at the gate"

    live.call(f, "rules.set", RULES_V2)
    got = received(gated)
    assert [(e["stream"], e["type"], e["op"], e["seq"], e["data"]) for e in got] == [
        ("gate", "rules", "changed", None, {})]
    assert [e["data"]["version"] for e in received(inside) if e["type"] == "rules"] == [2]

    stale = live.call(gated, "rules.ack", {"version": 1})
    assert stale["ok"] is False and stale["error"]["code"] == "rules_changed"
    ok = live.call(gated, "rules.ack", {"version": 2})
    assert ok["ok"] is True and ok["version"] == 2 and ok["acked_at"]
    own = received(gated)
    assert [(e["stream"], e["type"]) for e in own] == [(f"p{gated.pid}", "me")], "still outside until sync"

    snap = live.call(gated, "sync")["snapshot"]
    assert snap["gate"] is False and gated.pid in [r["id"] for r in snap["roster"]]
    assert set(snap["seq"]) == {"meeting", f"p{gated.pid}"}
    live.call(f, "meeting.state", {"state": "paused"})
    assert [e["data"]["state"] for e in received(gated) if e["type"] == "meeting"] == ["paused"]


def test_rules_change_mid_meeting_makes_every_ack_stale(app, live):
    f = live.facilitator()
    p1 = live.participant(name="Pat")
    p2 = live.participant(name="Kim")
    live.call(f, "meeting.state", {"state": "live"})
    drain(f, p1, p2)
    ack = live.call(f, "rules.set", RULES_V2)
    assert ack == {"ok": True, "changed": True, "version": 2}
    for c in (p1, p2):
        changed = [e for e in received(c) if e["type"] == "rules"]
        assert [(e["stream"], e["data"]["version"], e["data"]["items"]) for e in changed] == [
            ("meeting", 2, RULES_V2["items"])]
        snap = live.call(c, "sync")["snapshot"]
        assert snap["rules"]["version"] == 2 and snap["me"]["rules_version_acked"] == 1
    assert [e["data"]["version"] for e in received(f) if e["type"] == "rules"] == [2]

    before = dump_db(app)
    err = live.call(p1, "rules.ack", {"version": 1})
    assert err["ok"] is False and err["error"]["code"] == "rules_changed"
    assert dump_db(app) == before

    assert live.call(p1, "rules.ack", {"version": 2})["ok"] is True
    people = [e["data"] for e in received(f) if e["type"] == "people"]
    assert [(d["id"], d["rules_version_acked"]) for d in people] == [(p1.pid, 2)]
    assert received(p2) == [], "whether others have re-accepted is for facilitators"
    with app.app_context():
        acks = db.session.execute(db.select(RuleAck.version).where(RuleAck.participant_id == p1.pid)
                                  .order_by(RuleAck.id)).scalars().all()
        assert acks == [1, 2]


def test_setting_the_same_rules_again_changes_nothing(app, live):
    f = live.facilitator()
    p = live.participant()
    current = live.call(f, "sync")["snapshot"]["rules"]["items"]
    drain(f, p)
    before = dump_db(app)
    ack = live.call(f, "rules.set", {"items": current})
    assert ack == {"ok": True, "changed": False, "version": 1}
    assert received(f) == [] and received(p) == []
    after = dump_db(app)
    # only the audit trail grew: it records each facilitator request, one that changed nothing too
    assert [row[6] for row in after.pop("audit_entries")] == ["rules.set"] and before.pop("audit_entries") == []
    assert after == before


def test_facilitator_removes_a_participant(app, live):
    f = live.facilitator()
    victim = live.participant(name="Vic")
    victim_tab2 = live.sockets(auth={"token": victim.token})
    other = live.participant(name="Ola")
    drain(f, victim, victim_tab2, other)

    ack = live.call(f, "participant.remove", {"participant_id": victim.pid})
    assert ack == {"ok": True}
    assert not victim.is_connected() and not victim_tab2.is_connected(), "every socket of theirs is closed"
    for c in (victim, victim_tab2):
        assert sio.server.manager.sid_from_eio_sid(c.eio_sid, "/") is None, "and forgotten by the server"
    assert [e["data"] for e in received(other) if e["type"] == "roster"] == [{"id": victim.pid}]
    assert [e["data"]["removed"] for e in received(f) if e["type"] == "people"] == [True]
    with app.app_context():
        p = db.session.get(Participant, victim.pid)
        assert p.removed_at is not None
        assert db.session.execute(db.select(Connection).where(Connection.participant_id == victim.pid)).first() \
            is None
    again = live.sockets(auth={"token": victim.token})
    assert not again.is_connected(), "their token no longer works"
    snap = live.call(other, "sync")["snapshot"]
    assert victim.pid not in [r["id"] for r in snap["roster"]]
    twice = live.call(f, "participant.remove", {"participant_id": victim.pid})
    assert twice["ok"] is False and twice["error"]["code"] == "no_change"


def test_facilitator_cannot_remove_someone_from_another_meeting(app, live):
    f = live.facilitator()
    other_uid = live.factory.user(email="b@example.org", name="Bea")
    b_mid, _ = live.factory.meeting(other_uid)
    stranger = live.participant(name="Stran", meeting_id=b_mid)
    before = dump_db(app)
    ack = live.call(f, "participant.remove", {"participant_id": stranger.pid})
    assert ack["ok"] is False and ack["error"]["code"] == "not_found"
    assert stranger.is_connected()
    assert dump_db(app) == before


def test_ended_meeting_refuses_acks_and_rule_changes(app, live):
    f = live.facilitator()
    p = live.participant(ack=False)
    assert live.call(f, "meeting.state", {"state": "ended"})["ok"] is True
    before = dump_db(app)
    a = live.call(p, "rules.ack", {"version": 1})
    b = live.call(f, "rules.set", RULES_V2)
    c = live.call(f, "meeting.state", {"state": "live"})
    assert (a["error"]["code"], b["error"]["code"], c["error"]["code"]) == ("meeting_ended", "meeting_ended",
                                                                             "bad_transition")
    assert dump_db(app) == before
