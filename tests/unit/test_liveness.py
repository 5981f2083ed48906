"""Presence across processes: the rows of a process that stopped announcing itself in Redis are
cleared once it has been silent for a whole expiry (not before: a Redis restart forgets every
key for a moment), and the people connected only through it become `reconnecting`."""
from __future__ import annotations

import uuid

from facilitator.actions.participants import do_connect
from facilitator.extensions import db
from facilitator.liveness import Liveness
from facilitator.models import Connection, Meeting, Participant

from ..helpers import needs_service


def processes(*workers: str) -> tuple:
    """A fake clock and one Liveness per worker id, on a Redis channel of this test's own."""
    channel, clock = f"liveness-test-{uuid.uuid4().hex[:8]}", Clock()
    return clock, [Liveness("redis://127.0.0.1:6379/0", channel, w, ttl=6, clock=clock) for w in workers]


def people(factory, *names: str) -> tuple[int, list[int]]:
    mid, _ = factory.meeting(factory.user())
    return mid, [factory.join(mid, name=n)[1] for n in names]


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_silent_process_loses_its_connections_after_one_expiry(app, factory, ctx):
    needs_service("redis")
    mid, (ann, bo) = people(factory, "Ann", "Bo")
    clock, (me, dead) = processes("host:1:me", "host:2:dead")
    try:
        meeting = db.session.get(Meeting, mid)
        do_connect(meeting, "sid-ann", "host:2:dead", participant=db.session.get(Participant, ann))
        do_connect(meeting, "sid-bo-mine", "host:1:me", participant=db.session.get(Participant, bo))
        do_connect(meeting, "sid-bo-dead", "host:2:dead", participant=db.session.get(Participant, bo))
        db.session.commit()
        me.beat()
        dead.beat()
        assert me.sweep() == []  # both announced

        dead.redis.delete(dead.prefix + dead.worker_id)  # it stops announcing (SIGKILL)
        assert me.sweep() == []  # missing for less than an expiry: could be a Redis restart
        clock.now += 5
        assert me.sweep() == []
        clock.now += 1.5
        assert me.sweep() == ["host:2:dead"]

        assert {c.sid for c in db.session.execute(db.select(Connection)).scalars()} == {"sid-bo-mine"}
        presence = {p.display_name: p.presence for p in db.session.execute(db.select(Participant)).scalars()}
        assert presence == {"Ann": "reconnecting", "Bo": "connected"}
        assert me.sweep() == []  # nothing left to clear
    finally:
        me.redis.delete(me.prefix + me.worker_id, dead.prefix + dead.worker_id)


def test_a_process_that_announces_again_in_time_keeps_its_connections(app, factory, ctx):
    needs_service("redis")
    mid, (ann,) = people(factory, "Ann")
    clock, (me, other) = processes("host:1:me", "host:3:other")
    try:
        do_connect(db.session.get(Meeting, mid), "sid-ann", "host:3:other", participant=db.session.get(Participant, ann))
        db.session.commit()
        other.redis.delete(other.prefix + other.worker_id)  # as after a Redis restart
        assert me.sweep() == []
        clock.now += 3
        other.beat()  # it announces again within the expiry
        clock.now += 4
        assert me.sweep() == []
        assert db.session.get(Participant, ann).presence == "connected"
    finally:
        me.redis.delete(me.prefix + me.worker_id, other.prefix + other.worker_id)
