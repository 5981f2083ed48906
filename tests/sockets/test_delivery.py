"""Who receives what: facilitators everything of their meeting, participants only the public view
and their own record, outsiders nothing. Seq has no gaps on any stream a client listens to."""
from __future__ import annotations

from collections import defaultdict

from facilitator.extensions import db
from facilitator.models import Participant

from .conftest import drain, received

PUBLIC_PERSON = {"id", "name", "role", "group_tag", "present"}
PRIVATE_KEYS = {"mic", "camera", "presence", "rules_version_acked", "rules_acked_at", "joined_at", "left_at",
                "removed", "join_code", "links", "retention_days"}


def _keys(obj) -> set[str]:
    """Every key anywhere inside a JSON value."""
    if isinstance(obj, dict):
        return set(obj) | set().union(*(_keys(v) for v in obj.values())) if obj else set()
    if isinstance(obj, list):
        return set().union(*(_keys(v) for v in obj)) if obj else set()
    return set()


def assert_participant_view(envs: list[dict], pid: int) -> None:
    """Nothing a participant receives carries facilitator-only data or another person's details."""
    for e in envs:
        assert e["stream"] in ("meeting", f"p{pid}", "gate"), e
        assert e["type"] != "people" and (e["type"], e["op"]) != ("meeting", "private"), e
        if e["stream"] == "meeting":
            assert not _keys(e["data"]) & PRIVATE_KEYS, e
            if e["type"] == "roster" and e["op"] == "upsert":
                assert set(e["data"]) == PUBLIC_PERSON
        if e["stream"] == f"p{pid}":
            assert e["data"]["id"] == pid


def assert_no_gaps(envs: list[dict], start: dict[str, int]) -> None:
    seen = defaultdict(list)
    for e in envs:
        if e["seq"] is not None:
            seen[e["stream"]].append(e["seq"])
    for stream, seqs in seen.items():
        first = start.get(stream, 0) + 1
        assert seqs == list(range(first, first + len(seqs))), (stream, start.get(stream), seqs)


def test_a_session_seen_by_each_role(app, live):
    """A scripted stretch of a meeting; then check every client's whole inbox."""
    f = live.facilitator()
    p1 = live.participant(name="Pat")
    p2 = live.participant(name="Kim", group_tag=None)
    other_uid = live.factory.user(email="b@example.org", name="Bea")
    b_mid, _ = live.factory.meeting(other_uid)
    g = live.facilitator(meeting_id=b_mid, email="b@example.org")
    q = live.participant(name="Quinn", meeting_id=b_mid)
    starts = {c: live.call(c, "sync")["snapshot"]["seq"] for c in (f, p1, p2, g, q)}
    drain(f, p1, p2, g, q)

    live.call(f, "meeting.state", {"state": "live"})
    live.call(p1, "me.status", {"mic": "on", "camera": "on"})
    live.call(p2, "me.status", {"camera": "on"})
    late = live.participant(name="Lee", ack=False)  # joins, reads the rules
    live.call(late, "rules.ack", {"version": 1})
    p1.disconnect()                                      # a dropped connection
    p1b = live.sockets(auth={"token": p1.token})         # and back
    live.call(p2, "me.leave")

    fe, p2e, ge, qe = received(f), received(p2), received(g), received(q)
    assert ge == [] and qe == [], "another meeting hears nothing"
    assert_participant_view(p2e, p2.pid)
    assert_no_gaps(fe, starts[f])
    assert_no_gaps(p2e, starts[p2])

    # the facilitator saw every detail
    people = [(e["data"]["id"], e["data"]["presence"], e["data"]["mic"], e["data"]["camera"])
              for e in fe if e["type"] == "people"]
    assert (p1.pid, "connected", "on", "on") in people
    assert (p2.pid, "connected", "muted", "on") in people
    assert (p1.pid, "reconnecting", "on", "on") in people
    assert (p2.pid, "left", "muted", "on") in people
    assert [e["data"]["state"] for e in fe if (e["type"], e["op"]) == ("meeting", "private")] == ["live"]

    # Kim (p2) saw the state change, Lee arrive, and Kim's own status; nothing of Pat's mic or connection
    assert [e["data"]["state"] for e in p2e if e["type"] == "meeting"] == ["live"]
    roster = [(e["data"]["id"], e["data"]["present"]) for e in p2e if e["type"] == "roster"]
    assert roster == [(late.pid, True), (p2.pid, False)], roster
    own = [e["data"]["camera"] for e in p2e if e["stream"] == f"p{p2.pid}"]
    assert own[0] == "on"
    assert p1b.is_connected()


def test_facilitators_stream_never_reaches_participants_or_observers(app, live):
    f = live.facilitator()
    co = live.cofacilitator()
    p = live.participant()
    obs = live.participant(name="Olly", role="observer")
    gated = live.participant(name="Gale", ack=False)
    drain(f, co, p, obs, gated)
    live.call(f, "meeting.state", {"state": "live"})
    live.call(p, "me.status", {"mic": "on"})
    live.call(obs, "me.status", {"camera": "on"})
    live.call(f, "rules.set", {"items": [{"title": "Be kind", "text": "Always."}]})
    live.call(p, "rules.ack", {"version": 2})
    live.call(f, "meeting.state", {"state": "paused"})
    fac_streams = {e["stream"] for e in received(f)}
    assert "facilitators" in fac_streams
    assert {e["stream"] for e in received(co)} == fac_streams, "co-facilitators see what the owner sees"
    for c in (p, obs, gated):
        got = received(c)
        assert got, "each of them heard something"
        assert_participant_view(got, c.pid)
    assert all(e["stream"] in ("gate", f"p{gated.pid}") for e in received(gated))


def test_participant_sees_nothing_when_another_changes_mic_camera_or_connection(app, live):
    f = live.facilitator()
    p1 = live.participant(name="Pat")
    p2 = live.participant(name="Kim")
    drain(f, p1, p2)
    live.call(p1, "me.status", {"mic": "on"})
    live.call(p1, "me.status", {"camera": "on"})
    p1.disconnect()
    live.sockets(auth={"token": p1.token})
    assert received(p2) == [], "not even an unchanged roster entry: its timing would tell"
    assert len([e for e in received(f) if e["type"] == "people"]) == 4


def test_reconnect_with_the_same_token_is_the_same_participant(app, live):
    f = live.facilitator()
    p = live.participant(name="Pat")
    first = live.call(p, "sync")["snapshot"]["me"]
    p.disconnect()
    with app.app_context():
        assert db.session.get(Participant, p.pid).presence == "reconnecting"
    again = live.sockets(auth={"token": p.token})
    snap = live.call(again, "sync")["snapshot"]
    assert snap["me"]["id"] == first["id"] == p.pid
    assert [r["id"] for r in snap["roster"]].count(p.pid) == 1
    with app.app_context():
        rows = db.session.execute(db.select(Participant).where(Participant.meeting_id == live.mid)).scalars().all()
        assert [r.id for r in rows] == [p.pid], "no duplicate row"
        assert rows[0].presence == "connected"
    assert [e["data"]["presence"] for e in received(f) if e["type"] == "people"][-2:] == ["reconnecting",
                                                                                         "connected"]


def test_two_tabs_one_closes_stays_connected(app, live):
    f = live.facilitator()
    p = live.participant(name="Pat")
    tab2 = live.sockets(auth={"token": p.token})
    drain(f)
    p.disconnect()
    assert [e for e in received(f) if e["type"] == "people"] == []
    tab2.disconnect()
    assert [e["data"]["presence"] for e in received(f) if e["type"] == "people"] == ["reconnecting"]


def test_deliberate_leave_is_left_not_reconnecting(app, live):
    f = live.facilitator()
    p = live.participant(name="Pat")
    drain(f)
    assert live.call(p, "me.leave") == {"ok": True}
    p.disconnect()
    assert [e["data"]["presence"] for e in received(f) if e["type"] == "people"] == ["left"]
    with app.app_context():
        assert db.session.get(Participant, p.pid).presence == "left"


def test_events_applied_in_order_match_a_fresh_sync(app, live):
    """What the browser does: snapshot, then apply events; it must equal a later sync."""
    from facilitator.state import apply_event

    f = live.facilitator()
    p1 = live.participant(name="Pat")
    snaps = {c: live.call(c, "sync")["snapshot"] for c in (f, p1)}
    drain(f, p1)
    p2 = live.participant(name="Kim")
    live.call(f, "meeting.state", {"state": "live"})
    live.call(p2, "me.status", {"mic": "on"})
    live.call(p1, "me.status", {"camera": "on"})
    live.call(f, "participant.remove", {"participant_id": p2.pid})
    live.call(f, "rules.set", {"items": [{"title": "New", "text": "Rule."}]})
    for c in (f, p1):
        state = snaps[c]
        for env in received(c):
            state = apply_event(state, env)
        fresh = live.call(c, "sync")["snapshot"]
        assert state == fresh
