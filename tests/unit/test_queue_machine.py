"""A hypothesis state machine over the raise-hand queue and the floor.

Rules call the same check_* -> do_* -> commit path as the socket handlers, for one facilitator and
four participants: raise (each kind), lower own, facilitator lower, call next, call anyone, move,
clear, mode change, end turn, leave and come back, a dropped connection and reconnect (at once, or
after a while: call next passes over whoever is away, keeping their hand, and calling them by name
is refused), and the clock moving on, from a start where people have already talked for different
times. A refused
action must be refused with the code the model predicts and change nothing. The model keeps its own expected queue, speaker and talk times; after every step:

- nobody is in the queue twice;
- the queue is exactly the model's order, and the hands raised since the last move or mode change
  are in rule order (process > reply > new; within a kind by time, or new points by least talk
  so far in quiet mode);
- every participant's own view (`my_hand_view`) agrees with the facilitators' `queue_view`;
- at most one turn is open, and it is the model's speaker; the speaker has no raised hand;
- the balance view's talk time per person and in total equals the sum of the closed turns'
  durations, and the model's own sums.

The floor actions run on a fake clock that moves only in the `tick` rule, so times are exact and
ties in raise time happen (they are broken by who was recorded first).
"""
from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from facilitator.actions import floor as fl
from facilitator.views import floor as flv
from facilitator.actions.participants import do_connect, do_disconnect, do_leave
from facilitator.errors import ActionError
from facilitator.extensions import db
from facilitator.models import Connection, Hand, Meeting, Participant, Turn

from .support import facilitator, participant

KINDS = ("process", "reply", "new")
KIND_RANK = {k: i for i, k in enumerate(KINDS)}
N_PEOPLE = 4



class Clock:
    def __init__(self):
        self.now = datetime(2031, 3, 4, 9, 0, tzinfo=timezone.utc)

    def __call__(self):
        return self.now


class QueueMachine(RuleBasedStateMachine):
    app = None
    uid = None
    clock: Clock = None
    sids = itertools.count()

    def __init__(self):
        super().__init__()
        from facilitator.actions.meetings import do_create_meeting
        from facilitator.actions.participants import do_join
        from facilitator.actions.rules import do_ack
        from facilitator.models import User

        self.clock.now += timedelta(days=1)  # a fresh meeting, later than the last one
        with self.app.app_context():
            db.session.remove()
            m = do_create_meeting(db.session.get(User, self.uid), {"title": "Machine"}, [])
            db.session.commit()
            m.state = "live"
            db.session.commit()
            self.mid = m.id
            self.pids, self.sid = [], {}
            for i in range(N_PEOPLE):
                p, _token = do_join(m, {"display_name": f"P{i}", "group_tag": None})
                do_ack(p, m)
                db.session.flush()
                self.pids.append(p.id)
                self.sid[p.id] = f"sid-{next(self.sids)}"
                do_connect(m, self.sid[p.id], "machine", participant=p)
            db.session.commit()
            db.session.info.clear()
            db.session.remove()
        # the model
        self.queue: list[tuple[int, str, int]] = []   # (pid, kind, raise number), in order
        self.raised = itertools.count()
        self.mode = "time"
        self.talk = {pid: 0.0 for pid in self.pids}    # closed turns, seconds
        self.turns: list[tuple[int, datetime, datetime]] = []
        self.speaker: tuple[int, datetime] | None = None
        self.epoch: set[int] = set()  # pids whose hands are in rule order (since the last move/mode)
        self.away: set[int] = set()  # connection dropped, not back yet: passed over by call next

    # --- plumbing ---------------------------------------------------------------------------------
    @property
    def fac(self):
        return facilitator(self.mid, self.uid)

    def actor(self, pid):
        return participant(self.mid, pid)

    def act(self, fn, refused: str | None = None):
        """Run `fn(meeting)` and commit, as a socket handler does; or, if the model says it must be
        refused, check the code and that the transaction is rolled back."""
        with self.app.app_context():
            db.session.remove()
            m = db.session.get(Meeting, self.mid)
            if refused is None:
                out = fn(m)
                db.session.commit()
                db.session.remove()
                return out
            hands_before = self._hand_rows()
            try:
                fn(m)
            except ActionError as exc:
                db.session.rollback()
                assert exc.code == refused, (exc.code, refused, exc.message)
                assert self._hand_rows() == hands_before
                db.session.remove()
                return None
            db.session.rollback()
            raise AssertionError(f"expected refusal {refused!r}, but the action was allowed")

    @staticmethod
    def _hand_rows():
        return [tuple(r) for r in db.session.execute(
            db.select(Hand.participant_id, Hand.kind, Hand.order_key).order_by(Hand.id)).all()]

    def waiting(self) -> list[int]:
        return [pid for pid, _, _ in self.queue]

    def rank(self, entry) -> tuple:
        pid, kind, n = entry
        quiet = self.talk[pid] if (self.mode == "quiet" and kind == "new") else 0.0
        return (KIND_RANK[kind], quiet, n)

    def close_turn(self):
        if self.speaker is not None:
            pid, start = self.speaker
            self.talk[pid] += (self.clock.now - start).total_seconds()
            self.turns.append((pid, start, self.clock.now))
            self.speaker = None

    def drop_hand(self, pid):
        self.queue = [e for e in self.queue if e[0] != pid]
        self.epoch.discard(pid)

    # --- rules --------------------------------------------------------------------------------
    @initialize(history=st.lists(st.tuples(st.integers(0, N_PEOPLE - 1), st.sampled_from([1, 5, 20, 45])),
                                 max_size=5),
                mode=st.sampled_from(["time", "quiet"]))
    def some_talk_already(self, history, mode):
        """Start from a meeting where people have talked for different times, often in quiet mode,
        so that ordering by talk so far is exercised from the first step."""
        for i, seconds in history:
            self.call_anyone(i)
            self.tick(seconds)
        if self.speaker is not None:
            self.end_turn()
        self.change_mode(mode)

    @rule(i=st.integers(0, N_PEOPLE - 1), kind=st.sampled_from(KINDS))
    def raise_hand(self, i, kind):
        pid = self.pids[i]
        speaking = self.speaker is not None and self.speaker[0] == pid
        refused = ("already_raised" if pid in self.waiting() else "speaking" if speaking
                   else "no_speaker" if kind == "reply" and self.speaker is None else None)

        def go(m):
            fl.do_raise(m, fl.check_raise(self.actor(pid), m, kind), kind)
        self.act(go, refused)
        if refused is None:
            entry = (pid, kind, next(self.raised))
            mine = self.rank(entry)
            at = next((j for j, e in enumerate(self.queue) if self.rank(e) > mine), len(self.queue))
            self.queue.insert(at, entry)
            self.epoch.add(pid)

    @rule(raises=st.lists(st.tuples(st.integers(0, N_PEOPLE - 1), st.sampled_from(KINDS)), min_size=2, max_size=4),
          gap=st.sampled_from([0, 0, 1, 3]))
    def several_raise(self, raises, gap):
        """Hands go up in bursts in a real meeting; this also keeps the queue long enough to order."""
        for i, kind in raises:
            self.raise_hand(i, kind)
            self.tick(gap)

    @rule(i=st.integers(0, N_PEOPLE - 1))
    def lower_own(self, i):
        pid = self.pids[i]
        refused = None if pid in self.waiting() else "not_raised"
        self.act(lambda m: fl.do_lower(m, fl.check_lower_own(self.actor(pid), m)), refused)
        self.drop_hand(pid)

    @rule(i=st.integers(0, N_PEOPLE - 1))
    def facilitator_lowers(self, i):
        pid = self.pids[i]
        refused = None if pid in self.waiting() else "not_raised"
        self.act(lambda m: fl.do_lower(m, fl.check_lower(self.fac, pid)), refused)
        self.drop_hand(pid)

    @rule()
    def clear(self):
        def go(m):
            fl.check_clear(self.fac)
            return fl.do_clear(m)
        assert self.act(go) == len(self.queue)
        self.queue, self.epoch = [], set()

    @rule(i=st.integers(0, N_PEOPLE - 1), position=st.integers(1, N_PEOPLE + 2))
    def move(self, i, position):
        pid = self.pids[i]
        refused = None if pid in self.waiting() else "not_raised"
        at = self.act(lambda m: fl.do_move(m, fl.check_move(self.fac, pid), position), refused)
        if refused is None:
            entry = next(e for e in self.queue if e[0] == pid)
            rest = [e for e in self.queue if e[0] != pid]
            expect = min(position, len(rest) + 1)
            assert at == expect
            rest.insert(expect - 1, entry)
            self.queue = rest
            self.epoch = set()

    @rule(mode=st.sampled_from(["time", "quiet"]))
    def change_mode(self, mode):
        def go(m):
            fl.check_mode(self.fac)
            fl.do_mode(m, mode)
        self.act(go)
        self.mode = mode
        self.queue.sort(key=self.rank)
        self.epoch = set(self.waiting())

    def _call(self, pid):
        self.close_turn()
        self.drop_hand(pid)
        self.speaker = (pid, self.clock.now)

    @rule()
    def call_next(self):
        here = [pid for pid in self.waiting() if pid not in self.away]
        refused = "queue_empty" if not self.queue else (None if here else "nobody_connected")

        def go(m):
            called = fl.check_call(self.fac, m, None)
            return fl.do_call(m, called.participant).participant_id, [s.id for s in called.skipped]
        out = self.act(go, refused)
        if refused is None:
            pid, skipped = out
            assert pid == here[0], "call next takes the first in the queue who is connected"
            assert skipped == self.waiting()[:self.waiting().index(pid)], "the ones passed over are said"
            self._call(pid)

    @rule(i=st.integers(0, N_PEOPLE - 1))
    def call_anyone(self, i):
        pid = self.pids[i]
        refused = "not_connected" if pid in self.away else None
        source = self.act(lambda m: fl.do_call(m, fl.check_call(self.fac, m, pid).participant).source, refused)
        if refused is None:
            assert source == ("queue" if pid in self.waiting() else "direct")
            self._call(pid)

    @rule(i=st.integers(0, N_PEOPLE - 1))
    def drop_for_a_while(self, i):
        """A connection drops and stays down: the hand and the floor are kept (come_back ends it)."""
        pid = self.pids[i]
        if pid in self.away:
            return
        self.act(lambda m: do_disconnect(self.sid[pid]))
        self.away.add(pid)

    @rule(i=st.integers(0, N_PEOPLE - 1))
    def come_back(self, i):
        pid = self.pids[i]
        if pid not in self.away:
            return
        self.sid[pid] = new = f"sid-{next(self.sids)}"
        self.act(lambda m: do_connect(m, new, "machine", participant=db.session.get(Participant, pid)))
        self.away.discard(pid)

    @rule()
    def end_turn(self):
        refused = None if self.speaker is not None else "no_speaker"
        self.act(lambda m: fl.do_end_turn(m, fl.check_end_turn(self.fac, m)), refused)
        self.close_turn()

    @rule(seconds=st.sampled_from([0, 0.5, 1, 7, 30, 61.25]))
    def tick(self, seconds):
        self.clock.now += timedelta(seconds=seconds)

    @rule(i=st.integers(0, N_PEOPLE - 1))
    def leave_and_come_back(self, i):
        pid = self.pids[i]
        if pid in self.away:
            return
        old, new = self.sid[pid], f"sid-{next(self.sids)}"

        def go(m):
            do_leave(self.actor(pid))
            do_disconnect(old)
        self.act(go)
        # leaving on purpose lowers the hand and ends the turn (a dropped connection does not)
        self.drop_hand(pid)
        if self.speaker is not None and self.speaker[0] == pid:
            self.close_turn()
        self.check_all()  # also while they are away
        self.act(lambda m: do_connect(m, new, "machine", participant=db.session.get(Participant, pid)))
        self.sid[pid] = new

    @rule(i=st.integers(0, N_PEOPLE - 1))
    def drop_and_reconnect(self, i):
        pid = self.pids[i]
        if pid in self.away:
            return
        old, new = self.sid[pid], f"sid-{next(self.sids)}"
        self.act(lambda m: do_disconnect(old))
        with self.app.app_context():
            assert db.session.get(Participant, pid).presence == "reconnecting"
            assert db.session.get(Connection, old) is None
        self.check_all()  # a dropped connection keeps the hand and the floor
        self.act(lambda m: do_connect(m, new, "machine", participant=db.session.get(Participant, pid)))
        self.sid[pid] = new

    # --- invariants -------------------------------------------------------------------------------
    @invariant()
    def check_all(self):
        with self.app.app_context():
            db.session.remove()
            m = db.session.get(Meeting, self.mid)
            q = [h["participant_id"] for h in flv.queue_view(m)["hands"]]
            kinds = [h["kind"] for h in flv.queue_view(m)["hands"]]

            # nobody twice, and the rows agree
            assert len(q) == len(set(q)), q
            assert db.session.execute(db.select(db.func.count(Hand.id)).where(Hand.meeting_id == self.mid)) \
                .scalar() == len(q)

            # the model's order, exactly
            assert list(zip(q, kinds)) == [(pid, kind) for pid, kind, _ in self.queue], (q, self.queue)
            assert m.queue_mode == self.mode

            # the hands raised since the last move or mode change are in rule order
            ranked = [self.rank(e) for e in self.queue if e[0] in self.epoch]
            assert ranked == sorted(ranked), ranked

            # each participant's own view agrees with the facilitators'
            for pid in self.pids:
                mine = flv.my_hand_view(self.mid, pid)
                if pid in q:
                    assert mine["raised"] is True and mine["position"] == q.index(pid) + 1, (pid, mine, q)
                    assert mine["kind"] == kinds[q.index(pid)]
                else:
                    assert mine == {"raised": False, "kind": None, "position": None, "raised_at": None}
            assert flv.floor_view(m)["queue_length"] == len(q)

            # at most one open turn: the model's speaker, with no hand raised
            open_turns = list(db.session.execute(
                db.select(Turn).where(Turn.meeting_id == self.mid, Turn.ended_at.is_(None))).scalars())
            assert len(open_turns) <= 1
            speaker = flv.floor_view(m)["speaker"]
            if self.speaker is None:
                assert open_turns == [] and speaker is None
            else:
                assert [t.participant_id for t in open_turns] == [self.speaker[0]]
                assert open_turns[0].started_at == self.speaker[1]
                assert speaker["participant_id"] == self.speaker[0]
                assert self.speaker[0] not in q, "the speaker has no raised hand"

            # talk time: balance view == sum of closed turns == the model
            closed = list(db.session.execute(
                db.select(Turn).where(Turn.meeting_id == self.mid, Turn.ended_at.is_not(None))).scalars())
            assert [(t.participant_id, t.started_at, t.ended_at) for t in sorted(closed, key=lambda t: t.id)] \
                == self.turns
            durations = sum((t.ended_at - t.started_at).total_seconds() for t in closed)
            balance = flv.balance_view(self.mid)["people"]
            assert sum(r["talk_seconds"] for r in balance) == pytest.approx(durations, abs=1e-6)
            assert durations == pytest.approx(sum(self.talk.values()), abs=1e-6)
            for r in balance:
                assert r["talk_seconds"] == pytest.approx(self.talk[r["participant_id"]], abs=1e-6)
                taken = sum(1 for pid, _, _ in self.turns if pid == r["participant_id"])
                taken += 1 if self.speaker is not None and self.speaker[0] == r["participant_id"] else 0
                assert r["turns"] == taken and r["passes"] == 0
            db.session.remove()


MACHINE_SETTINGS = settings(max_examples=50, stateful_step_count=30, deadline=None,
                            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def test_queue_state_machine(app, factory, monkeypatch):
    from facilitator.actions import accounts

    from .support import cheap_hasher

    monkeypatch.setattr(accounts, "_hasher", cheap_hasher())
    clock = Clock()
    monkeypatch.setattr(fl, "utcnow", clock)
    QueueMachine.app, QueueMachine.uid, QueueMachine.clock = app, factory.user(), clock
    run_state_machine_as_test(QueueMachine, settings=MACHINE_SETTINGS)
