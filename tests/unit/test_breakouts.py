"""Breakout rounds, action by action, and the job that warns and ends them.

Every change goes through `verify_action`: the events each role receives (room events on
`b<id>`, placement on `p<id>`, the full round on `facilitators`) turn that role's old snapshot
into a fresh one, with one seq step per event per stream.
"""
from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

import pytest

from facilitator.actions import breakouts as bo
from facilitator.views import breakouts as bov
from facilitator.schemas.breakouts import MAX_ROOMS
from facilitator.actions import chat
from facilitator.errors import Conflict, Invalid, NotFound
from facilitator.extensions import db
from facilitator.jobs import run_due_jobs, start_jobs
from facilitator.models import BreakoutAssignment, BreakoutRound, Meeting, Participant
from facilitator.state import snapshot

from .support import dump_db, facilitator, of, participant, verify_action

TAGS = ("nursing", "medicine", "social work")
PEOPLE = [("Ann", "nursing"), ("Ben", "nursing"), ("Cat", "medicine"), ("Dan", "medicine"),
          ("Eve", "social work"), ("Fay", "social work")]


@dataclass
class World:
    app: object
    uid: int
    mid: int
    pids: dict[str, int]
    observer: int

    @property
    def fac(self):
        return facilitator(self.mid, self.uid)

    def p(self, name):
        return participant(self.mid, self.pids[name])

    @property
    def obs(self):
        return participant(self.mid, self.observer, role="observer")

    def actors(self):
        return [self.fac, self.obs] + [self.p(n) for n in self.pids]

    def run(self, action):
        return verify_action(self.app, self.mid, self.actors(), action)

    def do(self, fn):
        """Run `fn(meeting)` and commit, without verification (setting the scene)."""
        with self.app.app_context():
            db.session.remove()
            out = fn(db.session.get(Meeting, self.mid))
            db.session.commit()
            db.session.remove()
            return out

    # ---- the steps as the handlers take them: check, then do ----------------------------------
    def create(self, rooms=2, **kw):
        data = {"rooms": rooms, "duration_seconds": 600, "warn_seconds": 120, **kw}
        if "names" in kw:
            data.pop("rooms")
        out = {}

        def act(m):
            bo.check_create(self.fac, m, data)
            out["id"] = bo.do_create(m, data).id
        events = self.run(act)
        return out["id"], events

    def rooms(self, round_id):
        with self.app.app_context():
            return [r.id for r in bov.rooms_of(round_id)]

    def assign(self, round_id, name, room_id):
        pid = self.pids.get(name, name)

        def act(m):
            bo.do_assign(m, *bo.check_assign(self.fac, round_id, pid, room_id))
        return self.run(act)

    def open(self, round_id):
        return self.run(lambda m: bo.do_open(m, bo.check_open(self.fac, m, round_id)))

    def where(self, round_id) -> dict[str, int]:
        names = {v: k for k, v in self.pids.items()}
        names[self.observer] = "Olly"
        with self.app.app_context():
            return {names[a.participant_id]: a.room_id for a in bov.assignments(round_id)}

    def snap(self, actor):
        with self.app.app_context():
            return snapshot(db.session.get(Meeting, self.mid), actor)


@pytest.fixture
def w(app, factory) -> World:
    return make_world(app, factory)


def make_world(app, factory) -> World:
    """An open meeting with tags: six tagged participants inside (rules accepted) and an observer."""
    uid = factory.user()
    mid, _ = factory.meeting(uid, group_tags=list(TAGS))
    pids = {name: factory.join(mid, name=name, group_tag=tag)[1] for name, tag in PEOPLE}
    observer = factory.join(mid, name="Olly", role="observer")[1]
    return World(app, uid, mid, pids, observer)


def opened(w: World, rooms=2):
    """A running round: Ann, Cat, Eve in the first room; Ben, Dan, Fay in the second."""
    rid, _ = w.create(rooms)
    r1, r2 = w.rooms(rid)[:2]
    for name in ("Ann", "Cat", "Eve"):
        w.do(lambda m, n=name: bo.do_assign(m, *bo.check_assign(w.fac, rid, w.pids[n], r1)))
    for name in ("Ben", "Dan", "Fay"):
        w.do(lambda m, n=name: bo.do_assign(m, *bo.check_assign(w.fac, rid, w.pids[n], r2)))
    w.open(rid)
    return rid, r1, r2


# ---- the share-out, as a pure function ---------------------------------------------------------

def _people(spec):
    return [SimpleNamespace(id=i, group_tag=tag) for i, tag in enumerate(spec, start=1)]


@pytest.mark.parametrize("seed", range(20))
def test_balanced_mode_puts_one_of_each_tag_in_every_room(seed):
    people = _people(["nursing"] * 4 + ["medicine"] * 4 + ["social work"] * 4)
    rooms = bo.deal(people, 4, "balanced", random.Random(seed))
    for room in rooms:
        assert sorted(p.group_tag for p in room) == ["medicine", "nursing", "social work"]


@pytest.mark.parametrize("seed", range(20))
def test_balanced_mode_spreads_uneven_tags_and_keeps_sizes_even(seed):
    people = _people(["nursing"] * 5 + ["medicine"] * 3 + ["social work"] * 2 + [None] * 2)
    rooms = bo.deal(people, 3, "balanced", random.Random(seed))
    assert sorted(len(r) for r in rooms) == [4, 4, 4]
    for tag, total in (("nursing", 5), ("medicine", 3), ("social work", 2)):
        counts = [sum(p.group_tag == tag for p in r) for r in rooms]
        assert max(counts) - min(counts) <= 1 and sum(counts) == total, (tag, counts)


def test_random_mode_shares_everyone_out_evenly_and_really_shuffles():
    people = _people([None] * 10)
    outcomes = set()
    for seed in range(10):
        rooms = bo.deal(people, 3, "random", random.Random(seed))
        assert sorted(len(r) for r in rooms) == [3, 3, 4]
        assert sorted(p.id for r in rooms for p in r) == list(range(1, 11))
        outcomes.add(tuple(tuple(sorted(p.id for p in r)) for r in rooms))
    assert len(outcomes) > 1


def test_reuse_mode_keeps_groups_together_and_fills_in_newcomers():
    people = _people(["a", "a", "b", "b", "a", "b"])
    previous = {1: 0, 2: 0, 3: 1, 4: 1}  # people 5 and 6 are new
    rooms = bo.deal(people, 2, "reuse", random.Random(1), previous)
    ids = [sorted(p.id for p in r) for r in rooms]
    assert {1, 2} <= set(ids[0]) and {3, 4} <= set(ids[1])
    assert sorted(len(r) for r in rooms) == [3, 3]
    # with fewer rooms than before, old room k goes to room k mod n
    assert [sorted(p.id for p in r) for r in bo.deal(people[:4], 1, "reuse", random.Random(1), previous)] == \
        [[1, 2, 3, 4]]


# ---- preparing ---------------------------------------------------------------------------------

def test_create_is_a_draft_only_facilitators_see(w):
    rid, events = w.create(3)
    assert [(e["stream"], e["type"], e["op"]) for e in events] == [("facilitators", "breakouts", "round")]
    rnd = events[0]["data"]
    assert rnd["state"] == "draft" and [r["name"] for r in rnd["rooms"]] == ["Room 1", "Room 2", "Room 3"]
    assert w.snap(w.p("Ann"))["breakouts"] == {"round": None} and w.snap(w.p("Ann"))["breakout"] is None
    assert "private" not in w.snap(w.p("Ann"))


def test_create_with_names_and_only_one_round_at_a_time(w):
    rid, events = w.create(names=["Garden", "Library"])
    assert [r["name"] for r in events[0]["data"]["rooms"]] == ["Garden", "Library"]
    before = dump_db(w.app)
    with w.app.app_context(), pytest.raises(Conflict) as exc:
        bo.check_create(w.fac, db.session.get(Meeting, w.mid), {"rooms": 2})
    assert exc.value.code == "round_exists"
    with w.app.app_context(), pytest.raises(Invalid):
        bo.check_create(w.fac, db.session.get(Meeting, w.mid), {"rooms": MAX_ROOMS + 1})
    assert dump_db(w.app) == before


def test_settings_choosing_rename_and_discard(w):
    rid, _ = w.create(2)
    room = w.rooms(rid)[0]
    events = w.run(lambda m: bo.do_settings(m, bo.check_settings(w.fac, rid, {"duration_seconds": 900}),
                                            {"duration_seconds": 900}))
    assert events[0]["data"]["duration_seconds"] == 900
    with w.app.app_context(), pytest.raises(Invalid):
        bo.check_settings(w.fac, rid, {"warn_seconds": 900})  # the warning after the end
    events = w.run(lambda m: bo.do_choosing(m, bo.check_choosing(w.fac, rid), True))
    assert events[0]["data"]["choosing"] is True and of(events, "meeting") == [], "a draft is not public"
    events = w.run(lambda m: bo.do_rename(m, bo.check_rename(w.fac, room), "Garden"))
    assert events[0]["data"]["rooms"][0]["name"] == "Garden"
    events = w.run(lambda m: bo.do_discard(m, bo.check_discard(w.fac, rid)))
    assert [(e["type"], e["op"], e["data"]) for e in events] == [("breakouts", "discarded", {"id": rid})]
    with w.app.app_context():
        assert db.session.get(BreakoutRound, rid) is None and bov.rooms_of(rid) == []


@pytest.mark.parametrize("mode", ["random", "balanced"])
def test_auto_assigns_everyone_inside_but_observers_and_is_only_a_preview(w, mode):
    rid, _ = w.create(3)
    events = w.run(lambda m: bo.do_auto(m, bo.check_auto(w.fac, rid, mode), mode, rng=random.Random(3)))
    assert [(e["stream"], e["op"]) for e in events] == [("facilitators", "round")], "nobody is sent anywhere yet"
    where = w.where(rid)
    assert set(where) == set(w.pids) and sorted(Counter(where.values()).values()) == [2, 2, 2]
    if mode == "balanced":  # 6 people, 3 tags x 2, 3 rooms: every room holds two different tags
        tags = dict(PEOPLE)
        for room in w.rooms(rid):
            assert len({tags[n] for n, r in where.items() if r == room}) == 2
    w.run(lambda m: bo.do_auto(m, bo.check_auto(w.fac, rid, mode), mode, observers=True, rng=random.Random(4)))
    assert "Olly" in w.where(rid)


def test_reuse_needs_a_previous_round_and_keeps_its_groups(w):
    rid, _ = w.create(2)
    with w.app.app_context(), pytest.raises(Conflict) as exc:
        bo.check_auto(w.fac, rid, "reuse")
    assert exc.value.code == "no_previous_round"
    w.do(lambda m: bo.do_discard(m, bo.check_discard(w.fac, rid)))
    rid, r1, r2 = opened(w)
    w.run(lambda m: bo.do_close(m, bo.check_close(w.fac, rid)))
    rid2, _ = w.create(2)
    n1, n2 = w.rooms(rid2)
    w.run(lambda m: bo.do_auto(m, bo.check_auto(w.fac, rid2, "reuse"), "reuse", rng=random.Random(0)))
    assert w.where(rid2) == {"Ann": n1, "Cat": n1, "Eve": n1, "Ben": n2, "Dan": n2, "Fay": n2}


def test_manual_assignment_in_a_draft_is_seen_by_facilitators_only(w):
    rid, _ = w.create(2)
    r1, _r2 = w.rooms(rid)
    events = w.assign(rid, "Ann", r1)
    assert [(e["stream"], e["op"]) for e in events] == [("facilitators", "round")]
    assert events[0]["data"]["rooms"][0]["members"] == [
        {"id": w.pids["Ann"], "name": "Ann", "role": "participant", "group_tag": "nursing"}]
    w.assign(rid, "Ann", None)
    assert w.where(rid) == {}


def test_assign_refuses_rooms_of_other_meetings_and_unknown_people(w, factory):
    rid, _ = w.create(2)
    other_mid, _ = factory.meeting(w.uid, title="Other")
    with w.app.app_context():
        m2 = db.session.get(Meeting, other_mid)
        other_rid = bo.do_create(m2, {"rooms": 1, "duration_seconds": 60, "warn_seconds": 0}).id
        db.session.commit()
        foreign_room = bov.rooms_of(other_rid)[0].id
    before = dump_db(w.app)
    with w.app.app_context():
        with pytest.raises(NotFound):
            bo.check_assign(w.fac, rid, w.pids["Ann"], foreign_room)
        with pytest.raises(NotFound):
            bo.check_assign(w.fac, other_rid, w.pids["Ann"], foreign_room)  # a round of another meeting
        with pytest.raises(NotFound):
            bo.check_assign(w.fac, rid, 99999, w.rooms(rid)[0])
        with pytest.raises(Conflict):
            bo.check_assign(w.fac, rid, w.pids["Ann"], None)  # not in a room: nothing to undo
    assert dump_db(w.app) == before


# ---- opening and running -----------------------------------------------------------------------

def test_open_sends_each_person_to_their_room_with_its_stream(w):
    rid, _ = w.create(2)
    r1, r2 = w.rooms(rid)
    w.assign(rid, "Ann", r1)
    w.assign(rid, "Ben", r2)
    events = w.open(rid)
    assigned = of(events, type_="breakout", op="assigned")
    assert {e["stream"]: e["data"]["breakout"]["room"]["id"] for e in assigned} == {
        f"p{w.pids['Ann']}": r1, f"p{w.pids['Ben']}": r2}
    ann = next(e for e in assigned if e["stream"] == f"p{w.pids['Ann']}")["data"]
    assert ann["stream"] == f"b{r1}" and ann["reason"] == "opened"
    assert [m["name"] for m in ann["breakout"]["members"]] == ["Ann"] and ann["breakout"]["chat"] == []
    public = of(events, "meeting")[0]["data"]["round"]
    assert [(r["name"], r["count"]) for r in public["rooms"]] == [("Room 1", 1), ("Room 2", 1)]
    snap = w.snap(w.p("Ann"))
    assert snap["breakout"]["room"] == {"id": r1, "name": "Room 1"} and f"b{r1}" in snap["seq"]
    assert w.snap(w.p("Cat"))["breakout"] is None, "not assigned: stays in the main room"
    ends = snap["breakout"]["round"]["ends_at"]
    assert ends == public["ends_at"]


def test_open_needs_someone_or_choosing_and_a_live_meeting(w):
    rid, _ = w.create(2)
    before = dump_db(w.app)
    with w.app.app_context(), pytest.raises(Conflict) as exc:
        bo.check_open(w.fac, db.session.get(Meeting, w.mid), rid)
    assert exc.value.code == "nobody_assigned" and dump_db(w.app) == before
    w.run(lambda m: bo.do_choosing(m, bo.check_choosing(w.fac, rid), True))
    events = w.open(rid)
    assert of(events, type_="breakout") == [] and of(events, "meeting")[0]["data"]["round"]["choosing"] is True


def test_moving_someone_tells_both_rooms_and_them(w):
    rid, r1, r2 = opened(w)
    events = w.assign(rid, "Ann", r2)
    assert [(e["stream"], e["type"], e["op"]) for e in events] == [
        ("meeting", "breakouts", "updated"), ("facilitators", "breakouts", "round"),
        (f"b{r1}", "room", "updated"), (f"b{r2}", "room", "updated"),
        (f"p{w.pids['Ann']}", "breakout", "assigned")]
    assert events[-1]["data"]["reason"] == "moved" and events[-1]["data"]["seq"] == events[3]["seq"]
    assert [m["name"] for m in events[2]["data"]["members"]] == ["Cat", "Eve"]
    snap = w.snap(w.p("Ann"))
    assert f"b{r1}" not in snap["seq"] and f"b{r2}" in snap["seq"]


def test_taking_someone_out_returns_them(w):
    rid, r1, _ = opened(w)
    events = w.assign(rid, "Ann", None)
    back = of(events, f"p{w.pids['Ann']}")
    assert [(e["op"], e["data"]["reason"]) for e in back] == [("returned", "unassigned")]
    assert w.snap(w.p("Ann"))["breakout"] is None


def test_late_joiner_placed_by_hand_and_by_fill(w, factory):
    rid, r1, r2 = opened(w)
    _, gus = factory.join(w.mid, name="Gus", group_tag="nursing")
    _, hal = factory.join(w.mid, name="Hal", group_tag="medicine")
    w.pids.update(Gus=gus, Hal=hal)
    events = w.assign(rid, "Gus", r1)
    assert of(events, f"p{gus}")[0]["data"]["reason"] == "placed"
    with w.app.app_context():
        assert db.session.get(BreakoutAssignment, (rid, gus)).source == "late"
    events = w.run(lambda m: bo.do_fill(m, bo.check_fill(w.fac, rid), rng=random.Random(0)))
    assert of(events, f"p{hal}")[0]["data"]["breakout"]["room"]["id"] == r2, "the emptier room"


def test_choosing_while_open_moves_the_chooser(w):
    rid, r1, r2 = opened(w)
    with w.app.app_context(), pytest.raises(Conflict) as exc:
        bo.check_choose(w.p("Ann"), db.session.get(Meeting, w.mid), r2)
    assert exc.value.code == "not_choosing"
    w.run(lambda m: bo.do_choosing(m, bo.check_choosing(w.fac, rid), True))

    def choose(m):
        bo.do_assign(m, *bo.check_choose(w.p("Ann"), m, r2), source="choice")
    events = w.run(choose)
    assert of(events, f"p{w.pids['Ann']}")[0]["data"]["reason"] == "chose"
    assert w.where(rid)["Ann"] == r2


def test_visit_and_placing_a_cofacilitator_show_in_the_room(w, factory):
    from facilitator.models import CoFacilitator

    rid, r1, r2 = opened(w)
    co = factory.user(email="co@example.org", name="Cody")
    w.do(lambda m: db.session.add(CoFacilitator(meeting_id=w.mid, user_id=co)))
    events = w.run(lambda m: bo.do_visit(m, *bo.check_visit(w.fac, rid, r1, None)))
    assert of(events, f"b{r1}")[0]["data"]["staff"] == [{"user_id": w.uid, "name": "Fran", "role": "facilitator"}]
    events = w.run(lambda m: bo.do_visit(m, *bo.check_visit(w.fac, rid, r2, co)))
    assert of(events, f"b{r2}")[0]["data"]["staff"][0]["role"] == "cofacilitator"
    events = w.run(lambda m: bo.do_visit(m, *bo.check_visit(w.fac, rid, None, None)))
    assert of(events, f"b{r1}")[0]["data"]["staff"] == []
    stranger = factory.user(email="x@example.org")
    with w.app.app_context(), pytest.raises(NotFound):
        bo.check_visit(w.fac, rid, r1, stranger)


def test_help_reaches_the_facilitators_and_the_room(w):
    rid, r1, _ = opened(w)

    def ask(m):
        assert bo.do_help(m, *bo.check_help(w.p("Ann"), m), True)
    events = w.run(ask)
    assert of(events, "facilitators")[0]["data"]["rooms"][0]["help_at"] is not None
    assert of(events, f"b{r1}")[0]["data"]["help_at"] is not None
    assert of(events, "meeting") == [], "other rooms and the main room do not hear of it"
    w.run(lambda m: bo.do_help(m, *bo.check_help_clear(w.fac, r1), False))
    with w.app.app_context(), pytest.raises(Conflict) as exc:
        bo.check_help(w.obs, db.session.get(Meeting, w.mid))  # not in any room
    assert exc.value.code == "not_in_room"


def test_broadcast_lands_in_every_room_chat(w):
    rid, r1, r2 = opened(w)
    events = w.run(lambda m: bo.do_broadcast(w.fac, m, bo.check_broadcast(w.fac, rid), "Five minutes left"))
    for room in (r1, r2):
        (msg,) = of(events, f"b{room}")
        assert msg["data"]["kind"] == "broadcast" and msg["data"]["text"] == "Five minutes left"
    assert len(of(events, "facilitators")) == 2 and of(events, "meeting") == []


def test_extend_and_shorten_move_the_deadline_for_everyone(w):
    rid, r1, r2 = opened(w)
    with w.app.app_context():
        ends = db.session.get(BreakoutRound, rid).ends_at
    events = w.run(lambda m: bo.do_extend(m, bo.check_extend(w.fac, rid, 300), 300))
    assert {e["stream"] for e in events} == {"meeting", "facilitators", f"b{r1}", f"b{r2}"}
    with w.app.app_context():
        assert db.session.get(BreakoutRound, rid).ends_at == ends + timedelta(seconds=300)
    w.run(lambda m: bo.do_extend(m, bo.check_extend(w.fac, rid, -600), -600))
    before = dump_db(w.app)
    with w.app.app_context():
        for seconds, code in ((-3600, "too_short"), (-300, "too_short")):
            with pytest.raises(Conflict) as exc:
                bo.check_extend(w.fac, rid, seconds)
            assert exc.value.code == code
    assert dump_db(w.app) == before


# ---- ending ------------------------------------------------------------------------------------

def test_close_returns_everyone_once_and_keeps_room_chat_for_facilitators(w):
    rid, r1, r2 = opened(w)

    def say(m):
        chat.do_send(m, chat.check_send(w.p("Ann"), m, {"channel": "room", "text": "hello room"}), "hello room")
    w.run(say)
    events = w.run(lambda m: bo.do_close(m, bo.check_close(w.fac, rid)))
    returned = of(events, type_="breakout", op="returned")
    assert sorted(e["stream"] for e in returned) == sorted(f"p{pid}" for pid in w.pids.values())
    assert {e["data"]["reason"] for e in returned} == {"closed"}
    assert of(events, "meeting")[0]["data"] == {"round": None}
    assert w.snap(w.p("Ann"))["breakout"] is None
    fac = w.snap(w.fac)
    assert [m["text"] for m in fac["private"]["chat"]["rooms"]] == ["hello room"]
    assert fac["private"]["breakouts"][-1]["state"] == "closed"
    with w.app.app_context():
        assert bo.do_close(db.session.get(Meeting, w.mid), db.session.get(BreakoutRound, rid)) is False


def test_the_job_steps_warn_once_then_end_once(w):
    rid, r1, r2 = opened(w)
    with w.app.app_context():
        ends = db.session.get(BreakoutRound, rid).ends_at
    results = []

    def step(fn, now):
        return w.run(lambda m: results.append(fn(rid, now)))

    assert step(bo.warn_if_due, ends - timedelta(seconds=200)) == [] and results.pop() is False, "too early"
    assert step(bo.end_if_due, ends - timedelta(seconds=1)) == [] and results.pop() is False, "not yet"
    events = step(bo.warn_if_due, ends - timedelta(seconds=60))
    assert results.pop() is True
    assert sorted(e["stream"] for e in of(events, type_="room", op="warning")) == sorted([f"b{r1}", f"b{r2}"])
    assert of(events, "meeting")[0]["data"]["round"]["warned_at"] is not None
    assert step(bo.warn_if_due, ends - timedelta(seconds=30)) == [] and results.pop() is False, "warned once"
    events = step(bo.end_if_due, ends)
    assert results.pop() is True
    assert len(of(events, type_="breakout", op="returned")) == 6
    assert {e["data"]["reason"] for e in of(events, type_="breakout")} == {"ended"}
    assert step(bo.end_if_due, ends + timedelta(seconds=5)) == [] and results.pop() is False, "ended once"


def test_run_due_jobs_reports_what_it_won(w):
    rid, _r1, _r2 = opened(w)
    with w.app.app_context():
        ends = db.session.get(BreakoutRound, rid).ends_at
        assert run_due_jobs(ends - timedelta(seconds=200)) == {"warned": [], "ended": []}
        assert run_due_jobs(ends - timedelta(seconds=60)) == {"warned": [rid], "ended": []}
        assert run_due_jobs(ends - timedelta(seconds=59)) == {"warned": [], "ended": []}
        assert run_due_jobs(ends) == {"warned": [], "ended": [rid]}
        assert run_due_jobs(ends) == {"warned": [], "ended": []}
        rnd = db.session.get(BreakoutRound, rid)
        assert (rnd.state, rnd.close_reason) == ("closed", "ended")


def test_extending_after_the_warning_arms_it_again(w):
    rid, _r1, _r2 = opened(w)
    with w.app.app_context():
        ends = db.session.get(BreakoutRound, rid).ends_at
    w.do(lambda m: run_due_jobs(ends - timedelta(seconds=60)))
    with w.app.app_context():
        assert db.session.get(BreakoutRound, rid).warned_at is not None
    w.run(lambda m: bo.do_extend(m, bo.check_extend(w.fac, rid, 600), 600))
    with w.app.app_context():
        rnd = db.session.get(BreakoutRound, rid)
        assert rnd.warned_at is None and rnd.warn_at == rnd.ends_at - timedelta(seconds=120)


def test_release_takes_someone_out_of_their_room(w):
    """What removal should call (next to release_floor) so the room's member list stays true."""
    rid, r1, _ = opened(w)
    events = w.run(lambda m: bo.release_breakout(m, db.session.get(Participant, w.pids["Ann"])))
    assert of(events, f"p{w.pids['Ann']}")[0]["op"] == "returned"
    assert "Ann" not in w.where(rid)
    assert [x["name"] for x in w.snap(w.p("Cat"))["breakout"]["members"]] == ["Cat", "Eve"]


def test_start_jobs_does_nothing_under_testing(app):
    assert start_jobs(app) is None
