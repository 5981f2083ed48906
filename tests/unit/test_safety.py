"""Drop alerts and contact plans, action by action through `verify_action`: facilitators see alerts
and plans; a participant sees only the contact details they gave; nobody else hears anything."""
from __future__ import annotations

import pytest

from facilitator.actions import participants as pa
from facilitator.actions import safety as sf
from facilitator.views import safety as sfv
from facilitator.errors import Conflict, NotAllowed, NotFound
from facilitator.extensions import db
from facilitator.models import ContactPlan, DropAlert, Meeting, Participant

from .support import dump_db, facilitator, of, participant, verify_action, small_room


@pytest.fixture
def room(app, factory):
    r = small_room(factory)
    with app.app_context():
        m = db.session.get(Meeting, r.mid)
        for pid in (r.ann, r.bo, r.obs, r.gil):
            pa.do_connect(m, f"sid-{pid}", "w1", participant=db.session.get(Participant, pid))
        db.session.commit()
    return r


def drop(pid, reason):
    return lambda m: pa.do_disconnect(f"sid-{pid}", reason)


def grace_passes(app, room, seconds_after=1.0) -> list[dict]:
    """The timed job's drop-alert step, run `seconds_after` the grace period of a closed connection."""
    from datetime import timedelta

    from facilitator.models import utcnow

    def step(m):
        later = utcnow() + timedelta(seconds=app.config["DROP_ALERT_GRACE_SECONDS"] + seconds_after)
        for pid, left_at in sf.due_drops(later):
            sf.alert_if_due(pid, left_at)
    return verify_action(app, room.mid, room.actors, step)


def lost(app, room, pid, reason) -> list[dict]:
    """A lost connection as the server handles it: at once for a ping timeout, after the grace
    period for a closed transport (which raises nothing before it)."""
    envs = verify_action(app, room.mid, room.actors, drop(pid, reason))
    if reason in sf.DEFERRED:
        assert of(envs, type_="drop_alert") == []
        envs += grace_passes(app, room)
    return envs


def streams(envs) -> set[str]:
    return {e["stream"] for e in envs}


def alerts(app):
    with app.app_context():
        return [(a.participant_id, a.reason, a.resolved_at is not None, a.acknowledged_at is not None)
                for a in db.session.execute(db.select(DropAlert).order_by(DropAlert.id)).scalars()]


@pytest.mark.parametrize("reason", ["ping timeout", "transport close", "transport error"])
def test_an_unexpected_drop_alerts_facilitators_only(app, room, reason):
    envs = lost(app, room, room.ann, reason)
    alert = of(envs, "facilitators", "drop_alert", "upsert")
    assert len(alert) == 1
    assert {k: alert[0]["data"][k] for k in ("participant_id", "name", "reason", "open", "resolved_at")} == {
        "participant_id": room.ann, "name": "Ann", "reason": reason, "open": True, "resolved_at": None}
    assert all(e["type"] != "drop_alert" for e in envs if e["stream"] != "facilitators")
    assert alerts(app) == [(room.ann, reason, False, False)]
    with app.app_context():
        snap = __import__("facilitator.state", fromlist=["snapshot"]).snapshot(db.session.get(Meeting, room.mid),
                                                                                room.fac)
        assert [a["participant_id"] for a in snap["private"]["drop_alerts"]] == [room.ann]


@pytest.mark.parametrize("reason", ["client disconnect", "server disconnect", None])
def test_a_closed_connection_that_was_not_lost_raises_no_alert(app, room, reason):
    envs = verify_action(app, room.mid, room.actors, drop(room.ann, reason))
    assert of(envs, type_="drop_alert") == []
    assert alerts(app) == []


def test_a_deliberate_leave_raises_no_alert_even_if_the_socket_then_drops(app, room):
    verify_action(app, room.mid, room.actors, lambda m: pa.do_leave(participant(room.mid, room.ann)))
    envs = lost(app, room, room.ann, "transport close")
    assert of(envs, type_="drop_alert") == []
    assert alerts(app) == []


def test_a_removal_raises_no_alert(app, room):
    def remove(m):
        pa.do_remove(room.fac, pa.check_remove(room.fac, room.ann))
        pa.do_disconnect(f"sid-{room.ann}", "server disconnect")
    others = [a for a in room.actors if a.participant_id != room.ann]  # the removed person's view is a gate
    envs = verify_action(app, room.mid, others, remove)
    assert of(envs, type_="drop_alert") == []
    assert alerts(app) == []


def test_observers_and_people_still_reading_the_rules_raise_no_alert(app, room):
    envs = verify_action(app, room.mid, room.actors, drop(room.obs, "ping timeout"))
    envs += verify_action(app, room.mid, room.actors, drop(room.gil, "ping timeout"))
    assert of(envs, type_="drop_alert") == []
    assert alerts(app) == []


def test_another_connection_still_open_means_no_drop(app, room):
    with app.app_context():
        pa.do_connect(db.session.get(Meeting, room.mid), "sid-second", "w1",
                      participant=db.session.get(Participant, room.ann))
        db.session.commit()
    envs = verify_action(app, room.mid, room.actors, drop(room.ann, "ping timeout"))
    assert of(envs, type_="drop_alert") == [] and alerts(app) == []


def test_reconnecting_resolves_the_alert(app, room):
    verify_action(app, room.mid, room.actors, drop(room.ann, "ping timeout"))

    def back(m):
        pa.do_connect(m, "sid-again", "w1", participant=db.session.get(Participant, room.ann))
    envs = verify_action(app, room.mid, room.actors, back)
    up = of(envs, "facilitators", "drop_alert", "upsert")
    assert len(up) == 1 and up[0]["data"]["open"] is False and up[0]["data"]["resolved_at"] is not None
    assert alerts(app) == [(room.ann, "ping timeout", True, False)]
    # a second drop later is a new alert
    verify_action(app, room.mid, room.actors, lambda m: pa.do_disconnect("sid-again", "transport close"))
    grace_passes(app, room)
    assert alerts(app) == [(room.ann, "ping timeout", True, False), (room.ann, "transport close", False, False)]


def test_facilitators_acknowledge_an_alert_once(app, room):
    verify_action(app, room.mid, room.actors, drop(room.ann, "ping timeout"))
    with app.app_context():
        aid = db.session.execute(db.select(DropAlert.id)).scalar_one()
    envs = verify_action(app, room.mid, room.actors,
                         lambda m: sf.do_ack_drop_alert(room.fac, sf.check_ack_drop_alert(room.fac, aid)))
    assert streams(envs) == {"facilitators"}
    data = of(envs, "facilitators", "drop_alert", "upsert")[0]["data"]
    assert data["open"] is False and data["acknowledged_by"] == "Fran"
    with app.app_context():
        with pytest.raises(Conflict) as exc:
            sf.check_ack_drop_alert(room.fac, aid)
        assert exc.value.code == "already_acknowledged"
        with pytest.raises(NotAllowed):
            sf.check_ack_drop_alert(participant(room.mid, room.bo), aid)
        with pytest.raises(NotFound):
            sf.check_ack_drop_alert(facilitator(room.mid + 999, room.uid), aid)
    # coming back still resolves it (facilitators' open list already excludes it)
    verify_action(app, room.mid, room.actors,
                  lambda m: pa.do_connect(m, "sid-x", "w1", participant=db.session.get(Participant, room.ann)))
    assert alerts(app) == [(room.ann, "ping timeout", True, True)]


def test_a_resolved_alert_cannot_be_acknowledged(app, room):
    verify_action(app, room.mid, room.actors, drop(room.ann, "ping timeout"))
    verify_action(app, room.mid, room.actors,
                  lambda m: pa.do_connect(m, "sid-x", "w1", participant=db.session.get(Participant, room.ann)))
    with app.app_context():
        aid = db.session.execute(db.select(DropAlert.id)).scalar_one()
        with pytest.raises(Conflict) as exc:
            sf.check_ack_drop_alert(room.fac, aid)
        assert exc.value.code == "already_resolved"


def test_no_alert_once_the_meeting_has_ended(app, room):
    from facilitator.actions.meetings import do_set_state

    with app.app_context():
        do_set_state(room.fac, db.session.get(Meeting, room.mid), "ended")
        db.session.commit()
    verify_action(app, room.mid, room.actors, drop(room.ann, "ping timeout"))
    assert alerts(app) == []


# ---- contact plans -------------------------------------------------------------------------

def set_plan(room, pid, text):
    return lambda m: sf.do_set_plan(room.fac, sf.check_set_plan(room.fac, pid), text)


def give(room, pid, text, role="participant"):
    return lambda m: sf.do_give_contact(sf.check_give_contact(participant(room.mid, pid, role)), text)


def test_the_facilitators_plan_reaches_facilitators_only(app, room):
    envs = verify_action(app, room.mid, room.actors, set_plan(room, room.ann, "Call 07700 900123 within 5 min"))
    assert streams(envs) == {"facilitators"}
    data = of(envs, "facilitators", "contact_plan", "upsert")[0]["data"]
    assert (data["participant_id"], data["plan"], data["plan_updated_by"], data["given"]) == (
        room.ann, "Call 07700 900123 within 5 min", "Fran", None)


def test_what_a_participant_gives_reaches_facilitators_and_themselves_only(app, room):
    envs = verify_action(app, room.mid, room.actors, give(room, room.ann, "text me on 07700 900456"))
    assert streams(envs) == {"facilitators", f"p{room.ann}"}
    assert of(envs, f"p{room.ann}", "contact_plan", "mine")[0]["data"]["given"] == "text me on 07700 900456"
    assert of(envs, "facilitators", "contact_plan", "upsert")[0]["data"]["given"] == "text me on 07700 900456"


def test_a_participant_never_sees_the_facilitators_plan_nor_anyone_elses(app, room):
    verify_action(app, room.mid, room.actors, give(room, room.ann, "ANN-CANARY-given"))
    verify_action(app, room.mid, room.actors, set_plan(room, room.ann, "ANN-CANARY-plan"))
    verify_action(app, room.mid, room.actors, give(room, room.bo, "BO-CANARY-given"))
    verify_action(app, room.mid, room.actors, set_plan(room, room.bo, "BO-CANARY-plan"))
    from facilitator.state import snapshot
    import json

    with app.app_context():
        m = db.session.get(Meeting, room.mid)
        snaps = {a: json.dumps(snapshot(m, a)) for a in room.actors}
    ann, bo = participant(room.mid, room.ann), participant(room.mid, room.bo)
    assert "ANN-CANARY-given" in snaps[ann] and "CANARY-plan" not in snaps[ann] and "BO-CANARY" not in snaps[ann]
    assert "BO-CANARY-given" in snaps[bo] and "CANARY-plan" not in snaps[bo] and "ANN-CANARY" not in snaps[bo]
    for a in room.actors[3:]:
        assert "CANARY" not in snaps[a]
    for canary in ("ANN-CANARY-given", "ANN-CANARY-plan", "BO-CANARY-given", "BO-CANARY-plan"):
        assert canary in snaps[room.fac]


def test_clearing_both_parts_deletes_the_plan(app, room):
    verify_action(app, room.mid, room.actors, give(room, room.ann, "phone"))
    verify_action(app, room.mid, room.actors, set_plan(room, room.ann, "call"))
    verify_action(app, room.mid, room.actors, set_plan(room, room.ann, ""))
    envs = verify_action(app, room.mid, room.actors, give(room, room.ann, None))
    assert of(envs, f"p{room.ann}", "contact_plan", "mine")[0]["data"] == {"given": None, "given_at": None}
    with app.app_context():
        assert db.session.execute(db.select(ContactPlan)).first() is None


def test_unchanged_or_empty_plans_publish_nothing(app, room):
    before = dump_db(app)
    envs = verify_action(app, room.mid, room.actors, set_plan(room, room.ann, None))
    envs += verify_action(app, room.mid, room.actors, give(room, room.bo, ""))
    assert envs == [] and dump_db(app) == before


def test_contact_plan_access(app, room, factory):
    other_mid, _ = factory.meeting(room.uid, state="live")
    other = factory.join(other_mid, name="Zed")[1]
    with app.app_context():
        with pytest.raises(NotAllowed):
            sf.check_set_plan(participant(room.mid, room.ann), room.bo)
        with pytest.raises(NotFound):
            sf.check_set_plan(room.fac, other)
        with pytest.raises(Conflict) as exc:
            sf.check_give_contact(room.fac)
        assert exc.value.code == "not_participant"


def test_a_dropped_persons_alert_and_plan_sit_side_by_side_for_facilitators(app, room):
    verify_action(app, room.mid, room.actors, give(room, room.ann, "07700 900789"))
    lost(app, room, room.ann, "transport close")
    from facilitator.state import snapshot

    with app.app_context():
        private = snapshot(db.session.get(Meeting, room.mid), room.fac)["private"]
    assert [a["participant_id"] for a in private["drop_alerts"]] == [room.ann]
    assert [(c["participant_id"], c["given"]) for c in private["contact_plans"]] == [(room.ann, "07700 900789")]


# ---- settings ------------------------------------------------------------------------------

def test_asking_for_contact_on_joining_is_a_facilitator_setting(app, room):
    envs = verify_action(app, room.mid, room.actors, lambda m: sf.do_settings(m, True))
    assert [(e["stream"], e["type"], e["op"], e["data"]) for e in envs] == [
        ("facilitators", "safety", "settings", {"require_contact": True})]
    assert verify_action(app, room.mid, room.actors, lambda m: sf.do_settings(m, True)) == []
    verify_action(app, room.mid, room.actors, lambda m: sf.do_settings(m, False))
    with app.app_context():
        assert sfv.contact_required(room.mid) is False
        with pytest.raises(NotAllowed):
            sf.check_settings(participant(room.mid, room.ann))


def test_removing_someone_with_an_open_alert_resolves_it(app, room):
    verify_action(app, room.mid, room.actors, drop(room.ann, "ping timeout"))
    others = [a for a in room.actors if a.participant_id != room.ann]
    envs = verify_action(app, room.mid, others, lambda m: pa.do_remove(room.fac, pa.check_remove(room.fac, room.ann)))
    assert of(envs, "facilitators", "drop_alert", "upsert")[0]["data"]["open"] is False
    assert alerts(app) == [(room.ann, "ping timeout", True, False)]
