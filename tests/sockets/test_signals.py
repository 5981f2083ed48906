"""Reactions, standing signals and the support signal over the live channel with several clients."""
from __future__ import annotations

import time

import pytest

from tests.unit.support import dump_db

from .conftest import sql_statements
from .mirror import Mirror


@pytest.fixture
def room(app, live):
    class Room:
        pass

    app.config["REACTION_WINDOW_SECONDS"] = 0.6
    r = Room()
    r.live = live
    r.co = Mirror(live, live.cofacilitator(), "Cody")
    r.f = Mirror(live, live.facilitator(), "Fran")
    r.ann = Mirror(live, live.participant(name="Ann"), "Ann")
    r.bo = Mirror(live, live.participant(name="Bo"), "Bo")
    r.obs = Mirror(live, live.participant(name="Oz", role="observer"), "Oz")
    r.all = [r.f, r.co, r.ann, r.bo, r.obs]
    for m in r.all:
        m.update()
    return r


def bursts(events):
    return [e for e in events if (e["type"], e["op"]) == ("reactions", "burst")]


def wait_for_bursts(room, timeout=5.0) -> dict[str, list[dict]]:
    """Wait until every client has a burst (the flush runs in a background task), then a little more."""
    got = {m.name: [] for m in room.all}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not all(bursts(got[n]) for n in got):
        time.sleep(0.05)
        for m in room.all:
            got[m.name] += m.update()
    time.sleep(0.8)  # a second burst, if one were (wrongly) coming, would be here by now
    for m in room.all:
        got[m.name] += m.update()
    return got


# ---- reactions ----------------------------------------------------------------------------------

def test_a_burst_of_reactions_reaches_everyone_as_one_event(app, room):
    live = room.live
    started = time.monotonic()
    for kind in ("clap", "clap", "heart"):
        assert live.call(room.ann.c, "reaction.send", {"kind": kind}) == {"ok": True}
    for kind in ("clap", "laugh"):
        assert live.call(room.bo.c, "reaction.send", {"kind": kind}) == {"ok": True}
    if time.monotonic() - started < 0.5:  # still inside the window: nothing has gone out yet
        assert all(m.update() == [] for m in room.all)
    got = wait_for_bursts(room)
    for m in room.all:
        b = bursts(got[m.name])
        assert len(b) == 1, (m.name, got[m.name])
        assert b[0]["stream"] == "meeting"
        assert b[0]["data"] == {"counts": {"thumbs_up": 0, "clap": 3, "heart": 1, "laugh": 1, "agree": 0,
                                           "disagree": 0}, "total": 5}
        assert "Ann" not in str(b[0]) and "Bo" not in str(b[0])

    assert live.call(room.bo.c, "reaction.send", {"kind": "agree"})["ok"]
    got = wait_for_bursts(room)
    assert [b["data"]["total"] for b in bursts(got["Oz"])] == [1], "a later reaction opens a new window"
    for m in room.all:
        m.assert_fresh()


def test_a_participant_is_rate_limited_with_a_clear_ack_and_nothing_changes(app, room):
    live = room.live
    for _ in range(5):
        assert live.call(room.ann.c, "reaction.send", {"kind": "thumbs_up"})["ok"]
    before = dump_db(app)
    ack = live.call(room.ann.c, "reaction.send", {"kind": "thumbs_up"})
    assert ack["ok"] is False and ack["error"]["code"] == "rate_limited"
    assert 0 < ack["error"]["fields"]["retry_after"] <= 3.0 and ack["error"]["message"]
    assert dump_db(app) == before
    assert live.call(room.bo.c, "reaction.send", {"kind": "clap"})["ok"], "the limit is per participant"
    got = wait_for_bursts(room)
    assert [b["data"]["counts"] for b in bursts(got["Fran"])] == [
        {"thumbs_up": 5, "clap": 1, "heart": 0, "laugh": 0, "agree": 0, "disagree": 0}], "the refused one is not counted"


def test_a_flood_is_refused_before_any_database_work(app, room):
    """Over the rate, a reaction is refused through the whole socket path (registry included)
    without one SQL statement: in a storm most reactions are refused, and loading the person for
    each one is what slowed every other meeting on the worker (`make bench`'s storm)."""
    live = room.live
    for _ in range(5):
        assert live.call(room.ann.c, "reaction.send", {"kind": "heart"})["ok"]
    with sql_statements(app) as statements:
        acks = [live.call(room.ann.c, "reaction.send", {"kind": "heart"}) for _ in range(10)]
    assert [a["error"]["code"] for a in acks] == ["rate_limited"] * 10
    assert statements == []
    wait_for_bursts(room)  # the five accepted go out before the next test


# ---- standing signals ---------------------------------------------------------------------------

def test_standing_signals_reach_facilitators_only_and_survive_a_reconnect(app, room, live):
    live.call(room.ann.c, "signal.raise", {"kind": "need_break"})
    live.call(room.bo.c, "signal.raise", {"kind": "need_break"})
    live.call(room.obs.c, "signal.raise", {"kind": "cant_hear"})
    for m in room.all:
        m.update()
    for m in (room.f, room.co):
        sig = m.snap["private"]["signals"]
        assert sig["counts"]["need_break"] == 2 and sig["counts"]["cant_hear"] == 1
        assert {(s["name"], s["kind"]) for s in sig["signals"]} == {("Ann", "need_break"), ("Bo", "need_break"),
                                                                   ("Oz", "cant_hear")}
    for m in (room.ann, room.bo, room.obs):
        assert all(e["stream"].startswith("p") for e in m.log if e["type"] == "signals"), m.name
        assert "private" not in m.snap
    assert [s["kind"] for s in room.ann.snap["my_signals"]["signals"]] == ["need_break"]

    room.ann.c.disconnect()  # a dropped connection, and back: still on
    again = live.sockets(auth={"token": room.ann.c.token})
    snap = live.call(again, "sync")["snapshot"]
    assert [s["kind"] for s in snap["my_signals"]["signals"]] == ["need_break"]

    live.call(room.f.c, "signal.clear", {"participant_id": room.bo.c.pid, "kind": "need_break"})
    assert live.call(room.co.c, "signal.clear_all", {"kind": "cant_hear"}) == {"ok": True, "cleared": 1}
    for m in (room.f, room.co, room.bo, room.obs):
        m.update()
    assert room.bo.snap["my_signals"]["signals"] == [] and room.obs.snap["my_signals"]["signals"] == []
    assert [s["name"] for s in room.f.snap["private"]["signals"]["signals"]] == ["Ann"]
    assert live.call(again, "signal.lower", {"kind": "need_break"}) == {"ok": True}
    for m in (room.f, room.co, room.bo, room.obs):
        m.update()
        m.assert_fresh()
    assert room.f.snap["private"]["signals"]["signals"] == []


# ---- the support signal -------------------------------------------------------------------------

def test_support_reaches_facilitators_and_nobody_else_can_tell(app, room):
    live = room.live
    seq_before = {m.name: live.call(m.c, "sync")["snapshot"]["seq"] for m in (room.ann, room.obs)}
    for m in room.all:
        m.update()
    ack = live.call(room.bo.c, "support.send")
    assert ack["ok"] and ack["new"] is True and ack["request"]["acknowledged_at"] is None
    got = {m.name: m.update() for m in room.all}
    assert got["Ann"] == [] and got["Oz"] == []
    for name in ("Fran", "Cody"):
        (e,) = got[name]
        assert (e["stream"], e["type"], e["op"]) == ("facilitators", "support", "upsert")
        assert e["data"]["name"] == "Bo" and e["data"]["raised_at"] and e["data"]["acknowledged_at"] is None
    assert [(e["stream"], e["type"]) for e in got["Bo"]] == [(f"p{room.bo.c.pid}", "support")]
    assert room.bo.snap["support"]["request"]["acknowledged_at"] is None

    assert live.call(room.bo.c, "support.send")["new"] is False, "pressing again: nothing new"
    request_id = room.f.snap["private"]["support"][0]["id"]
    live.call(room.co.c, "support.ack", {"request_id": request_id})
    got = {m.name: m.update() for m in room.all}
    assert got["Ann"] == [] and got["Oz"] == []
    assert room.bo.snap["support"]["request"]["acknowledged_at"] is not None, "Bo sees privately it was seen"
    assert room.f.snap["private"]["support"][0]["acknowledged_by"] == "Cody"
    for m in (room.ann, room.obs):
        assert live.call(m.c, "sync")["snapshot"]["seq"] == seq_before[m.name], "no seq moved for anyone else"
        assert "support" not in str([e["type"] for e in m.log])
        assert m.snap["support"] == {"request": None}
    for m in room.all:
        m.assert_fresh()
