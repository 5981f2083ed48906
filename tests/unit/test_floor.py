"""The floor, action by action: the raise-hand queue, speaking turns, go-rounds, the balance totals.

Every change goes through `verify_action`: the events each role receives turn that role's old
snapshot into a fresh one, and every stream's seq grows by one per event. A fake clock stands in
for `utcnow` inside the floor actions, so raise times and talk times are exact.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from facilitator.actions import floor as fl
from facilitator.views import floor as flv
from facilitator.actions.participants import check_remove, do_leave, do_remove
from facilitator.errors import Conflict, NotAllowed, NotFound
from facilitator.extensions import db
from facilitator.models import GoRound, Hand, Meeting, Participant, Turn

from .support import connect, drop, dump_db, facilitator, of, participant, verify_action


class Clock:
    """`utcnow` for the floor actions: stands still until told to move."""

    def __init__(self):
        self.now = datetime(2031, 3, 4, 9, 0, tzinfo=timezone.utc)

    def __call__(self):
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(fl, "utcnow", c)
    return c


NAMES = ("Ann", "Bo", "Cat", "Dee", "Eli")


@dataclass
class Room:
    """An open meeting: its facilitator, five participants (entered) and one observer."""

    app: object
    uid: int
    mid: int
    pids: dict[str, int]
    observer: int
    clock: Clock
    names: dict[int, str] = field(default_factory=dict)

    @property
    def fac(self):
        return facilitator(self.mid, self.uid)

    def p(self, name: str):
        return participant(self.mid, self.pids[name])

    @property
    def obs(self):
        return participant(self.mid, self.observer, role="observer")

    def actors(self, *, without=()):
        return [self.fac, self.obs] + [self.p(n) for n in self.pids if n not in without]

    def run(self, action, *, without=()):
        """Run `action(meeting)` through verify_action for every role in the room."""
        return verify_action(self.app, self.mid, self.actors(without=without), action)

    # --- actions as the socket handlers call them: check, then do -----------------------------
    def raise_(self, name, kind="new"):
        def act(m):
            fl.do_raise(m, fl.check_raise(self.p(name), m, kind), kind)
        return self.run(act)

    def lower_own(self, name):
        return self.run(lambda m: fl.do_lower(m, fl.check_lower_own(self.p(name), m)))

    def lower(self, name):
        return self.run(lambda m: fl.do_lower(m, fl.check_lower(self.fac, self.pids[name])))

    def clear(self):
        def act(m):
            fl.check_clear(self.fac)
            fl.do_clear(m)
        return self.run(act)

    def move(self, name, position):
        out = {}

        def act(m):
            out["at"] = fl.do_move(m, fl.check_move(self.fac, self.pids[name]), position)
        envs = self.run(act)
        return out["at"], envs

    def mode(self, mode):
        def act(m):
            fl.check_mode(self.fac)
            fl.do_mode(m, mode)
        return self.run(act)

    def call(self, name=None):
        out = {}

        def act(m):
            called = fl.check_call(self.fac, m, self.pids[name] if name else None)
            out["pid"], out["skipped"] = called.participant.id, [self.names[s.id] for s in called.skipped]
            fl.do_call(m, called.participant)
        envs = self.run(act)
        self.skipped = out["skipped"]  # passed over for not being connected
        return self.names[out["pid"]], envs

    def end(self):
        return self.run(lambda m: fl.do_end_turn(m, fl.check_end_turn(self.fac, m)))

    def _round_move(self, move, *, without=()):
        """Run a move of the round; `self.away` is then (moved to the end, passed over for good) by name."""
        out = {}

        def act(m):
            away = move(m)
            out["away"] = ([self.names[p.id] for p in away.deferred], [self.names[p.id] for p in away.skipped])
        envs = self.run(act, without=without)
        self.away = out["away"]
        return envs

    def round_start(self, names, seconds=60, shuffle=False):
        ids = [self.pids[n] for n in names]
        return self._round_move(lambda m: fl.do_goround_start(
            m, fl.check_goround_start(self.fac, m, ids), seconds, shuffle)[1])

    def round_next(self, index):
        return self._round_move(lambda m: fl.do_goround_next(m, fl.check_goround_next(self.fac, m, index)))

    def round_pass(self, name):
        return self._round_move(lambda m: fl.do_goround_pass(m, fl.check_goround_pass(self.p(name), m)))

    def round_stop(self):
        return self.run(lambda m: fl.do_goround_stop(m, fl.check_goround_stop(self.fac, m)))

    # --- reading ---------------------------------------------------------------------------------
    def read(self, fn):
        with self.app.app_context():
            db.session.remove()
            try:
                return fn(db.session.get(Meeting, self.mid))
            finally:
                db.session.remove()

    def queue(self) -> list[tuple[str, str]]:
        """The facilitators' queue, in order, as (name, kind)."""
        return self.read(lambda m: [(h["name"], h["kind"]) for h in flv.queue_view(m)["hands"]])

    def positions(self) -> dict[str, int]:
        """Each participant's own view of their place (only those with a hand raised)."""
        def get(m):
            views = {n: flv.my_hand_view(m.id, pid) for n, pid in self.pids.items()}
            return {n: v["position"] for n, v in views.items() if v["raised"]}
        return self.read(get)

    def totals(self) -> dict[str, dict]:
        return self.read(lambda m: {self.names[pid]: row for pid, row in flv.talk_totals(m.id).items()})

    def floor(self) -> dict:
        return self.read(flv.floor_view)

    def round_order(self) -> list[str]:
        """The latest go-round's stored order, by name."""
        return self.read(lambda m: [self.names[pid] for pid in flv.latest_round(m.id).order])

    def round_away(self) -> dict | None:
        """The facilitators' view of who the latest round moved to the end or passed over, by name."""
        def get(m):
            view = flv.queue_view(m)["goround"]
            if view is None:
                return None
            return {"running": view["running"], "deferred": [p["name"] for p in view["deferred"]],
                    "skipped": [p["name"] for p in view["skipped"]]}
        return self.read(get)

    def turns(self) -> list[Turn]:
        def get(m):
            rows = list(db.session.execute(db.select(Turn).where(Turn.meeting_id == m.id).order_by(Turn.id))
                        .scalars())
            for t in rows:
                db.session.expunge(t)
            return rows
        return self.read(get)

    def refused(self, fn, code):
        """`fn(meeting)` is refused with `code`, and the database is exactly as it was."""
        before = dump_db(self.app)
        with self.app.app_context():
            db.session.remove()
            with pytest.raises((Conflict, NotAllowed, NotFound)) as err:
                fn(db.session.get(Meeting, self.mid))
            db.session.rollback()
            db.session.remove()
        assert err.value.code == code, err.value.payload()
        assert err.value.message
        assert dump_db(self.app) == before
        return err.value


@pytest.fixture
def room(app, factory, clock) -> Room:
    uid = factory.user()
    mid, _ = factory.meeting(uid)
    pids = {n: factory.join(mid, name=n)[1] for n in NAMES}
    _, obs = factory.join(mid, name="Oz", role="observer")
    connect(app, *pids.values(), obs)
    r = Room(app, uid, mid, pids, obs, clock)
    r.names = {pid: n for n, pid in pids.items()}
    return r


def _hand_events(envs, room, name):
    return of(envs, f"p{room.pids[name]}", "hand", "updated")


# --- raising -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["new", "reply", "process"])
def test_raise_each_kind(room, kind):
    if kind == "reply":
        room.call("Eli")  # a direct reply needs someone to reply to
    envs = room.raise_("Ann", kind)

    assert room.queue() == [("Ann", kind)]
    assert room.positions() == {"Ann": 1}
    [mine] = _hand_events(envs, room, "Ann")
    assert mine["data"]["raised"] is True and mine["data"]["kind"] == kind and mine["data"]["position"] == 1
    [floor] = of(envs, "meeting", "floor", "updated")
    assert floor["data"]["queue_length"] == 1
    [queue] = of(envs, "facilitators", "queue", "updated")
    assert [h["name"] for h in queue["data"]["hands"]] == ["Ann"]
    # nobody else's own stream hears of it, and raising is not a turn (no balance event)
    assert {e["stream"] for e in envs} == {"meeting", "facilitators", f"p{room.pids['Ann']}"}
    assert of(envs, type_="balance") == []


def test_order_is_process_then_reply_then_new_each_by_time(room, clock):
    room.call("Eli")
    raises = [("Ann", "new"), ("Bo", "reply"), ("Cat", "new"), ("Dee", "process")]
    for name, kind in raises:
        clock.tick(5)
        envs = room.raise_(name, kind)
    # Dee's process point went to the front: the three already waiting each moved back one
    moved = {room.names[int(e["stream"][1:])]: e["data"]["position"] for e in of(envs, type_="hand")}
    assert moved == {"Dee": 1, "Bo": 2, "Ann": 3, "Cat": 4}
    assert room.queue() == [("Dee", "process"), ("Bo", "reply"), ("Ann", "new"), ("Cat", "new")]

    clock.tick(5)
    room.lower_own("Bo")
    clock.tick(5)
    envs = room.raise_("Bo", "process")
    # a second process point waits behind the first (time), but ahead of the new points
    assert room.queue() == [("Dee", "process"), ("Bo", "process"), ("Ann", "new"), ("Cat", "new")]
    assert room.positions() == {"Dee": 1, "Bo": 2, "Ann": 3, "Cat": 4}
    moved = {room.names[int(e["stream"][1:])]: e["data"]["position"] for e in of(envs, type_="hand")}
    assert moved == {"Bo": 2, "Ann": 3, "Cat": 4}, "Dee, still first, hears nothing"


def test_same_instant_is_first_come_first_served(room):
    """The clock stands still here: ties in time are broken by who was recorded first."""
    for name in ("Cat", "Ann", "Bo"):
        room.raise_(name)
    assert [n for n, _ in room.queue()] == ["Cat", "Ann", "Bo"]


def test_quiet_mode_orders_new_points_by_talk_so_far(room, clock):
    # talk so far: Ann 30 s, Bo 10 s, Cat 0 (never spoke), Dee 10 s (spoke later than Bo)
    for name, seconds in (("Ann", 30), ("Bo", 10), ("Dee", 10)):
        room.call(name)
        clock.tick(seconds)
        room.end()
    envs = room.mode("quiet")
    [floor] = of(envs, "meeting", "floor", "updated")
    assert floor["data"]["mode"] == "quiet", "everyone is shown that quieter voices go first"

    for name in ("Ann", "Dee", "Bo", "Cat"):
        clock.tick(1)
        room.raise_(name, "new")
    # least talk first; equal talk (Dee, Bo: 10 s each) by time raised
    assert [n for n, _ in room.queue()] == ["Cat", "Dee", "Bo", "Ann"]
    assert room.positions() == {"Cat": 1, "Dee": 2, "Bo": 3, "Ann": 4}

    clock.tick(1)
    room.raise_("Eli", "process")
    assert room.queue()[0] == ("Eli", "process"), "the kinds still come first in quiet mode"

    # back to first come, first served: the queue is re-sorted by the rules, and everyone told
    envs = room.mode("time")
    assert [n for n, _ in room.queue()] == ["Eli", "Ann", "Dee", "Bo", "Cat"]
    moved = {room.names[int(e["stream"][1:])] for e in of(envs, type_="hand")}
    assert moved == {"Ann", "Cat"}, "Eli, Dee and Bo kept their places and heard nothing"


def test_quiet_mode_counts_closed_turns_only(room, clock):
    room.mode("quiet")
    room.call("Ann")
    clock.tick(100)          # Ann is still speaking: the open turn is not counted yet
    room.raise_("Bo", "new")
    clock.tick(1)
    room.call("Cat")         # Ann's turn closes at 101 s; Cat speaks
    clock.tick(1)
    room.raise_("Ann", "new")
    clock.tick(1)
    room.raise_("Dee", "new")
    assert [n for n, _ in room.queue()] == ["Bo", "Dee", "Ann"]


def test_a_facilitators_move_is_respected_by_later_raises(room, clock):
    """The rule: a hand raised later goes just before the first hand, from the front, that the
    rules would put after it. Hands already waiting never change places among themselves, so a
    facilitator's move stands: it is undone only by another move or a change of mode."""
    room.call("Eli")
    for name, kind in (("Ann", "process"), ("Bo", "new"), ("Cat", "new")):
        clock.tick(1)
        room.raise_(name, kind)
    at, envs = room.move("Cat", 1)
    assert at == 1
    assert room.queue() == [("Cat", "new"), ("Ann", "process"), ("Bo", "new")]
    assert {room.names[int(e["stream"][1:])]: e["data"]["position"] for e in of(envs, type_="hand")} == \
        {"Cat": 1, "Ann": 2, "Bo": 3}
    [q] = of(envs, "facilitators", "queue", "updated")
    assert [h["name"] for h in q["data"]["hands"]] == ["Cat", "Ann", "Bo"]

    clock.tick(1)
    room.raise_("Dee", "new")     # nobody waiting ranks after a newer new point: the end
    assert [n for n, _ in room.queue()] == ["Cat", "Ann", "Bo", "Dee"]

    room.lower_own("Dee")
    clock.tick(1)
    room.raise_("Dee", "reply")   # Cat (new) is the first the rules put after a reply: before her
    assert [n for n, _ in room.queue()] == ["Dee", "Cat", "Ann", "Bo"]
    assert room.positions() == {"Dee": 1, "Cat": 2, "Ann": 3, "Bo": 4}

    # a mode change re-applies the rules to everyone, the move included
    room.mode("time")
    assert [n for n, _ in room.queue()] == ["Ann", "Dee", "Bo", "Cat"]


def test_move_clamps_to_the_queue(room):
    for name in ("Ann", "Bo", "Cat"):
        room.raise_(name)
    at, _ = room.move("Ann", 99)
    assert at == 3 and [n for n, _ in room.queue()] == ["Bo", "Cat", "Ann"]
    at, envs = room.move("Ann", 3)
    assert at == 3 and envs == [], "a move to where one already is changes nothing and says nothing"


# --- lowering ----------------------------------------------------------------------------------------


def test_lower_own_hand_moves_the_others_up(room):
    for name in ("Ann", "Bo", "Cat"):
        room.raise_(name)
    envs = room.lower_own("Ann")
    assert room.queue() == [("Bo", "new"), ("Cat", "new")]
    hand = {room.names[int(e["stream"][1:])]: e["data"] for e in of(envs, type_="hand")}
    assert hand["Ann"] == {"raised": False, "kind": None, "position": None, "raised_at": None}
    assert hand["Bo"]["position"] == 1 and hand["Cat"]["position"] == 2
    assert room.read(lambda m: db.session.execute(db.select(db.func.count(Hand.id))).scalar()) == 2


def test_facilitator_lowers_one_and_clears_all(room):
    for name in ("Ann", "Bo", "Cat"):
        room.raise_(name)
    room.lower("Bo")
    assert [n for n, _ in room.queue()] == ["Ann", "Cat"]
    envs = room.clear()
    assert room.queue() == [] and room.positions() == {}
    assert {e["stream"] for e in of(envs, type_="hand")} == {f"p{room.pids['Ann']}", f"p{room.pids['Cat']}"}
    assert of(envs, "meeting", "floor", "updated")[0]["data"]["queue_length"] == 0
    assert room.clear() == [], "clearing an empty queue publishes nothing"


# --- the floor ---------------------------------------------------------------------------------------


def test_call_next_lowers_the_hand_and_starts_a_turn(room, clock):
    room.call("Eli")
    room.raise_("Ann", "new")
    room.raise_("Bo", "reply")
    clock.tick(20)
    who, envs = room.call()
    assert who == "Bo", "the reply was first"
    assert room.queue() == [("Ann", "new")] and room.positions() == {"Ann": 1}
    speaker = room.floor()["speaker"]
    assert (speaker["name"], speaker["source"], speaker["hand_kind"]) == ("Bo", "queue", "reply")
    eli, bo = room.turns()
    assert eli.ended_at - eli.started_at == timedelta(seconds=20), "calling the next closed Eli's turn"
    assert bo.ended_at is None and bo.source == "queue" and bo.hand_kind == "reply"
    [bal] = of(envs, "facilitators", "balance", "updated")
    assert {r["participant_id"]: r["talk_seconds"] for r in bal["data"]["people"]} == \
        {room.pids["Eli"]: 20.0, room.pids["Bo"]: 0.0}
    assert of(envs, f"p{room.pids['Bo']}", "hand", "updated")[0]["data"]["raised"] is False


def test_calling_someone_not_in_the_queue_records_a_direct_turn(room):
    room.raise_("Ann")
    who, envs = room.call("Cat")
    assert who == "Cat"
    [t] = room.turns()
    assert (t.participant_id, t.source, t.hand_kind, t.ended_at) == (room.pids["Cat"], "direct", None, None)
    assert room.queue() == [("Ann", "new")], "the queue is untouched"
    assert of(envs, type_="queue") == [] and of(envs, type_="hand") == []


def test_calling_from_the_middle_of_the_queue(room):
    for name in ("Ann", "Bo", "Cat"):
        room.raise_(name)
    room.call("Bo")
    assert room.positions() == {"Ann": 1, "Cat": 2}
    assert room.turns()[0].source == "queue"


def test_end_turn_closes_it(room, clock):
    room.call("Ann")
    clock.tick(42.5)
    envs = room.end()
    [t] = room.turns()
    assert t.ended_at - t.started_at == timedelta(seconds=42.5)
    assert room.floor()["speaker"] is None
    assert of(envs, "meeting", "floor", "updated")[0]["data"]["speaker"] is None
    assert of(envs, "facilitators", "balance", "updated")[0]["data"]["people"] == [
        {"participant_id": room.pids["Ann"], "talk_seconds": 42.5, "turns": 1, "passes": 0}]


def test_talk_totals_are_the_sum_of_closed_turns(room, clock):
    for name, seconds in (("Ann", 10), ("Bo", 5), ("Ann", 7), ("Cat", 0)):
        room.call(name)
        clock.tick(seconds)
    room.call("Ann")            # open: counted as a turn taken, but its time runs on the clock
    clock.tick(1000)
    totals = room.totals()
    assert {n: (r["talk_seconds"], r["turns"], r["passes"]) for n, r in totals.items()} == \
        {"Ann": (17.0, 3, 0), "Bo": (5.0, 1, 0), "Cat": (0.0, 1, 0)}
    closed = sum((t.ended_at - t.started_at).total_seconds() for t in room.turns() if t.ended_at)
    assert sum(r["talk_seconds"] for r in totals.values()) == closed == 22.0
    balance = room.read(lambda m: flv.balance_view(m.id))
    assert [r["participant_id"] for r in balance["people"]] == sorted(room.pids[n] for n in ("Ann", "Bo", "Cat"))
    assert "Gini" in balance["index_name"]


def test_one_open_turn_per_meeting_is_enforced_by_the_database(room):
    room.call("Ann")
    with room.app.app_context():
        db.session.add(Turn(meeting_id=room.mid, participant_id=room.pids["Bo"], source="direct"))
        with pytest.raises(Exception) as err:
            db.session.flush()
        db.session.rollback()
    assert "unique" in str(err.value).lower()


# --- go-rounds ----------------------------------------------------------------------------------------


def test_goround_start_next_pass_stop(room, clock):
    room.call("Eli")
    clock.tick(3)
    envs = room.round_start(["Cat", "Ann", "Bo", "Dee"], seconds=90)
    eli = room.turns()[0]
    assert eli.ended_at is not None, "starting a round closes the open turn"
    f = room.floor()
    assert [m["name"] for m in f["goround"]["order"]] == ["Cat", "Ann", "Bo", "Dee"]
    assert f["goround"]["index"] == 0 and f["goround"]["seconds"] == 90
    assert f["speaker"]["name"] == "Cat" and f["speaker"]["source"] == "goround"
    assert f["speaker"]["ends_at"] == (clock.now + timedelta(seconds=90)).isoformat(), "a deadline, not a countdown"
    assert of(envs, "facilitators", "balance", "updated")

    clock.tick(30)
    room.round_next(0)
    clock.tick(4)
    envs = room.round_pass("Ann")
    f = room.floor()
    assert f["speaker"]["name"] == "Bo" and f["goround"]["index"] == 2
    assert f["goround"]["passes"] == [room.pids["Ann"]]
    ann = next(t for t in room.turns() if t.participant_id == room.pids["Ann"])
    assert ann.passed is True and ann.ended_at is not None
    assert of(envs, "meeting", "floor", "updated")[0]["data"]["goround"]["passes"] == [room.pids["Ann"]]

    clock.tick(20)
    room.round_stop()
    f = room.floor()
    assert f["goround"] is None and f["speaker"] is None
    assert room.read(lambda m: db.session.execute(db.select(GoRound)).scalar_one().ended_at) is not None

    totals = room.totals()
    assert (totals["Cat"]["talk_seconds"], totals["Cat"]["turns"]) == (30.0, 1), "turns in a round count"
    assert (totals["Ann"]["talk_seconds"], totals["Ann"]["turns"], totals["Ann"]["passes"]) == (0.0, 0, 1), \
        "a pass is recorded, and is not a turn"
    assert (totals["Bo"]["talk_seconds"], totals["Bo"]["turns"]) == (20.0, 1), "stopping closes the last turn"
    assert "Dee" not in totals, "the round stopped before Dee"


def test_goround_ends_after_the_last_person(room, clock):
    room.round_start(["Ann", "Bo"])
    clock.tick(10)
    room.round_next(0)
    clock.tick(10)
    envs = room.round_next(1)
    f = room.floor()
    assert f["goround"] is None and f["speaker"] is None
    assert of(envs, "meeting", "floor", "updated")[0]["data"]["goround"] is None
    assert {n: r["turns"] for n, r in room.totals().items()} == {"Ann": 1, "Bo": 1}
    # the floor is free again for the queue
    room.raise_("Cat")
    assert room.call()[0] == "Cat"


def test_goround_refusals(room):
    room.raise_("Dee")
    room.round_start(["Ann", "Bo"])
    room.refused(lambda m: fl.check_goround_start(room.fac, m, [room.pids["Cat"]]), "goround_running")
    room.refused(lambda m: fl.check_call(room.fac, m, None), "goround_running")
    room.refused(lambda m: fl.check_call(room.fac, m, room.pids["Cat"]), "goround_running")
    room.refused(lambda m: fl.check_end_turn(room.fac, m), "goround_running")
    room.refused(lambda m: fl.check_goround_next(room.fac, m, 1), "stale_index")
    room.refused(lambda m: fl.check_goround_pass(room.p("Bo"), m), "not_your_turn")
    room.refused(lambda m: fl.check_goround_pass(room.p("Cat"), m), "not_your_turn")
    room.refused(lambda m: fl.check_goround_pass(room.fac, m), "not_participant")
    room.refused(lambda m: fl.check_goround_next(room.p("Ann"), m, 0), "forbidden")
    room.refused(lambda m: fl.check_goround_stop(room.p("Ann"), m), "forbidden")
    room.round_stop()
    room.refused(lambda m: fl.check_goround_next(room.fac, m, 0), "no_goround")
    room.refused(lambda m: fl.check_goround_stop(room.fac, m), "no_goround")
    room.refused(lambda m: fl.check_goround_pass(room.p("Ann"), m), "no_goround")
    room.refused(lambda m: fl.check_goround_start(room.fac, m, [room.observer]), "not_eligible")


# --- leaving and being removed --------------------------------------------------------------------


def _remove(room, name):
    def act(m):
        do_remove(room.fac, check_remove(room.fac, room.pids[name]))
    # the removed person's own view goes back behind the gate (see test_participants); leave them out
    return room.run(act, without=(name,))


def _leave(room, name):
    return room.run(lambda m: do_leave(room.p(name)))


def test_removing_someone_lowers_their_hand(room):
    for name in ("Ann", "Bo", "Cat"):
        room.raise_(name)
    envs = _remove(room, "Ann")
    assert [n for n, _ in room.queue()] == ["Bo", "Cat"] and room.positions() == {"Bo": 1, "Cat": 2}
    assert of(envs, f"p{room.pids['Ann']}", "hand", "updated")[0]["data"]["raised"] is False
    assert of(envs, type_="balance") == [], "not speaking: no turn changed"


def test_removing_the_speaker_ends_their_turn(room, clock):
    room.call("Ann")
    clock.tick(12)
    envs = _remove(room, "Ann")
    assert room.floor()["speaker"] is None
    assert room.totals()["Ann"]["talk_seconds"] == 12.0
    assert of(envs, "facilitators", "balance", "updated")


def test_removing_the_speaker_moves_a_running_round_on(room, clock):
    room.round_start(["Ann", "Bo", "Cat"])
    clock.tick(8)
    _remove(room, "Ann")
    f = room.floor()
    assert f["speaker"]["name"] == "Bo" and f["goround"]["index"] == 1
    assert room.totals()["Ann"] == {"participant_id": room.pids["Ann"], "talk_seconds": 8.0, "turns": 1,
                                    "passes": 0}


def test_someone_removed_later_in_a_round_is_skipped(room, clock):
    room.round_start(["Ann", "Bo", "Cat"])
    _remove(room, "Bo")
    clock.tick(5)
    room.round_next(0)
    f = room.floor()
    assert f["speaker"]["name"] == "Cat", "the round does not give the floor to a removed person"
    assert room.refused(lambda m: fl.check_call(room.fac, m, room.pids["Bo"]), "goround_running")


def test_someone_removed_last_in_a_round_ends_it(room, clock):
    room.round_start(["Ann", "Bo"])
    _remove(room, "Bo")
    room.round_next(0)
    assert room.floor()["goround"] is None and room.floor()["speaker"] is None
    assert room.read(lambda m: flv.open_turn(m.id)) is None


def test_leaving_lowers_the_hand(room):
    room.raise_("Ann")
    room.raise_("Bo")
    _leave(room, "Ann")
    assert room.queue() == [("Bo", "new")]


def test_leaving_ends_the_turn_and_moves_a_round_on(room, clock):
    room.round_start(["Ann", "Bo"])
    clock.tick(5)
    _leave(room, "Ann")
    assert room.floor()["speaker"]["name"] == "Bo"


# --- refusals ------------------------------------------------------------------------------------------


def test_raise_refusals(room, factory):
    room.raise_("Ann")
    room.refused(lambda m: fl.check_raise(room.p("Ann"), m, "new"), "already_raised")
    room.refused(lambda m: fl.check_raise(room.p("Bo"), m, "reply"), "no_speaker")
    room.refused(lambda m: fl.check_raise(room.obs, m, "new"), "observer")
    room.refused(lambda m: fl.check_raise(room.fac, m, "new"), "not_participant")
    room.call("Cat")
    room.refused(lambda m: fl.check_raise(room.p("Cat"), m, "reply"), "speaking")
    _, late = factory.join(room.mid, name="Late", ack=False)
    room.refused(lambda m: fl.check_raise(participant(room.mid, late), m, "new"), "rules_not_acknowledged")


def test_lowering_and_calling_refusals(room, factory):
    other_uid = factory.user(email="other@example.org")
    other_mid, _ = factory.meeting(other_uid)
    _, stranger = factory.join(other_mid, name="Stranger")
    room.raise_("Ann")
    room.refused(lambda m: fl.check_lower_own(room.p("Bo"), m), "not_raised")
    room.refused(lambda m: fl.check_lower(room.p("Bo"), room.pids["Ann"]), "forbidden")
    room.refused(lambda m: fl.check_lower(room.fac, room.pids["Bo"]), "not_raised")
    room.refused(lambda m: fl.check_lower(room.fac, stranger), "not_found")
    room.refused(lambda m: fl.check_move(room.fac, stranger), "not_found")
    room.refused(lambda m: fl.check_call(room.p("Bo"), m, None), "forbidden")
    room.refused(lambda m: fl.check_call(room.fac, m, stranger), "not_found")
    room.refused(lambda m: fl.check_call(room.fac, m, room.observer), "observer")
    room.refused(lambda m: fl.check_clear(room.p("Ann")), "forbidden")
    room.refused(lambda m: fl.check_mode(room.p("Ann")), "forbidden")
    room.refused(lambda m: fl.check_end_turn(room.fac, m), "no_speaker")
    room.lower("Ann")
    room.refused(lambda m: fl.check_call(room.fac, m, None), "queue_empty")
    _remove(room, "Bo")
    room.refused(lambda m: fl.check_call(room.fac, m, room.pids["Bo"]), "removed")


@pytest.mark.parametrize("state", ["draft", "paused", "ended"])
def test_the_queue_is_closed_outside_open_and_live(app, factory, clock, state):
    from facilitator.actions.meetings import do_set_state

    uid = factory.user()
    mid, _ = factory.meeting(uid, state="draft" if state == "draft" else "live")
    _, pid = factory.join(mid, name="Sam") if state != "draft" else (None, None)
    with app.app_context():
        m = db.session.get(Meeting, mid)
        if state != "draft":
            do_set_state(facilitator(mid, uid), m, state)
            db.session.commit()
        with pytest.raises(Conflict) as err:
            fl.check_call(facilitator(mid, uid), m, pid)
        assert err.value.code == "not_live"
        if pid is not None:
            with pytest.raises(Conflict) as err:
                fl.check_raise(participant(mid, pid), m, "new")
            assert err.value.code in ("not_live", "meeting_ended")
        assert db.session.execute(db.select(Participant.id).join(Hand)).first() is None


def test_a_snapshot_is_never_reused_from_an_earlier_transaction(room):
    """A check leaves its snapshot for the change in the same transaction only: after a commit,
    before the next transaction has begun, the floor is read again, not taken from the last one."""
    with room.app.app_context():
        meeting = db.session.get(Meeting, room.mid)
        before = fl.snapshot(meeting)
        assert before.order == []
        db.session.add(Hand(meeting_id=room.mid, participant_id=room.pids["Ann"], kind="new",
                            raised_at=room.clock(), order_key=1.0))
        db.session.commit()
        assert db.session().get_transaction() is None  # the next one begins with the next statement
        after = fl.snapshot(meeting)
        assert after is not before
        assert [h.participant_id for h in after.order] == [room.pids["Ann"]]
        assert fl.snapshot(meeting) is after  # within one transaction it is kept
        db.session.rollback()


# --- people whose connection dropped --------------------------------------------------------------


def test_call_next_passes_over_someone_whose_connection_dropped(room, clock):
    """Ann's connection drops while her hand is up: call next gives the floor to Bo, says Ann was
    passed over, and keeps her hand first in the queue; once she is back she is called next."""
    room.raise_("Ann")
    room.raise_("Bo")
    drop(room.app, room.pids["Ann"])
    who, envs = room.call()
    assert who == "Bo" and room.skipped == ["Ann"]
    assert room.queue() == [("Ann", "new")] and room.positions() == {"Ann": 1}, "her hand keeps its place"
    assert [t.participant_id for t in room.turns()] == [room.pids["Bo"]], "no turn, no talk time while away"
    assert of(envs, f"p{room.pids['Ann']}", "hand") == [], "nothing changed for her"
    clock.tick(5)
    connect(room.app, room.pids["Ann"])
    who, _ = room.call()
    assert who == "Ann" and room.skipped == []


def test_call_next_with_everyone_waiting_away_is_refused_and_changes_nothing(room):
    room.call("Cat")
    room.raise_("Ann")
    room.raise_("Bo")
    drop(room.app, room.pids["Ann"], room.pids["Bo"])
    err = room.refused(lambda m: fl.check_call(room.fac, m, None), "nobody_connected")
    assert "Ann and Bo" in err.message
    assert room.floor()["speaker"]["name"] == "Cat" and room.queue() == [("Ann", "new"), ("Bo", "new")]


def test_calling_someone_who_is_not_connected_is_refused(room):
    room.raise_("Ann")
    drop(room.app, room.pids["Ann"], room.pids["Dee"])
    for name in ("Ann", "Dee"):  # from the queue, or someone not in it
        err = room.refused(lambda m, n=name: fl.check_call(room.fac, m, room.pids[n]), "not_connected")
        assert err.message.startswith(f"{name} is not connected")


def test_the_call_next_reply_tells_the_facilitator_who_was_passed_over(app, room):
    """The whole action's reply (the floor.next ack): who has the floor, who was passed over, and a
    sentence for the console."""
    for name in ("Ann", "Bo", "Cat"):
        room.raise_(name)
    drop(app, room.pids["Ann"], room.pids["Bo"])
    with app.app_context():
        reply = fl.give_floor(room.fac, None)
        db.session.commit()
    assert reply == {"participant_id": room.pids["Cat"], "name": "Cat",
                     "skipped": [{"participant_id": room.pids["Ann"], "name": "Ann"},
                                 {"participant_id": room.pids["Bo"], "name": "Bo"}],
                     "message": "Ann and Bo are not connected; called Cat instead (their hands stay in the queue)."}
    connect(app, room.pids["Ann"])
    with app.app_context():
        reply = fl.give_floor(room.fac, None)
        db.session.commit()
    assert (reply["name"], reply["skipped"], reply["message"]) == ("Ann", [], None)
    assert room.queue() == [("Bo", "new")]


def test_a_goround_moves_someone_away_to_the_end_and_the_facilitator_is_told(app, room, clock):
    """Start, round next and a pass never give a turn (and talk time) to someone not connected: the
    first time, their turn moves to the end of the round's stored order; still away when it comes,
    they are passed over for the rest of the round. Back by then, they speak. The whole actions'
    replies (the acks) say who and how."""
    ids = [room.pids[n] for n in ("Ann", "Bo", "Cat", "Dee")]
    drop(app, room.pids["Ann"])
    with app.app_context():
        reply = fl.start_goround(room.fac, ids, 60, False)
        db.session.commit()
    ann = {"participant_id": room.pids["Ann"], "name": "Ann"}
    assert reply["order"] == ids + [room.pids["Ann"]], "Ann's turn moved to the end of the stored order"
    assert (reply["deferred"], reply["skipped"]) == ([ann], [])
    assert reply["message"] == "Ann is not connected: their turn moves to the end of the round. It is Bo's turn."
    assert room.round_order() == ["Ann", "Bo", "Cat", "Dee", "Ann"]
    f = room.floor()
    assert f["speaker"]["name"] == "Bo" and f["goround"]["index"] == 1
    assert [m["name"] for m in f["goround"]["order"]] == ["Ann", "Bo", "Cat", "Dee", "Ann"]
    assert room.round_away() == {"running": True, "deferred": ["Ann"], "skipped": []}

    drop(app, room.pids["Cat"])
    clock.tick(10)
    with app.app_context():
        reply = fl.next_in_goround(room.fac, 1)
        db.session.commit()
    assert (reply["deferred"], reply["skipped"]) == ([{"participant_id": room.pids["Cat"], "name": "Cat"}], [])
    assert reply["message"] == "Cat is not connected: their turn moves to the end of the round. It is Dee's turn."
    assert room.round_order() == ["Ann", "Bo", "Cat", "Dee", "Ann", "Cat"]
    assert room.round_away() == {"running": True, "deferred": ["Ann", "Cat"], "skipped": []}

    connect(app, room.pids["Cat"])  # Cat is back before their moved turn; Ann is not
    room.round_pass("Dee")
    assert room.away == ([], ["Ann"]), "Ann, still away at her moved turn, is passed over for good"
    assert room.floor()["speaker"]["name"] == "Cat" and room.floor()["goround"]["index"] == 5
    assert room.round_away() == {"running": True, "deferred": [], "skipped": ["Ann"]}
    room.round_next(5)
    assert room.floor()["goround"] is None, "Cat's moved turn was the last: the round is over"
    assert [room.names[t.participant_id] for t in room.turns()] == ["Bo", "Dee", "Cat"]
    assert room.round_away() == {"running": False, "deferred": [], "skipped": ["Ann"]}, \
        "the facilitators still see who the round passed over"


def test_someone_back_before_their_moved_turn_gets_it(room, clock):
    room.round_start(["Ann", "Bo", "Cat"])
    drop(room.app, room.pids["Bo"])
    room.round_next(0)
    assert room.away == (["Bo"], []) and room.floor()["speaker"]["name"] == "Cat"
    connect(room.app, room.pids["Bo"])
    room.round_next(2)
    assert room.away == ([], [])
    f = room.floor()
    assert f["speaker"]["name"] == "Bo" and f["goround"]["index"] == 3
    assert room.round_away() == {"running": True, "deferred": [], "skipped": []}
    clock.tick(20)
    room.round_next(3)
    assert room.floor()["goround"] is None
    assert [room.names[t.participant_id] for t in room.turns()] == ["Ann", "Cat", "Bo"]
    assert room.totals()["Bo"]["talk_seconds"] == 20


def test_a_pass_moves_the_next_person_away_and_the_facilitators_see_it(room):
    """A participant's pass (its ack goes to them) moves the round on: who it moved to the end or
    passed over reaches the facilitators in their queue view (queue.updated), also when the pass
    ends the round."""
    room.round_start(["Ann", "Bo", "Cat", "Dee"])
    drop(room.app, room.pids["Bo"])
    envs = room.round_pass("Ann")
    assert room.away == (["Bo"], []) and room.floor()["speaker"]["name"] == "Cat"
    [q] = of(envs, "facilitators", "queue", "updated")
    assert [p["name"] for p in q["data"]["goround"]["deferred"]] == ["Bo"]
    room.round_pass("Cat")
    envs = room.round_pass("Dee")
    assert room.away == ([], ["Bo"]) and room.floor()["goround"] is None
    [q] = of(envs, "facilitators", "queue", "updated")
    assert q["data"]["goround"]["running"] is False
    assert [p["name"] for p in q["data"]["goround"]["skipped"]] == ["Bo"]
    assert q["data"]["goround"]["deferred"] == []
    assert room.round_away() == {"running": False, "deferred": [], "skipped": ["Bo"]}
    assert room.pids["Bo"] not in {t.participant_id for t in room.turns()}


def test_someone_away_with_nobody_connected_after_them_is_passed_over_at_once(app, room):
    """Moving a turn to the end helps only if someone speaks in between: with nobody connected
    after them, the people away are passed over for good at once (no second entry)."""
    room.round_start(["Ann", "Bo", "Cat"])
    drop(app, room.pids["Bo"], room.pids["Cat"])
    with app.app_context():
        reply = fl.next_in_goround(room.fac, 0)
        db.session.commit()
    assert reply["deferred"] == [] and [p["name"] for p in reply["skipped"]] == ["Bo", "Cat"]
    assert reply["message"] == "Bo and Cat are not connected: passed over for the rest of the round. The round is over."
    assert room.round_order() == ["Ann", "Bo", "Cat"]
    assert room.round_away() == {"running": False, "deferred": [], "skipped": ["Bo", "Cat"]}


def test_a_speaker_leaving_mid_round_moves_or_passes_over_who_is_away(room):
    """The speaker leaving (me.leave) or removed moves the round on as a pass does: who it moved to
    the end or passed over reaches the facilitators' queue view."""
    room.round_start(["Ann", "Bo", "Cat", "Dee"])
    drop(room.app, room.pids["Bo"])
    envs = room.run(lambda m: do_leave(room.p("Ann")))
    assert room.floor()["speaker"]["name"] == "Cat"
    [q] = of(envs, "facilitators", "queue", "updated")
    assert [p["name"] for p in q["data"]["goround"]["deferred"]] == ["Bo"]
    assert room.round_order() == ["Ann", "Bo", "Cat", "Dee", "Bo"]
    room.round_next(2)
    envs = room.run(lambda m: do_remove(room.fac, check_remove(room.fac, room.pids["Dee"])), without=("Dee",))
    assert room.floor()["goround"] is None, "Bo, still away at his moved turn, was passed over: the round is over"
    [q] = of(envs, "facilitators", "queue", "updated")
    assert [p["name"] for p in q["data"]["goround"]["skipped"]] == ["Bo"]
    assert room.round_away() == {"running": False, "deferred": [], "skipped": ["Bo"]}


def test_release_floor_returns_who_the_round_moved(app, room):
    room.round_start(["Ann", "Bo", "Cat"])
    drop(app, room.pids["Bo"])
    with app.app_context():
        m = db.session.get(Meeting, room.mid)
        ann = db.session.get(Participant, room.pids["Ann"])
        ann.presence = "left"
        away = fl.release_floor(m, ann)
        assert [p.display_name for p in away.deferred] == ["Bo"] and away.skipped == []
        assert fl.round_message(flv.latest_round(m.id), away) == \
            "Bo is not connected: their turn moves to the end of the round. It is Cat's turn."
        db.session.rollback()


def test_removing_someone_whose_turn_was_moved_takes_them_off_the_list(room):
    room.round_start(["Ann", "Bo", "Cat"])
    drop(room.app, room.pids["Bo"])
    room.round_next(0)
    assert room.round_away()["deferred"] == ["Bo"]
    envs = room.run(lambda m: do_remove(room.fac, check_remove(room.fac, room.pids["Bo"])), without=("Bo",))
    [q] = of(envs, "facilitators", "queue", "updated")
    assert q["data"]["goround"]["deferred"] == []
    room.round_next(2)
    assert room.away == ([], []), "someone removed is passed over without a word"
    assert room.floor()["goround"] is None
    assert room.round_away() == {"running": False, "deferred": [], "skipped": []}


def test_goround_start_with_shuffle_moves_the_away_to_the_end_of_the_shuffled_order(app, room, monkeypatch):
    """The shuffle happens once, before anyone is passed over; the order stored (and replied) is
    the shuffled one with the people away appended, so every later move is deterministic."""
    monkeypatch.setattr(fl.random, "SystemRandom", lambda: SimpleNamespace(shuffle=lambda xs: xs.reverse()))
    drop(app, room.pids["Dee"], room.pids["Cat"])
    ids = [room.pids[n] for n in ("Ann", "Bo", "Cat", "Dee")]
    with app.app_context():
        reply = fl.start_goround(room.fac, ids, 60, True)
        db.session.commit()
    assert [room.names[pid] for pid in reply["order"]] == ["Dee", "Cat", "Bo", "Ann", "Dee", "Cat"]
    assert [p["name"] for p in reply["deferred"]] == ["Dee", "Cat"] and reply["skipped"] == []
    assert reply["message"] == ("Dee and Cat are not connected: their turns move to the end of the round. "
                                "It is Bo's turn.")
    assert room.round_order() == ["Dee", "Cat", "Bo", "Ann", "Dee", "Cat"]
    assert room.floor()["speaker"]["name"] == "Bo" and room.floor()["goround"]["index"] == 2
    assert room.round_away() == {"running": True, "deferred": ["Dee", "Cat"], "skipped": []}
    connect(app, room.pids["Cat"])
    room.round_next(2)
    room.round_next(3)
    assert room.away == ([], ["Dee"]) and room.floor()["speaker"]["name"] == "Cat"
    assert room.round_away() == {"running": True, "deferred": [], "skipped": ["Dee"]}


def test_goround_start_through_verify_action_with_shuffle(room, monkeypatch):
    monkeypatch.setattr(fl.random, "SystemRandom", lambda: SimpleNamespace(shuffle=lambda xs: xs.reverse()))
    drop(room.app, room.pids["Cat"])
    envs = room.round_start(["Ann", "Bo", "Cat"], shuffle=True)
    assert room.away == (["Cat"], []) and room.round_order() == ["Cat", "Bo", "Ann", "Cat"]
    [q] = of(envs, "facilitators", "queue", "updated")
    assert q["data"]["goround"] == {"id": q["data"]["goround"]["id"], "running": True, "skipped": [],
                                    "deferred": [{"participant_id": room.pids["Cat"], "name": "Cat"}]}


def test_listing_and_the_round_message():
    assert fl.listing([]) == ""
    assert fl.listing(["Jo"]) == "Jo"
    assert fl.listing(["Jo", "Sam"]) == "Jo and Sam"
    assert fl.listing(["Jo", "Sam", "Pat"]) == "Jo, Sam and Pat"
    assert fl.away_message([], "anything") is None
    assert fl.round_message(SimpleNamespace(ended_at=None), fl.PassedOver()) is None


def test_round_next_passes_over_the_away_through_verify_action(room, clock):
    room.round_start(["Ann", "Bo", "Cat"])
    drop(room.app, room.pids["Bo"])
    envs = room.round_next(0)
    assert room.away == (["Bo"], [])
    assert room.floor()["speaker"]["name"] == "Cat"
    [fl_env] = of(envs, "meeting", "floor", "updated")
    assert fl_env["data"]["goround"]["index"] == 2
    drop(room.app, room.pids["Ann"], room.pids["Cat"])
    room.round_next(2)
    assert room.away == ([], ["Bo"])
    assert room.floor()["goround"] is None and room.floor()["speaker"] is None


def test_a_goround_of_people_all_away_is_refused(room):
    drop(room.app, room.pids["Ann"], room.pids["Bo"])
    room.refused(lambda m: fl.check_goround_start(room.fac, m, [room.pids["Ann"], room.pids["Bo"]]),
                 "nobody_connected")
