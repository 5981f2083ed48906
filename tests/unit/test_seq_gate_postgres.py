"""Event numbering under real concurrency on PostgreSQL, with the transactions held at the point
where they have numbered their events and hold the rows (between numbering and commit).

A transaction numbering several streams of a meeting locks the meeting's `meeting` row first, in
the same statement (`events._advance(gated=True)`); one that waited there must still see a stream
row another created meanwhile, and not insert it a second time.
"""
from __future__ import annotations

import threading

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from facilitator.actions.meetings import do_create_meeting
from facilitator.events import participant_stream, publish
from facilitator.extensions import db
from facilitator.models import EventStream, User

HOLD = threading.local()


def _hold_after_numbering(session):
    """Registered after events' own before-commit hook, so it runs once the numbers are taken."""
    hold = getattr(HOLD, "gate", None)
    if hold is not None:
        numbered, release = hold
        numbered.set()
        release.wait(10)


def make_meeting(app) -> int:
    with app.app_context():
        user = User(email="f@example.org", display_name="Fran", password_hash="x")
        db.session.add(user)
        db.session.flush()
        mid = do_create_meeting(user, {"title": "Group"}).id
        db.session.commit()
        return mid


def seqs(app, mid) -> dict[str, int]:
    with app.app_context():
        return dict(db.session.execute(db.select(EventStream.stream, EventStream.seq)
                                       .where(EventStream.meeting_id == mid)).all())


def run(app, mid, streams, outcome, name, hold=None):
    """Publish one event on each stream and commit; record the numbers given, or the error."""
    HOLD.gate = hold
    with app.app_context():
        try:
            envs = []
            for stream in streams:
                kind = "hand" if stream.startswith("p") else ("queue" if stream == "facilitators" else "floor")
                envs.append(publish(mid, stream, kind, "updated", {}))
            db.session.commit()
            outcome[name] = {e["stream"]: e["seq"] for e in envs}
        except Exception as exc:
            db.session.rollback()
            outcome[name] = type(exc).__name__
        finally:
            HOLD.gate = None


def two_at_once(app, mid, first, second) -> dict:
    """`first` numbers its events and holds its locks; `second` starts and must wait for it."""
    numbered, release, outcome = threading.Event(), threading.Event(), {}
    sa_event.listen(Session, "before_commit", _hold_after_numbering)
    try:
        a = threading.Thread(target=run, args=(app, mid, first, outcome, "first", (numbered, release)))
        a.start()
        assert numbered.wait(10)
        b = threading.Thread(target=run, args=(app, mid, second, outcome, "second"))
        b.start()
        b.join(0.7)
        waited = b.is_alive()  # still numbering: waiting for the first's lock on the meeting row
        release.set()
        a.join(10)
        b.join(10)
    finally:
        sa_event.remove(Session, "before_commit", _hold_after_numbering)
    outcome["second_waited"] = waited
    return outcome


def test_streams_taken_in_opposite_orders_queue_at_the_meeting_row(pg_app):
    mid = make_meeting(pg_app)
    before = seqs(pg_app, mid)
    out = two_at_once(pg_app, mid, ["facilitators", "meeting"], ["meeting", "facilitators"])
    assert out["second_waited"] is True
    assert out["first"] == {"facilitators": before["facilitators"] + 1, "meeting": before["meeting"] + 1}
    assert out["second"] == {"meeting": before["meeting"] + 2, "facilitators": before["facilitators"] + 2}
    assert seqs(pg_app, mid) == {"meeting": before["meeting"] + 2, "facilitators": before["facilitators"] + 2}


def test_a_stream_created_while_waiting_is_numbered_not_created_twice(pg_app):
    mid = make_meeting(pg_app)
    new = participant_stream(999)  # no row yet: its first event creates it
    before = seqs(pg_app, mid)
    assert new not in before
    out = two_at_once(pg_app, mid, [new, "meeting"], ["facilitators", new])
    assert out["second_waited"] is True
    assert out["first"] == {new: 1, "meeting": before["meeting"] + 1}
    # (inserting the row a second time would be an IntegrityError here)
    assert out["second"] == {"facilitators": before["facilitators"] + 1, new: 2}
    assert seqs(pg_app, mid)[new] == 2
