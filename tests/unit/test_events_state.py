"""events.publish (after commit only, per-stream seq) and state.snapshot (role-filtered)."""
from __future__ import annotations

import pytest

from facilitator.actions.meetings import do_update_meeting
from facilitator.actions.participants import check_remove, do_remove
from facilitator.events import pending, publish
from facilitator.extensions import db, socketio
from facilitator.models import Meeting
from facilitator.state import apply_event, snapshot

from .support import participant

PUBLIC_PERSON = {"id", "name", "role", "group_tag", "present"}


def test_publish_refuses_undeclared_events_and_wrong_streams(app, world, ctx):
    with pytest.raises(LookupError):
        publish(world.mid, "meeting", "nope", "never", {})
    with pytest.raises(LookupError):
        publish(world.mid, "meeting", "people", "upsert", {})  # facilitator-only data on the public stream
    with pytest.raises(LookupError):
        publish(world.mid, f"p{world.pid}", "meeting", "private", {})
    assert pending() == []


def test_events_are_emitted_only_after_commit(app, world, monkeypatch, ctx):
    sent = []
    monkeypatch.setattr(socketio, "emit", lambda name, env, to=None: sent.append((to, env)))
    m = db.session.get(Meeting, world.mid)
    do_update_meeting(world.fac, m, {"title": "First"})
    assert sent == [] and len(pending()) == 2
    db.session.flush()
    assert sent == [], "a flush is not a commit"
    db.session.commit()
    assert [(to, e["type"], e["op"]) for to, e in sent] == [
        (f"meeting:{world.mid}", "meeting", "updated"),
        (f"meeting:{world.mid}:facilitators", "meeting", "private")]
    sent.clear()
    do_update_meeting(world.fac, m, {"title": "Second"})
    db.session.rollback()
    db.session.commit()
    assert sent == [], "rolled-back events never go out"


def test_an_emit_failure_does_not_undo_the_commit_or_stop_other_emits(app, world, monkeypatch, ctx):
    sent = []

    def flaky(name, env, to=None):
        if env["stream"] == "meeting":
            raise RuntimeError("queue down")
        sent.append(env)

    monkeypatch.setattr(socketio, "emit", flaky)
    m = db.session.get(Meeting, world.mid)
    do_update_meeting(world.fac, m, {"title": "Kept"})
    db.session.commit()
    assert [e["stream"] for e in sent] == ["facilitators"]
    db.session.remove()
    assert db.session.get(Meeting, world.mid).title == "Kept"


def test_seq_is_per_stream_and_per_meeting(app, world, factory, ctx):
    other_mid, _ = factory.meeting(world.uid)
    own_before = snapshot(db.session.get(Meeting, world.mid), world.part)["seq"][f"p{world.pid}"]
    a = publish(world.mid, "meeting", "roster", "removed", {"id": 1})
    b = publish(world.mid, "meeting", "roster", "removed", {"id": 2})
    c = publish(other_mid, "meeting", "roster", "removed", {"id": 3})
    d = publish(world.mid, f"p{world.pid}", "me", "updated", {})
    assert [e["seq"] for e in (a, b, c, d)] == [None] * 4, "numbered at commit, not before"
    db.session.commit()
    assert b["seq"] == a["seq"] + 1
    assert c["seq"] == 2, "the other meeting has its own counter (1 was its opening)"
    assert d["seq"] == own_before + 1, "the participant's own stream is separate from the meeting stream"


def test_facilitator_snapshot_has_private_data_and_participant_snapshot_does_not(app, world, factory, ctx):
    _, gated = factory.join(world.mid, name="Reading", ack=False)
    m = db.session.get(Meeting, world.mid)
    fac = snapshot(m, world.fac)
    assert fac["gate"] is False
    assert set(fac["seq"]) == {"meeting", "facilitators"}
    assert {p["id"] for p in fac["private"]["people"]} == {world.pid, gated}, "facilitators see who is reading"
    assert "join_code" in fac["private"]["meeting"]
    assert [r["id"] for r in fac["roster"]] == [world.pid]

    mine = snapshot(m, world.part)
    assert "private" not in mine
    assert mine["gate"] is False and set(mine["seq"]) == {"meeting", f"p{world.pid}"}
    assert "join_code" not in mine["meeting"]
    assert [r["id"] for r in mine["roster"]] == [world.pid], "someone still at the gate is not on the roster"
    assert all(set(r) == PUBLIC_PERSON for r in mine["roster"])
    assert mine["me"]["id"] == world.pid and "mic" in mine["me"]


def test_gated_participant_snapshot_has_no_roster_and_only_own_stream(app, world, factory, ctx):
    _, gated = factory.join(world.mid, name="Reading", ack=False)
    snap = snapshot(db.session.get(Meeting, world.mid), participant(world.mid, gated))
    assert snap["gate"] is True
    assert "roster" not in snap and "private" not in snap
    assert set(snap["seq"]) == {f"p{gated}"}
    assert snap["rules"]["version"] == 1 and snap["rules"]["items"], "they need the rules to read"


def test_removed_participants_leave_every_view(app, world, factory, ctx):
    _, other = factory.join(world.mid, name="Bo")
    do_remove(world.fac, check_remove(world.fac, world.pid))
    db.session.commit()
    m = db.session.get(Meeting, world.mid)
    for actor in (world.fac, participant(world.mid, other)):
        snap = snapshot(m, actor)
        assert world.pid not in [r["id"] for r in snap["roster"]]
    assert world.pid not in [p["id"] for p in snapshot(m, world.fac)["private"]["people"]]
    assert snapshot(m, world.part)["gate"] is True, "a removed person sees nothing of the room"


def test_apply_event_refuses_unknown_events_and_tracks_seq():
    snap = {"meeting": {}, "seq": {"meeting": 4}, "roster": []}
    out = apply_event(snap, {"type": "roster", "op": "upsert", "stream": "meeting", "seq": 5,
                             "data": {"id": 2, "name": "B"}})
    assert out["roster"] == [{"id": 2, "name": "B"}] and out["seq"]["meeting"] == 5
    assert snap["roster"] == [] and snap["seq"]["meeting"] == 4, "the old snapshot is not mutated"
    with pytest.raises(LookupError):
        apply_event(snap, {"type": "poll", "op": "opened", "stream": "meeting", "seq": 5, "data": {}})
