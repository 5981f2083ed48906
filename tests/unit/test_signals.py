"""Standing signals and the private support signal, action by action through `verify_action`:
facilitators see who and when, the person sees their own, nobody else hears anything (no event
on the meeting stream, so no seq moves there)."""
from __future__ import annotations

import pytest

from facilitator.actions import signals as sg
from facilitator.errors import Conflict, NotAllowed, NotFound
from facilitator.extensions import db
from facilitator.models import Meeting, Participant, Signal, SupportRequest

from .support import dump_db, of, participant, stream_seqs, verify_action, small_room


@pytest.fixture
def room(app, factory):
    r = small_room(factory)
    return r


def raise_(room, pid, kind, role="participant"):
    def action(m):
        p = sg.check_raise_signal(participant(room.mid, pid, role), m, kind)
        sg.do_raise_signal(p, kind)
    return action


def run(app, action, mid):
    with app.app_context():
        action(db.session.get(Meeting, mid))
        db.session.commit()


def streams(envs) -> set[str]:
    return {e["stream"] for e in envs}


# ---- standing signals ---------------------------------------------------------------------------

def test_a_signal_reaches_facilitators_with_who_and_the_person_but_nobody_else(app, room):
    envs = verify_action(app, room.mid, room.actors, raise_(room, room.ann, "need_break"))
    assert streams(envs) == {"facilitators", f"p{room.ann}"}
    view = of(envs, "facilitators", "signals", "updated")[0]["data"]
    assert [(s["participant_id"], s["name"], s["kind"]) for s in view["signals"]] == [(room.ann, "Ann", "need_break")]
    assert view["counts"] == {"slow_down": 0, "need_break": 1, "cant_hear": 0, "stepped_away": 0}
    assert [s["kind"] for s in of(envs, f"p{room.ann}")[0]["data"]["signals"]] == ["need_break"]


def test_signals_count_per_kind_and_survive_a_fresh_snapshot(app, room):
    run(app, raise_(room, room.ann, "need_break"), room.mid)
    run(app, raise_(room, room.bo, "need_break"), room.mid)
    envs = verify_action(app, room.mid, room.actors, raise_(room, room.obs, "cant_hear", "observer"))
    assert of(envs, "facilitators")[0]["data"]["counts"]["need_break"] == 2
    with app.app_context():
        from facilitator.state import snapshot

        m = db.session.get(Meeting, room.mid)
        fac = snapshot(m, room.fac)
        ann = snapshot(m, participant(room.mid, room.ann))
    assert fac["private"]["signals"]["counts"] == {"slow_down": 0, "need_break": 2, "cant_hear": 1, "stepped_away": 0}
    assert [s["kind"] for s in ann["my_signals"]["signals"]] == ["need_break"]
    assert "signals" not in ann and "counts" not in str(ann.get("my_signals")), "no one else's signals, no counts"


def test_raising_twice_and_lowering_what_is_not_up_are_refused(app, room):
    run(app, raise_(room, room.ann, "slow_down"), room.mid)
    with app.app_context():
        m = db.session.get(Meeting, room.mid)
        with pytest.raises(Conflict) as err:
            sg.check_raise_signal(participant(room.mid, room.ann), m, "slow_down")
        assert err.value.code == "already_raised"
        with pytest.raises(Conflict) as err:
            sg.check_lower_signal(participant(room.mid, room.ann), "need_break")
        assert err.value.code == "not_raised"
        with pytest.raises(Conflict) as err:
            sg.check_raise_signal(room.fac, m, "slow_down")
        assert err.value.code == "not_participant"
        with pytest.raises(Conflict) as err:
            sg.check_raise_signal(participant(room.mid, room.gil), m, "slow_down")
        assert err.value.code == "rules_not_acknowledged"


def test_the_person_lowers_their_own_signal(app, room):
    run(app, raise_(room, room.ann, "cant_hear"), room.mid)
    envs = verify_action(app, room.mid, room.actors,
                         lambda m: sg.do_lower_signal(sg.check_lower_signal(participant(room.mid, room.ann), "cant_hear")))
    assert streams(envs) == {"facilitators", f"p{room.ann}"}
    with app.app_context():
        assert db.session.query(Signal).count() == 0


def test_a_facilitator_clears_one_signal(app, room):
    run(app, raise_(room, room.ann, "stepped_away"), room.mid)
    run(app, raise_(room, room.bo, "stepped_away"), room.mid)
    envs = verify_action(app, room.mid, room.actors,
                         lambda m: sg.do_lower_signal(sg.check_clear_signal(room.fac, room.bo, "stepped_away")))
    assert streams(envs) == {"facilitators", f"p{room.bo}"}, "only Bo hears that theirs went"
    assert [s["name"] for s in of(envs, "facilitators")[0]["data"]["signals"]] == ["Ann"]


def test_a_facilitator_clears_all_or_all_of_a_kind(app, room):
    run(app, raise_(room, room.ann, "need_break"), room.mid)
    run(app, raise_(room, room.ann, "slow_down"), room.mid)
    run(app, raise_(room, room.bo, "need_break"), room.mid)
    out = {}

    def of_kind(m):
        sg.check_clear_all(room.fac)
        out["n"] = sg.do_clear_all(m, "need_break")

    envs = verify_action(app, room.mid, room.actors, of_kind)
    assert out["n"] == 2 and streams(envs) == {"facilitators", f"p{room.ann}", f"p{room.bo}"}

    def everything(m):
        out["n"] = sg.do_clear_all(m)

    verify_action(app, room.mid, room.actors, everything)
    assert out["n"] == 1
    envs = verify_action(app, room.mid, room.actors, everything)
    assert out["n"] == 0 and envs == [], "nothing to clear, nothing said"


def test_clearing_is_for_facilitators_and_their_own_meeting(app, room, factory):
    run(app, raise_(room, room.ann, "need_break"), room.mid)
    uid2 = factory.user(email="b@example.org")
    mid2, _ = factory.meeting(uid2)
    stranger = factory.join(mid2, name="Zed")[1]
    with app.app_context():
        with pytest.raises(NotAllowed):
            sg.check_clear_signal(participant(room.mid, room.bo), room.ann, "need_break")
        with pytest.raises(NotAllowed):
            sg.check_clear_all(participant(room.mid, room.bo))
        with pytest.raises(NotFound):
            sg.check_clear_signal(room.fac, stranger, "need_break")


def test_removal_can_release_a_persons_signals(app, room):
    run(app, raise_(room, room.ann, "need_break"), room.mid)

    def action(m):
        sg.release_signals(db.session.get(Participant, room.ann))

    envs = verify_action(app, room.mid, room.actors, action)
    assert of(envs, "facilitators")[0]["data"]["signals"] == []


# ---- the support signal -------------------------------------------------------------------------

def send(room, pid, role="participant"):
    out = {}

    def action(m):
        p = sg.check_support(participant(room.mid, pid, role), m)
        out["req"], out["new"] = sg.do_support(p)
        out["id"] = out["req"].id
    return action, out


def test_support_reaches_facilitators_and_the_sender_only(app, room):
    with app.app_context():
        seqs = stream_seqs(room.mid)
    action, out = send(room, room.ann)
    envs = verify_action(app, room.mid, room.actors, action)
    assert streams(envs) == {"facilitators", f"p{room.ann}"}
    fac = of(envs, "facilitators", "support", "upsert")[0]["data"]
    assert (fac["participant_id"], fac["name"], fac["acknowledged_at"]) == (room.ann, "Ann", None)
    assert fac["raised_at"] is not None, "when"
    mine = of(envs, f"p{room.ann}", "support", "mine")[0]["data"]["request"]
    assert mine["id"] == out["id"] and mine["acknowledged_at"] is None
    with app.app_context():
        after = stream_seqs(room.mid)
    assert after["meeting"] == seqs["meeting"] and after[f"p{room.bo}"] == seqs[f"p{room.bo}"], "no trace for others"


def test_pressing_again_while_it_waits_changes_nothing(app, room):
    action, out = send(room, room.ann)
    run(app, action, room.mid)
    again, out2 = send(room, room.ann)
    before = dump_db(app)
    envs = verify_action(app, room.mid, room.actors, again)
    assert envs == [] and out2["new"] is False and out2["id"] == out["id"]
    assert dump_db(app) == before


def test_a_facilitator_acknowledges_and_the_sender_sees_it_privately(app, room):
    action, out = send(room, room.ann)
    run(app, action, room.mid)
    envs = verify_action(app, room.mid, room.actors,
                         lambda m: sg.do_ack_support(room.fac, sg.check_ack_support(room.fac, out["id"])))
    assert streams(envs) == {"facilitators", f"p{room.ann}"}
    assert of(envs, "facilitators")[0]["data"]["acknowledged_by"] == "Fran"
    assert of(envs, f"p{room.ann}")[0]["data"]["request"]["acknowledged_at"] is not None
    with app.app_context(), pytest.raises(Conflict) as err:
        sg.check_ack_support(room.fac, out["id"])
    assert err.value.code == "already_acknowledged"
    again, out2 = send(room, room.ann)
    verify_action(app, room.mid, room.actors, again)
    assert out2["new"] is True and out2["id"] != out["id"], "after it was seen, a new request can be sent"


def test_withdrawing_a_request(app, room):
    action, out = send(room, room.obs, "observer")
    run(app, action, room.mid)
    envs = verify_action(app, room.mid, room.actors,
                         lambda m: sg.do_withdraw_support(sg.check_withdraw_support(participant(room.mid, room.obs))))
    assert of(envs, "facilitators")[0]["data"]["withdrawn_at"] is not None
    with app.app_context():
        with pytest.raises(Conflict) as err:
            sg.check_withdraw_support(participant(room.mid, room.obs))
        assert err.value.code == "no_request"
        with pytest.raises(Conflict) as err:
            sg.check_ack_support(room.fac, out["id"])
        assert err.value.code == "withdrawn"


def test_support_before_the_rules_are_accepted_and_refusals(app, room, factory):
    action, out = send(room, room.gil)
    envs = verify_action(app, room.mid, room.actors, action)
    assert out["new"] and streams(envs) == {"facilitators", f"p{room.gil}"}
    uid2 = factory.user(email="b@example.org")
    mid2, _ = factory.meeting(uid2)
    zed = factory.join(mid2, name="Zed")[1]
    with app.app_context():
        m2 = db.session.get(Meeting, mid2)
        req, _ = sg.do_support(db.session.get(Participant, zed))
        db.session.commit()
        with pytest.raises(NotFound):
            sg.check_ack_support(room.fac, req.id)
        with pytest.raises(NotAllowed):
            sg.check_ack_support(participant(room.mid, room.ann), out["id"])
        with pytest.raises(Conflict) as err:
            sg.check_support(room.fac, db.session.get(Meeting, room.mid))
        assert err.value.code == "not_participant"
        m2.state = "ended"
        db.session.commit()
        with pytest.raises(Conflict) as err:
            sg.check_support(participant(mid2, zed), m2)
        assert err.value.code == "meeting_ended"
        assert db.session.query(SupportRequest).count() == 2
