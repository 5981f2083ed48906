"""Reactions: the rate limit's window and the coalescer with a fake clock, the burst through
`verify_action`, and counting only after the request commits. The limit itself is applied by the
socket registry (tests/sockets/test_signals.py: the ack, the flood refused without SQL)."""
from __future__ import annotations

import pytest

from facilitator import limits
from facilitator.actions import reactions as rx
from facilitator.errors import Conflict, NotAllowed
from facilitator.extensions import db
from facilitator.models import Meeting

from .support import facilitator, participant, verify_action


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_rate_limit_five_per_three_seconds_with_the_wait_until_the_next():
    clock = Clock()
    assert limits.DEFAULT_LIMITS["reaction"] == (5, 3.0)
    r = limits.SlidingWindow(*limits.DEFAULT_LIMITS["reaction"], clock=clock)
    for i in range(5):
        clock.now += 0.1
        assert r.take(7) is None, i
    assert r.take(7) == pytest.approx(2.6, abs=0.01), "the first of the five leaves the window in 2.6 s"
    assert r.take(8) is None, "per participant"
    clock.now += 2.61
    wait, stamp = r.take_stamped(7)
    assert wait is None and stamp == clock.now
    assert r.take(7) is not None, "a refused reaction does not count, an accepted one does"
    r.give_back(7, stamp)
    assert r.take(7) is None, "one given back (the action refused it) is free again"
    clock.now += 3.1  # every hit of 7's has left the window
    r.give_back(7, stamp)  # a stamp no longer counted gives back nothing, and takes no one else's hit
    assert [r.take(7) for _ in range(6)][-1] is not None and r.take(7) is not None


def test_coalescing_per_meeting_one_window_at_a_time():
    r = rx.Reactions(window=0.5)
    assert r.add(1, "clap") is True, "the first opens a window: schedule a flush"
    assert r.add(1, "clap") is False and r.add(1, "heart") is False
    assert r.add(2, "laugh") is True, "meetings are separate"
    assert r.take(1) == {"clap": 2, "heart": 1}
    assert r.take(1) == {}
    assert r.add(1, "agree") is True, "after a flush the next reaction opens a new window"


def test_a_burst_is_one_event_with_counts_per_kind_and_no_names(app, world):
    state = rx.reactions_state(app)
    for kind in ("clap", "clap", "heart", "thumbs_up"):
        state.add(world.mid, kind)
    envs = verify_action(app, world.mid, [world.fac, world.part], lambda m: rx.do_flush(m.id, app))
    assert [(e["stream"], e["type"], e["op"]) for e in envs] == [("meeting", "reactions", "burst")]
    assert envs[0]["data"] == {"counts": {"thumbs_up": 1, "clap": 2, "heart": 1, "laugh": 0, "agree": 0,
                                          "disagree": 0}, "total": 4}
    assert verify_action(app, world.mid, [world.fac], lambda m: rx.do_flush(m.id, app)) == [], "empty window"


def test_a_reaction_counts_only_once_the_request_commits(app, world, monkeypatch):
    started = []
    monkeypatch.setattr(rx.socketio, "start_background_task", lambda fn, *a: started.append((fn, a)))
    with app.app_context():
        m = db.session.get(Meeting, world.mid)
        rx.check_react(world.part, m)
        rx.do_react(m, "clap")
        db.session.rollback()
        assert rx.reactions_state(app).take(world.mid) == {} and started == []
        rx.check_react(world.part, m)
        rx.do_react(m, "clap")
        rx.do_react(m, "laugh")
        db.session.commit()
    assert len(started) == 1 and started[0][0] is rx._flush_later and started[0][1][1:] == (world.mid, 0.5)
    assert rx.reactions_state(app).take(world.mid) == {"clap": 1, "laugh": 1}


def test_the_flush_task_publishes_after_the_window(app, world, monkeypatch):
    slept = []
    monkeypatch.setattr(rx.socketio, "sleep", slept.append)
    published = []
    monkeypatch.setattr(rx.socketio, "emit", lambda *a, **k: published.append((a, k)))
    rx.reactions_state(app).add(world.mid, "agree")
    rx._flush_later(app, world.mid, 0.5)
    assert slept == [0.5]
    assert [a[1]["data"]["counts"]["agree"] for a, _k in published] == [1]


def test_who_may_react(app, world, factory):
    _token, obs = factory.join(world.mid, name="Olive", role="observer")
    _, gil = factory.join(world.mid, name="Gil", ack=False)
    with app.app_context():
        m = db.session.get(Meeting, world.mid)
        with pytest.raises(Conflict) as err:
            rx.check_react(facilitator(world.mid, world.uid), m)
        assert err.value.code == "not_participant"
        with pytest.raises(NotAllowed) as err:
            rx.check_react(participant(world.mid, obs, "observer"), m)
        assert err.value.code == "observer"
        with pytest.raises(Conflict) as err:
            rx.check_react(participant(world.mid, gil), m)
        assert err.value.code == "rules_not_acknowledged"
