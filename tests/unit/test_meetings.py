"""Meeting actions: create, update, state transitions."""
from __future__ import annotations

import pytest

from facilitator.access import Actor
from facilitator.actions.meetings import (
    CODE_ALPHABET,
    check_set_state,
    check_update_meeting,
    do_create_meeting,
    do_set_state,
    do_update_meeting,
    normalise_code,
)
from facilitator.errors import Conflict, NotAllowed
from facilitator.events import pending
from facilitator.extensions import db
from facilitator.models import CoFacilitator, EventStream, Meeting, User
from facilitator.rule_templates import default_rules
from facilitator.schemas.meetings import MeetingIn, MeetingPatchIn

from .support import dump_db, of, participant, verify_action

STATES = ["draft", "open", "live", "paused", "ended"]
# Written out here rather than imported, so a change to the rules of the game fails a test.
ALLOWED = {
    ("draft", "open"), ("draft", "live"), ("draft", "ended"),
    ("open", "live"), ("open", "ended"),
    ("live", "paused"), ("live", "ended"),
    ("paused", "live"), ("paused", "ended"),
}


def test_create_meeting_makes_a_draft_with_codes_streams_and_rules(app, factory, ctx):
    uid = factory.user()
    owner = db.session.get(User, uid)
    m = do_create_meeting(owner, {"title": "Carers' group", "kind": "mdt", "group_tags": ["Nursing", "OT"]},
                          default_rules())
    assert pending() == [], "creating a draft tells nobody anything"
    db.session.commit()
    m = db.session.get(Meeting, m.id)
    assert (m.state, m.kind, m.owner_id, m.group_tags) == ("draft", "mdt", uid, ["Nursing", "OT"])
    assert m.retention_days == 30
    assert len(m.join_code) == 8 and set(m.join_code) <= set(CODE_ALPHABET)
    assert not set(m.join_code) & set("01ILOUV"), "no look-alike characters"
    assert len({m.join_code, m.observer_key, m.cofac_key}) == 3
    assert len(m.observer_key) >= 22 and len(m.cofac_key) >= 22  # >= 128 bits of url-safe base64
    assert m.rules_version == 1 and m.rules_changed_at is not None
    assert [(r.position, r.title) for r in m.rules] == [(i, r["title"]) for i, r in enumerate(default_rules())]
    streams = db.session.execute(db.select(EventStream.stream, EventStream.seq)
                                 .where(EventStream.meeting_id == m.id)).all()
    assert sorted(streams) == [("facilitators", 0), ("meeting", 0)]


def test_create_meeting_without_rules_is_version_zero(app, factory, ctx):
    owner = db.session.get(User, factory.user())
    m = do_create_meeting(owner, {"title": "No rules yet"}, [])
    db.session.commit()
    assert m.rules_version == 0 and m.rules == [] and m.rules_changed_at is None


def test_join_codes_are_unique_across_meetings(app, factory):
    uid = factory.user()
    codes = {factory.meeting(uid, state="draft")[1] for _ in range(25)}
    assert len(codes) == 25


def test_normalise_code_accepts_spaces_dashes_and_lower_case():
    assert normalise_code(" abcd-ef 23 ") == "ABCDEF23"
    assert normalise_code("--") == ""


def test_update_meeting_publishes_to_meeting_and_facilitators(app, world):
    def act(m):
        check_update_meeting(world.fac, m, {"title": "Renamed"})
        do_update_meeting(world.fac, m, {"title": "Renamed", "group_tags": ["A", "B"]})

    envs = verify_action(app, world.mid, [world.fac, world.part], act)
    assert [(e["stream"], e["type"], e["op"]) for e in envs] == [
        ("meeting", "meeting", "updated"), ("facilitators", "meeting", "private")]
    assert envs[0]["data"]["title"] == "Renamed" and envs[0]["data"]["group_tags"] == ["A", "B"]
    assert "join_code" not in envs[0]["data"], "the join code is for facilitators"
    assert "join_code" in envs[1]["data"]
    with app.app_context():
        assert db.session.get(Meeting, world.mid).title == "Renamed"


def test_update_with_nothing_changed_publishes_nothing(app, world):
    envs = verify_action(app, world.mid, [world.fac, world.part],
                         lambda m: do_update_meeting(world.fac, m, {"title": m.title, "kind": m.kind}))
    assert envs == []


def test_update_refused_for_participant_and_retention_only_by_owner(app, world, factory, ctx):
    m = db.session.get(Meeting, world.mid)
    with pytest.raises(NotAllowed):
        check_update_meeting(world.part, m, {"title": "Mine now"})
    cofac = factory.user(name="Co")
    db.session.add(CoFacilitator(meeting_id=m.id, user_id=cofac))
    db.session.commit()
    co = Actor("cofacilitator", m.id, user_id=cofac)
    check_update_meeting(co, m, {"title": "Co may rename"})  # allowed
    with pytest.raises(NotAllowed):
        check_update_meeting(co, m, {"retention_days": 7})
    check_update_meeting(world.fac, m, {"retention_days": 7})


def test_ended_meeting_only_changes_retention(app, world, ctx):
    m = db.session.get(Meeting, world.mid)
    do_set_state(world.fac, m, "ended")
    db.session.commit()
    with pytest.raises(Conflict):
        check_update_meeting(world.fac, m, {"title": "Too late"})
    check_update_meeting(world.fac, m, {"retention_days": 5})


def test_patch_schema_is_partial_and_keeps_other_fields(app, world, ctx):
    """A PATCH of one field must not reset the others to their create-time defaults."""
    data = MeetingPatchIn().load({"title": "Only the title"})
    assert data == {"title": "Only the title"}
    m = db.session.get(Meeting, world.mid)
    m.kind, m.retention_days, m.group_tags = "mdt", 90, ["Nursing"]
    db.session.commit()
    do_update_meeting(world.fac, m, data)
    db.session.commit()
    m = db.session.get(Meeting, world.mid)
    assert (m.title, m.kind, m.retention_days, m.group_tags) == ("Only the title", "mdt", 90, ["Nursing"])
    # the create schema still requires a title and fills defaults
    assert MeetingIn().load({"title": "x"})["retention_days"] == 30


@pytest.mark.parametrize("start", STATES)
def test_state_transitions(app, factory, start):
    """From each state to every state: allowed moves succeed and publish; others are refused, unchanged."""
    uid = factory.user()
    path = {"draft": [], "open": ["open"], "live": ["live"], "paused": ["live", "paused"],
            "ended": ["ended"]}[start]
    for target in STATES:
        mid, _ = factory.meeting(uid, state="draft")
        fac = Actor("facilitator", mid, user_id=uid)
        with app.app_context():
            m = db.session.get(Meeting, mid)
            for s in path:
                do_set_state(fac, m, s)
            db.session.commit()
            assert m.state == start
        if (start, target) in ALLOWED:
            envs = verify_action(app, mid, [fac], lambda m, fac=fac, target=target: (
                check_set_state(fac, m, target), do_set_state(fac, m, target)))
            assert [e["data"]["state"] for e in of(envs, "meeting", "meeting", "updated")] == [target]
            with app.app_context():
                m = db.session.get(Meeting, mid)
                assert m.state == target, (start, target)
                if target == "live":
                    assert m.started_at is not None and m.opened_at is not None
                if target == "ended":
                    assert m.ended_at is not None
        else:
            before = dump_db(app)
            with app.app_context():
                m = db.session.get(Meeting, mid)
                with pytest.raises(Conflict) as err:
                    check_set_state(fac, m, target)
                assert err.value.code == ("no_change" if start == target else "bad_transition"), (start, target)
                db.session.rollback()
            assert dump_db(app) == before


def test_state_change_refused_for_participants(app, world, ctx):
    before = dump_db(app)
    m = db.session.get(Meeting, world.mid)
    with pytest.raises(NotAllowed):
        check_set_state(world.part, m, "live")
    with pytest.raises(NotAllowed):
        check_set_state(participant(world.mid, world.pid, "observer"), m, "ended")
    db.session.rollback()
    assert dump_db(app) == before


def test_pause_and_resume_keep_the_first_start_time(app, world, ctx):
    m = db.session.get(Meeting, world.mid)
    do_set_state(world.fac, m, "live")
    db.session.commit()
    started = m.started_at
    do_set_state(world.fac, m, "paused")
    do_set_state(world.fac, m, "live")
    db.session.commit()
    assert db.session.get(Meeting, world.mid).started_at == started


def test_state_change_verified_for_participant_view(app, world):
    envs = verify_action(app, world.mid, [world.fac, world.part],
                         lambda m: do_set_state(world.fac, m, "live"))
    assert len(of(envs, "meeting")) == 1 and len(of(envs, "facilitators")) == 1


def test_archive_tells_facilitators_only(app, world):
    from facilitator.actions.meetings import do_archive

    envs = verify_action(app, world.mid, [world.fac, world.part], lambda m: do_archive(world.fac, m, True))
    assert [(e["stream"], e["type"], e["op"]) for e in envs] == [("facilitators", "meeting", "private")]
    assert envs[0]["data"]["archived_at"]
    with app.app_context():
        assert db.session.get(Meeting, world.mid).archived_at is not None
    envs = verify_action(app, world.mid, [world.fac], lambda m: do_archive(world.fac, m, False))
    assert envs[0]["data"]["archived_at"] is None


def test_only_the_owner_archives(app, world, factory, ctx):
    from facilitator.actions.meetings import check_archive

    co = Actor("cofacilitator", world.mid, user_id=factory.user(name="Co"))
    with pytest.raises(NotAllowed):
        check_archive(co)


def test_adding_a_cofacilitator_shows_their_name_to_everyone(app, world, factory):
    from facilitator.actions.meetings import (
        check_add_cofacilitator,
        do_add_cofacilitator,
    )
    from facilitator.errors import Invalid

    co_id = factory.user(name="Cody")

    def act(m):
        user = db.session.get(User, co_id)
        check_add_cofacilitator(world.fac, m, user)
        assert do_add_cofacilitator(m, user) is True

    envs = verify_action(app, world.mid, [world.fac, world.part], act)
    assert [e["data"]["facilitators"] for e in of(envs, "meeting")] == [["Fran", "Cody"]]
    assert verify_action(app, world.mid, [world.fac], lambda m: do_add_cofacilitator(
        m, db.session.get(User, co_id))) == [], "adding twice is a no-op"
    with app.app_context():
        m = db.session.get(Meeting, world.mid)
        with pytest.raises(Invalid):
            check_add_cofacilitator(world.fac, m, db.session.get(User, world.uid))


def test_only_the_owner_adds_a_cofacilitator_and_nobody_accepts_twice(app, world, factory, ctx):
    """The owner-only rule for invitations lives in the action, not only in the web layer."""
    from facilitator.actions.meetings import check_accept_invitation, check_add_cofacilitator, do_add_cofacilitator
    from facilitator.errors import Conflict

    m = db.session.get(Meeting, world.mid)
    cody = db.session.get(User, factory.user(name="Cody"))
    dee = db.session.get(User, factory.user(name="Dee"))
    co = Actor("cofacilitator", world.mid, user_id=cody.id)
    with pytest.raises(NotAllowed):
        check_add_cofacilitator(co, m, dee)
    check_accept_invitation(m, cody)
    do_add_cofacilitator(m, cody)
    with pytest.raises(Conflict):
        check_accept_invitation(m, cody)
    with pytest.raises(Conflict):
        check_accept_invitation(m, db.session.get(User, world.uid))
