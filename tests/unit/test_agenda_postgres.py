"""The agenda on PostgreSQL: facilitators pressing Next at the same moment (each on its own
connection, as on several workers) start exactly one item; the others are told the agenda has
moved on, and the running item's clock and the minutes read back the same on this dialect.

Skipped locally without PostgreSQL on 127.0.0.1:5432; under CI=true a missing server fails.
"""
from __future__ import annotations

from facilitator.actions import agenda as ag
from facilitator.views import agenda as agv
from facilitator.actions import minutes as mn
from facilitator.extensions import db
from facilitator.models import AgendaItem, Meeting

from .support import live_pg_meeting, press_at_once

PRESSES = 4


def test_next_pressed_at_once_starts_one_item(pg_app):
    mid, fac = live_pg_meeting(pg_app, "PG agenda")
    with pg_app.app_context():
        m = db.session.get(Meeting, mid)
        for title in ("Check-in", "Case review", "Actions"):
            ag.do_add(m, {"title": title, "kind": "discussion", "planned_seconds": 600})
        db.session.commit()

    outcomes, errors = press_at_once(pg_app, mid, PRESSES,
                                     lambda meeting: ag.do_move(meeting, ag.check_next(fac, meeting, None)))
    assert errors == [] and sorted(outcomes) == ["moved"] + ["stale"] * (PRESSES - 1), (outcomes, errors)
    with pg_app.app_context():
        items = ag.items_of(mid)
        assert [(i.title, i.started_at is not None) for i in items] == [
            ("Check-in", True), ("Case review", False), ("Actions", False)]
        first = items[0]
        assert (first.ends_at - first.started_at).total_seconds() == 600
        meeting = db.session.get(Meeting, mid)
        mn.do_add_action(meeting, first, {"what": "Send the notes", "owner": "Fran", "due": None})
        db.session.commit()
        minutes = agv.minutes_for(meeting)
        assert [(i["title"], i["state"], [a["what"] for a in i["actions"]]) for i in minutes["items"]] == [
            ("Check-in", "running", ["Send the notes"]), ("Case review", "pending", []), ("Actions", "pending", [])]
        assert db.session.execute(db.select(db.func.count()).select_from(AgendaItem).where(
            AgendaItem.meeting_id == mid, AgendaItem.started_at.is_not(None))).scalar_one() == 1
