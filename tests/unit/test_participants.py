"""Participant actions: join, presence (connect, drop, leave), own status, removal."""
from __future__ import annotations

import base64

import pytest
from marshmallow import ValidationError

from facilitator.access import load_participant, participant_for_token, token_hash
from facilitator.actions.meetings import do_set_state, do_update_meeting
from facilitator.actions.participants import (
    check_join,
    check_remove,
    check_set_status,
    do_connect,
    do_disconnect,
    do_join,
    do_leave,
    do_remove,
    do_set_status,
)
from facilitator.errors import Conflict, Invalid, NotAllowed, NotFound, Unauthenticated
from facilitator.events import pending
from facilitator.extensions import db
from facilitator.models import Connection, EventStream, Meeting, Participant
from facilitator.schemas.participants import JoinIn

from .support import dump_db, of, participant, verify_action

PUBLIC_PERSON = {"id", "name", "role", "group_tag", "present"}


def _p(pid) -> Participant:
    db.session.remove()
    return db.session.get(Participant, pid)


# --- joining -------------------------------------------------------------------------------------


def test_join_creates_a_muted_participant_with_a_strong_token(app, world):
    out = {}

    def act(m):
        check_join(m, {"display_name": "Robin", "group_tag": None})
        out["p"], out["token"] = do_join(m, {"display_name": "Robin", "group_tag": None})
        out["pid"] = out["p"].id

    envs = verify_action(app, world.mid, [world.fac, world.part], act)
    token = out["token"]
    assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) >= 16, ">= 128 bits"
    with app.app_context():
        p = db.session.get(Participant, out["pid"])
        assert (p.display_name, p.role, p.mic, p.camera, p.presence) == ("Robin", "participant", "muted", "off",
                                                                         "left")
        assert p.rules_version_acked is None
        assert p.token_hash == token_hash(token) and token not in p.token_hash, "only the hash is kept"
        assert participant_for_token(token).id == p.id
        assert db.session.get(EventStream, (world.mid, f"p{p.id}")) is not None
    # facilitators and the newcomer hear of it; the people inside do not (not on the roster yet)
    assert {e["stream"] for e in envs} == {"facilitators", f"p{out['pid']}"}
    assert of(envs, "meeting") == []


def test_two_joins_get_different_tokens_and_rows(app, world, factory):
    t1, p1 = factory.join(world.mid, name="Sam")
    t2, p2 = factory.join(world.mid, name="Sam")
    assert t1 != t2 and p1 != p2, "the same name is allowed; the token is the identity"


@pytest.mark.parametrize("state,code", [("draft", "not_open"), ("ended", "meeting_ended")])
def test_join_refused_in_draft_and_ended(app, factory, state, code, ctx):
    uid = factory.user()
    mid, _ = factory.meeting(uid, state=state)
    m = db.session.get(Meeting, mid)
    with pytest.raises(Conflict) as err:
        check_join(m, {"display_name": "Sam", "group_tag": None})
    assert err.value.code == code


@pytest.mark.parametrize("state", ["open", "live", "paused"])
def test_join_allowed_in_open_live_paused(app, factory, state, ctx):
    uid = factory.user()
    mid, _ = factory.meeting(uid, state="live" if state == "paused" else state)
    m = db.session.get(Meeting, mid)
    if state == "paused":
        do_set_state(None, m, "paused")
        db.session.commit()
    check_join(m, {"display_name": "Sam", "group_tag": None})  # does not raise


def test_group_tag_rules(app, factory, ctx):
    uid = factory.user()
    tagged, _ = factory.meeting(uid, group_tags=["Nursing", "Social work"])
    untagged, _ = factory.meeting(uid)
    mt, mu = db.session.get(Meeting, tagged), db.session.get(Meeting, untagged)
    check_join(mt, {"display_name": "A", "group_tag": "Nursing"})
    check_join(mt, {"display_name": "A", "group_tag": None})  # a tag is optional
    check_join(mu, {"display_name": "A", "group_tag": None})
    for m, tag in [(mt, "Medicine"), (mt, "nursing"), (mu, "Nursing")]:
        with pytest.raises(Invalid) as err:
            check_join(m, {"display_name": "A", "group_tag": tag})
        assert "group_tag" in err.value.fields


@pytest.mark.parametrize("raw", [
    {}, {"display_name": ""}, {"display_name": "   "}, {"display_name": "x" * 41}, {"display_name": 7},
    {"display_name": "a\nb"}, {"display_name": "a\x00b"}, {"display_name": None},
    {"display_name": "ok", "group_tag": "x" * 41}, {"display_name": "ok", "extra": 1},
])
def test_join_schema_rejects_bad_names(raw):
    with pytest.raises(ValidationError):
        JoinIn().load(raw)


def test_join_schema_trims_names():
    assert JoinIn().load({"display_name": "  Kim  "})["display_name"] == "Kim"


# --- presence ------------------------------------------------------------------------------------


def test_connect_makes_connected_and_disconnect_makes_reconnecting(app, world, factory):
    _, other = factory.join(world.mid, name="Bo")
    watchers = [world.fac, participant(world.mid, other)]

    envs = verify_action(app, world.mid, watchers + [world.part],
                         lambda m: do_connect(m, "sid-1", "w1", participant=_p_in(world.pid)))
    with app.app_context():
        p = db.session.get(Participant, world.pid)
        assert p.presence == "connected" and p.last_seen_at is not None
        assert db.session.get(Connection, "sid-1").participant_id == world.pid
    people = of(envs, "facilitators", "people", "upsert")
    assert [e["data"]["presence"] for e in people] == ["connected"]
    # others see the person arrive (present), never the connection detail
    roster = of(envs, "meeting", "roster", "upsert")
    assert [e["data"] for e in roster] == [{"id": world.pid, "name": "Alex", "role": "participant",
                                             "group_tag": None, "present": True}]

    envs = verify_action(app, world.mid, watchers, lambda m: do_disconnect("sid-1"))
    with app.app_context():
        assert db.session.get(Participant, world.pid).presence == "reconnecting"
        assert db.session.get(Connection, "sid-1") is None
    assert [e["data"]["presence"] for e in of(envs, "facilitators")] == ["reconnecting"]
    assert of(envs, "meeting") == [], "a dropped connection is the facilitators' business only"


def _p_in(pid):
    return db.session.get(Participant, pid)


def test_disconnect_of_one_of_two_tabs_keeps_connected(app, world):
    with app.app_context():
        m = db.session.get(Meeting, world.mid)
        do_connect(m, "tab-1", "w1", participant=_p_in(world.pid))
        do_connect(m, "tab-2", "w1", participant=_p_in(world.pid))
        db.session.commit()
    envs = verify_action(app, world.mid, [world.fac, world.part], lambda m: do_disconnect("tab-1"))
    assert envs == []
    with app.app_context():
        assert db.session.get(Participant, world.pid).presence == "connected"


def test_reconnecting_participant_comes_back_connected(app, world):
    with app.app_context():
        m = db.session.get(Meeting, world.mid)
        do_connect(m, "s1", "w1", participant=_p_in(world.pid))
        do_disconnect("s1")
        db.session.commit()
        assert db.session.get(Participant, world.pid).presence == "reconnecting"
    envs = verify_action(app, world.mid, [world.fac, world.part],
                         lambda m: do_connect(m, "s2", "w1", participant=_p_in(world.pid)))
    assert [e["data"]["presence"] for e in of(envs, "facilitators")] == ["connected"]
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Participant)).scalar() == 1


def test_facilitator_connection_is_recorded_without_events(app, world):
    envs = verify_action(app, world.mid, [world.fac], lambda m: do_connect(m, "fs", "w1", user_id=world.uid))
    assert envs == []
    envs = verify_action(app, world.mid, [world.fac], lambda m: do_disconnect("fs"))
    assert envs == []
    with app.app_context():
        assert db.session.get(Connection, "fs") is None


def test_disconnect_of_unknown_sid_is_harmless(app, world):
    before = dump_db(app)
    assert verify_action(app, world.mid, [world.fac], lambda m: do_disconnect("never-seen")) == []
    assert dump_db(app) == before


def test_deliberate_leave_is_left_and_not_reconnecting(app, world, factory):
    _, other = factory.join(world.mid, name="Bo")
    with app.app_context():
        m = db.session.get(Meeting, world.mid)
        do_connect(m, "s1", "w1", participant=_p_in(world.pid))
        db.session.commit()
    envs = verify_action(app, world.mid, [world.fac, world.part, participant(world.mid, other)],
                         lambda m: do_leave(world.part))
    with app.app_context():
        p = db.session.get(Participant, world.pid)
        assert p.presence == "left" and p.left_at is not None
    assert [e["data"]["presence"] for e in of(envs, "facilitators")] == ["left"]
    assert [e["data"]["present"] for e in of(envs, "meeting", "roster")] == [False]
    assert of(envs, f"p{world.pid}")[0]["data"]["left"] is True
    # the socket then closes: still left, and no reconnecting event
    envs = verify_action(app, world.mid, [world.fac], lambda m: do_disconnect("s1"))
    assert envs == []
    with app.app_context():
        assert db.session.get(Participant, world.pid).presence == "left"


# --- own status ----------------------------------------------------------------------------------


def test_set_status_goes_to_facilitators_and_self_only(app, world, factory):
    _, other = factory.join(world.mid, name="Bo")
    watcher = participant(world.mid, other)

    def act(m):
        p = check_set_status(world.part, {"mic": "on", "camera": "on"})
        do_set_status(p, {"mic": "on", "camera": "on"})

    envs = verify_action(app, world.mid, [world.fac, world.part, watcher], act)
    with app.app_context():
        p = db.session.get(Participant, world.pid)
        assert (p.mic, p.camera) == ("on", "on")
    assert [(e["data"]["mic"], e["data"]["camera"]) for e in of(envs, "facilitators")] == [("on", "on")]
    assert [(e["data"]["mic"], e["data"]["camera"]) for e in of(envs, f"p{world.pid}")] == [("on", "on")]
    assert of(envs, "meeting") == [], "nobody else learns that a mic or camera changed"
    assert of(envs, f"p{other}") == []


def test_set_status_unchanged_publishes_nothing(app, world):
    envs = verify_action(app, world.mid, [world.fac, world.part],
                         lambda m: do_set_status(load_participant(world.part), {"mic": "muted", "camera": "off"}))
    assert envs == []


def test_set_status_refusals(app, world, ctx):
    with pytest.raises(Conflict) as err:
        check_set_status(world.fac, {"mic": "on"})
    assert err.value.code == "not_participant"
    with pytest.raises(Invalid):
        check_set_status(world.part, {})
    with pytest.raises(Unauthenticated):
        check_set_status(participant(world.mid + 999, world.pid), {"mic": "on"})


# --- removal -------------------------------------------------------------------------------------


def test_remove_drops_from_roster_and_kills_the_token(app, world, factory):
    _, other = factory.join(world.mid, name="Bo")
    watcher = participant(world.mid, other)
    with app.app_context():
        m = db.session.get(Meeting, world.mid)
        do_connect(m, "victim-sid", "w1", participant=_p_in(world.pid))
        db.session.commit()

    calls = {}

    def act(m):
        p = check_remove(world.fac, world.pid)
        do_remove(world.fac, p)
        from facilitator.events import _CALLS

        calls["n"] = len(db.session.info.get(_CALLS, []))

    envs = verify_action(app, world.mid, [world.fac, watcher], act)
    assert calls["n"] == 1, "one socket to close after commit"
    assert [e["data"]["id"] for e in of(envs, "meeting", "roster", "removed")] == [world.pid]
    assert of(envs, "meeting", "roster", "upsert") == []
    assert [e["data"]["removed"] for e in of(envs, "facilitators", "people")] == [True]
    assert of(envs, f"p{world.pid}", "me")[0]["data"]["removed"] is True
    with app.app_context():
        p = db.session.get(Participant, world.pid)
        assert p.removed_at is not None and p.presence == "left"
        assert participant_for_token(world.token) is None
        with pytest.raises(NotAllowed) as err:
            load_participant(world.part)
        assert err.value.code == "removed"


def test_remove_of_someone_still_reading_the_rules_tells_only_facilitators(app, world, factory):
    _, gated = factory.join(world.mid, name="New", ack=False)
    envs = verify_action(app, world.mid, [world.fac, world.part],
                         lambda m: do_remove(world.fac, check_remove(world.fac, gated)))
    assert of(envs, "meeting") == []
    assert {e["stream"] for e in envs} == {"facilitators", f"p{gated}"}


def test_remove_refusals(app, world, factory, ctx):
    with pytest.raises(NotAllowed):
        check_remove(world.part, world.pid)
    other_uid = factory.user()
    other_mid, _ = factory.meeting(other_uid)
    _, stranger = factory.join(other_mid)
    before = dump_db(app)
    with pytest.raises(NotFound):
        check_remove(world.fac, stranger)
    with pytest.raises(NotFound):
        check_remove(world.fac, 10_000)
    p = check_remove(world.fac, world.pid)
    do_remove(world.fac, p)
    db.session.commit()
    with pytest.raises(Conflict) as err:
        check_remove(world.fac, world.pid)
    assert err.value.code == "no_change"
    db.session.rollback()
    after = dump_db(app)
    assert after["participants"] != before["participants"]  # the one real removal
    assert {k: v for k, v in after.items() if k not in ("participants", "event_streams")} == \
        {k: v for k, v in before.items() if k not in ("participants", "event_streams")}


def test_rollback_drops_queued_events(app, world, ctx):
    m = db.session.get(Meeting, world.mid)
    do_update_meeting(world.fac, m, {"title": "Never happened"})
    assert len(pending()) == 2
    db.session.rollback()
    assert pending() == []
    assert db.session.get(Meeting, world.mid).title != "Never happened"
