"""The go-round on PostgreSQL: facilitators pressing "Next in round" at the same moment (each on
its own connection, as on several workers) move the round on by one person, not by several.

Skipped locally without PostgreSQL on 127.0.0.1:5432; under CI=true a missing server fails.
"""
from __future__ import annotations

from facilitator.actions import floor
from facilitator.actions.participants import do_connect, do_join
from facilitator.actions.rules import do_ack
from facilitator.extensions import db
from facilitator.models import GoRound, Meeting, Turn

from .support import live_pg_meeting, press_at_once

PRESSES = 4


def test_next_in_round_pressed_at_once_moves_one_place(pg_app):
    mid, fac = live_pg_meeting(pg_app, "PG round")
    with pg_app.app_context():
        m = db.session.get(Meeting, mid)
        ids = []
        for name in ("Ana", "Ben", "Cy"):
            p, _ = do_join(m, {"display_name": name})
            do_ack(p, m)
            do_connect(m, f"sid-{name}", "pg", participant=p)  # the round passes over anyone not connected
            ids.append(p.id)
        floor.do_goround_start(m, floor.check_goround_start(fac, m, ids), 60, False)
        db.session.commit()

    outcomes, errors = press_at_once(
        pg_app, mid, PRESSES, lambda meeting: floor.do_goround_next(meeting, floor.check_goround_next(fac, meeting, 0)))
    assert errors == [] and sorted(outcomes) == ["moved"] + ["stale_index"] * (PRESSES - 1), (outcomes, errors)
    with pg_app.app_context():
        rnd = db.session.execute(db.select(GoRound).where(GoRound.meeting_id == mid)).scalar_one()
        assert rnd.index == 1
        open_turns = db.session.execute(db.select(Turn.participant_id).where(
            Turn.meeting_id == mid, Turn.ended_at.is_(None))).scalars().all()
        assert open_turns == [ids[1]]
