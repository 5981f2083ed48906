"""Retention on PostgreSQL: four workers purge at the same moment; the expired meeting is deleted once,
with every row of it in every table (the ON DELETE CASCADE chain), and the kept meeting is untouched.

Skipped locally without PostgreSQL on 127.0.0.1:5432; under CI=true a missing server fails.
"""
from __future__ import annotations

from datetime import timedelta


from facilitator.actions import breakouts as bo
from facilitator.actions import safety
from facilitator.actions.meetings import do_create_meeting, do_set_state
from facilitator.actions.participants import do_connect, do_disconnect, do_join
from facilitator.actions.retention import purge_expired
from facilitator.actions.rules import do_ack
from facilitator.extensions import db
from facilitator.models import Meeting, Participant, User, utcnow
from facilitator.rule_templates import default_rules

from .support import at_once, dump_db, facilitator

WORKERS = 4


def _meeting(user, tag: str) -> int:
    m = do_create_meeting(user, {"title": f"CANARY-{tag}"}, default_rules())
    db.session.commit()
    fac = facilitator(m.id, user.id)
    do_set_state(fac, m, "live")
    pids = []
    for i in range(3):
        p, _ = do_join(m, {"display_name": f"CANARY-{tag}-{i}", "group_tag": None})
        do_ack(p, m)
        pids.append(p.id)
    db.session.commit()
    people = [db.session.get(Participant, pid) for pid in pids]
    safety.do_give_contact(people[0], f"CANARY-{tag} phone")
    safety.do_set_plan(fac, people[1], f"CANARY-{tag} plan")
    do_connect(m, f"{tag}-sid", "w", participant=people[2])
    db.session.commit()
    do_disconnect(f"{tag}-sid", "ping timeout")
    db.session.commit()
    rnd = bo.do_create(m, {"names": [f"CANARY-{tag} room"], "duration_seconds": 600, "warn_seconds": 120})
    db.session.commit()
    bo.do_auto(m, bo.check_auto(fac, rnd.id, "random"), "random")
    db.session.commit()
    do_set_state(fac, m, "ended")
    db.session.commit()
    return m.id


def test_concurrent_purges_delete_the_expired_meeting_once_and_completely(pg_app):
    with pg_app.app_context():
        user = User(email="f@example.org", display_name="Fran", password_hash="x")
        db.session.add(user)
        db.session.commit()
        gone, kept = _meeting(user, "A"), _meeting(user, "B")
        db.session.get(Meeting, gone).ended_at = utcnow() - timedelta(days=31)
        db.session.commit()
    before = dump_db(pg_app)
    assert before["drop_alerts"] and before["contact_plans"] and before["breakout_assignments"]

    results, errors = at_once(pg_app, WORKERS, purge_expired)
    assert errors == [] and sorted(results) == [[]] * (WORKERS - 1) + [[gone]], results

    after = dump_db(pg_app)
    for table, rows in after.items():
        assert all(row in before[table] for row in rows), table
        assert "CANARY-A" not in repr(rows), table
    for table in ("participants", "contact_plans", "drop_alerts", "breakout_rounds", "breakout_assignments",
                  "event_streams", "ground_rules", "rule_acks", "breakout_rooms"):
        assert len(after[table]) * 2 == len(before[table]), table
    assert "CANARY-B" in repr(after["participants"]) and after["users"] == before["users"]
    with pg_app.app_context():
        assert db.session.get(Meeting, kept) is not None and db.session.get(Meeting, gone) is None
