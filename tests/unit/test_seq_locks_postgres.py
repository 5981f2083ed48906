"""Event numbers under real concurrency on PostgreSQL: two transactions of one meeting that
publish its streams in opposite orders (a floor change: meeting then facilitators; a vote:
facilitators then meeting) both commit, with no deadlock and no gap.

Numbers (and their locks) are taken at commit, not when an event is published, so the pause
between the two publishes below overlaps the transactions without either holding a lock yet. How
they queue once they do hold locks (between numbering and commit) is tested in
`test_seq_gate_postgres.py`.

Skipped locally without PostgreSQL on 127.0.0.1:5432; under CI=true a missing server fails.
"""
from __future__ import annotations

import threading

from facilitator.actions.meetings import do_create_meeting
from facilitator.events import publish
from facilitator.extensions import db
from facilitator.models import EventStream, User
from facilitator.schemas.meetings import MeetingOut, MeetingPrivateOut


def test_opposite_publish_orders_in_one_meeting_do_not_deadlock(pg_app):
    with pg_app.app_context():
        user = User(email="f@example.org", display_name="Fran", password_hash="x")
        db.session.add(user)
        db.session.flush()
        meeting = do_create_meeting(user, {"title": "Group"})
        mid = meeting.id
        db.session.commit()
        before = dict(db.session.execute(db.select(EventStream.stream, EventStream.seq)
                                         .where(EventStream.meeting_id == mid)).all())
        public, private = MeetingOut().dump(meeting), MeetingPrivateOut().dump(meeting)

    first_holds = threading.Event()
    outcome: dict[str, object] = {}

    def run(name, streams, hold=None, wait=None):
        with pg_app.app_context():
            try:
                if wait is not None:
                    wait.wait(10)
                for i, stream in enumerate(streams):
                    data = public if stream == "meeting" else private
                    publish(mid, stream, "meeting", "updated" if stream == "meeting" else "private", data)
                    if i == 0 and hold is not None:
                        hold.set()
                        # Let the other transaction publish in its own order meanwhile.
                        threading.Event().wait(0.5)
                db.session.commit()
                outcome[name] = "committed"
            except Exception as exc:  # a deadlock is raised here, in one of the two
                db.session.rollback()
                outcome[name] = type(exc).__name__

    floor = threading.Thread(target=run, args=("floor", ["meeting", "facilitators"]), kwargs={"hold": first_holds})
    vote = threading.Thread(target=run, args=("vote", ["facilitators", "meeting"]), kwargs={"wait": first_holds})
    floor.start()
    vote.start()
    floor.join(30)
    vote.join(30)
    assert outcome == {"floor": "committed", "vote": "committed"}
    with pg_app.app_context():
        seqs = dict(db.session.execute(db.select(EventStream.stream, EventStream.seq)
                                       .where(EventStream.meeting_id == mid)).all())
    assert seqs == {"meeting": before["meeting"] + 2, "facilitators": before["facilitators"] + 2}
