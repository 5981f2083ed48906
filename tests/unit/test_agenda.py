"""The agenda, action by action: editing, running, minutes, "what I heard".

Every change goes through `verify_action` (each role's events turn its old snapshot into a fresh
one); a fake clock stands in for `utcnow`, so deadlines and actual times are exact.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from facilitator.actions import agenda as ag
from facilitator.views import agenda as agv
from facilitator.actions import minutes as mn
from facilitator.errors import Conflict, Invalid, NotAllowed, NotFound
from facilitator.extensions import db
from facilitator.models import AgendaItem, Meeting

from .support import dump_db, of, participant, small_room, verify_action
from .test_floor import Clock

T0 = datetime(2031, 3, 4, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(ag, "utcnow", c)
    monkeypatch.setattr(mn, "utcnow", c)
    return c


@pytest.fixture
def room(factory):
    return small_room(factory)


def add(app, r, title, seconds, kind="discussion", **more):
    envs = verify_action(app, r.mid, r.actors, lambda m: ag.do_add(m, {"title": title, "kind": kind,
                                                                      "planned_seconds": seconds, **more}))
    return of(envs, "meeting", "agenda", "updated")[0]["data"]


def three_items(app, r):
    add(app, r, "Check-in", 600, "checkin")
    add(app, r, "Break", 300, "break")
    return add(app, r, "Care plan", 900, "decision", presenter_name="Dr Okafor")


def ids(app, mid):
    with app.app_context():
        return [i.id for i in ag.items_of(mid)]


def test_items_are_added_in_order_and_shown_to_everyone(app, room, clock):
    view = three_items(app, room)
    assert [(i["position"], i["title"], i["kind"], i["state"]) for i in view["items"]] == [
        (1, "Check-in", "checkin", "pending"), (2, "Break", "break", "pending"),
        (3, "Care plan", "decision", "pending")]
    assert view["items"][2]["presenter"] == {"participant_id": None, "name": "Dr Okafor"}
    assert view["current_id"] is None and view["pending_seconds"] == 1800
    first = ids(app, room.mid)[0]
    envs = verify_action(app, room.mid, room.actors, lambda m: ag.do_add(
        m, {"title": "Welcome", "kind": "discussion", "planned_seconds": 120, "presenter_id": room.ann,
            "after_id": first}))
    items = of(envs, "meeting", "agenda", "updated")[0]["data"]["items"]
    assert [i["title"] for i in items] == ["Check-in", "Welcome", "Break", "Care plan"]
    assert items[1]["presenter"] == {"participant_id": room.ann, "name": "Ann"}


def test_run_through_with_deadlines_extend_previous_and_actual_times(app, room, clock):
    three_items(app, room)
    a, b, c = ids(app, room.mid)
    envs = verify_action(app, room.mid, room.actors, lambda m: ag.do_move(m, ag.check_next(room.fac, m, None)))
    view = of(envs, "meeting", "agenda", "updated")[0]["data"]
    assert view["current_id"] == a
    assert view["items"][0]["started_at"] == T0.isoformat()
    assert view["items"][0]["ends_at"] == (T0 + timedelta(seconds=600)).isoformat()
    private = of(envs, "facilitators", "agenda", "private")[0]["data"]
    assert private["break_due_at"] == (T0 + timedelta(minutes=50)).isoformat()

    clock.tick(420)
    envs = verify_action(app, room.mid, room.actors, lambda m: ag.do_extend(m, ag.check_running(room.fac, m), 300))
    item = of(envs, "meeting", "agenda", "updated")[0]["data"]["items"][0]
    assert item["ends_at"] == (T0 + timedelta(seconds=900)).isoformat() and item["extended_seconds"] == 300

    clock.tick(480)  # 900 s on the check-in
    envs = verify_action(app, room.mid, room.actors, lambda m: ag.do_move(m, ag.check_next(room.fac, m, a)))
    view = of(envs, "meeting", "agenda", "updated")[0]["data"]
    assert view["current_id"] == b
    assert view["items"][0]["state"] == "done" and view["items"][0]["actual_seconds"] == 900.0
    assert view["items"][1]["ends_at"] == (clock.now + timedelta(seconds=300)).isoformat()
    assert of(envs, "facilitators", "agenda", "private")[0]["data"]["break_due_at"] is None  # on a break

    clock.tick(60)  # the break is cut short: go back to the check-in for what is left of it (none)
    verify_action(app, room.mid, room.actors, lambda m: ag.do_move(m, ag.check_previous(room.fac, m, b)))
    with app.app_context():
        again = db.session.get(AgendaItem, a)
        assert again.ends_at == again.started_at  # 900 of 900 s used already: due at once
    clock.tick(30)
    verify_action(app, room.mid, room.actors, lambda m: ag.do_move(m, ag.check_next(room.fac, m, a)))
    clock.tick(240)
    verify_action(app, room.mid, room.actors, lambda m: ag.do_move(m, ag.check_next(room.fac, m, b)))
    clock.tick(1000)
    envs = verify_action(app, room.mid, room.actors, lambda m: ag.do_move(m, ag.check_next(room.fac, m, c)))
    assert of(envs, "meeting", "agenda", "updated")[0]["data"]["current_id"] is None
    with app.app_context():
        minutes = agv.minutes_for(db.session.get(Meeting, room.mid), now=clock.now)
    assert [(i["title"], i["planned_seconds"], i["actual_seconds"], i["over_seconds"]) for i in minutes["items"]] == [
        ("Check-in", 600, 930.0, 330.0), ("Break", 300, 300.0, 0.0), ("Care plan", 900, 1000.0, 100.0)]
    assert minutes["planned_seconds"] == 1800 and minutes["actual_seconds"] == 2230.0


def test_stale_next_and_an_ended_session_stop_the_clock(app, room, clock, monkeypatch):
    three_items(app, room)
    a, b, _ = ids(app, room.mid)
    verify_action(app, room.mid, room.actors, lambda m: ag.do_move(m, ag.check_next(room.fac, m, None)))
    with app.app_context():
        m = db.session.get(Meeting, room.mid)
        with pytest.raises(Conflict) as exc:
            ag.check_next(room.fac, m, None)  # a second facilitator pressed Next on an old view
        assert exc.value.code == "stale"
    from facilitator.actions import meetings
    from facilitator.actions.meetings import do_set_state

    monkeypatch.setattr(meetings, "utcnow", clock)
    clock.tick(100)
    inside = room.actors[:4]  # someone still reading the rules hears of the end through the gate
    verify_action(app, room.mid, inside, lambda m: do_set_state(room.fac, m, "ended"))
    with app.app_context():
        item = db.session.get(AgendaItem, a)
        assert item.started_at is None and item.actual_seconds == 100.0


def test_minutes_and_summaries_reach_facilitators_only(app, room, clock):
    three_items(app, room)
    a, _, c = ids(app, room.mid)
    envs = verify_action(app, room.mid, room.actors, lambda m: mn.do_add_decision(
        m, mn.check_minutes(room.fac, c), "Refer to physio"))
    envs += verify_action(app, room.mid, room.actors, lambda m: mn.do_add_action(
        m, mn.check_minutes(room.fac, c), {"what": "Book the scan", "owner": "Sam", "due": date(2031, 3, 11)}))
    envs += verify_action(app, room.mid, room.actors, lambda m: mn.do_notes(m, mn.check_minutes(room.fac, a), "All in"))
    assert {e["stream"] for e in envs} == {"facilitators"}
    minutes = of(envs, "facilitators")[-1]["data"]["minutes"]
    assert minutes[0]["notes"] == "All in"
    assert [d["text"] for d in minutes[2]["decisions"]] == ["Refer to physio"]
    assert [(x["what"], x["owner"], x["due"]) for x in minutes[2]["actions"]] == [
        ("Book the scan", "Sam", "2031-03-11")]

    envs = verify_action(app, room.mid, room.actors, lambda m: mn.do_post_heard(room.fac, m, "You want more time."))
    pinned = of(envs, "meeting", "heard", "updated")[0]["data"]["summary"]
    assert pinned["text"] == "You want more time." and pinned["by"] == "Fran"
    envs = verify_action(app, room.mid, room.actors, lambda m: mn.do_post_heard(room.fac, m, "Second thoughts."))
    assert of(envs, "meeting", "heard", "updated")[0]["data"]["summary"]["text"] == "Second thoughts."
    envs = verify_action(app, room.mid, room.actors, lambda m: mn.do_clear_heard(m, mn.check_clear_heard(room.fac, m)))
    assert of(envs, "meeting", "heard", "updated")[0]["data"] == {"summary": None}
    kept = of(envs, "facilitators", "agenda", "private")[0]["data"]["summaries"]
    assert [(s["text"], s["cleared_at"] is not None) for s in kept] == [("You want more time.", True),
                                                                      ("Second thoughts.", True)]


def test_refused_changes_leave_every_row_as_it_was(app, room, factory, clock):
    three_items(app, room)
    a, b, c = ids(app, room.mid)
    other_uid = factory.user()
    other_mid, _ = factory.meeting(other_uid)
    with app.app_context():
        m2 = db.session.get(Meeting, other_mid)
        foreign = ag.do_add(m2, {"title": "Theirs", "kind": "discussion", "planned_seconds": 600}).id
        db.session.commit()
    before = dump_db(app)
    ann = participant(room.mid, room.ann)
    with app.app_context():
        m = db.session.get(Meeting, room.mid)
        with pytest.raises(NotFound):
            ag.check_reorder(room.fac, m, [c, b, a, foreign])
        with pytest.raises(NotFound):
            ag.check_reorder(room.fac, m, [c, b, foreign])
        with pytest.raises(Invalid) as exc:
            ag.check_reorder(room.fac, m, [c, b])
        assert exc.value.code == "incomplete"
        with pytest.raises(NotAllowed):
            mn.check_minutes(ann, a)
        with pytest.raises(NotAllowed):
            ag.check_add(ann, m, {"title": "Mine"})
        with pytest.raises(NotFound):
            mn.check_minutes(room.fac, foreign)
        db.session.rollback()
    assert dump_db(app) == before
