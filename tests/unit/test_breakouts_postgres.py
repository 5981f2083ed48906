"""Breakouts on PostgreSQL: the warning and the end are claimed exactly once when several workers
run the job at the same moment (row locks and READ COMMITTED re-checks, not SQLite's one writer),
and the room and chat views work on this dialect too.

Skipped locally without PostgreSQL on 127.0.0.1:5432; under CI=true a missing server fails.
"""
from __future__ import annotations

import threading
from datetime import timedelta


from facilitator.actions import breakouts as bo
from facilitator.views import breakouts as bov
from facilitator.actions import chat
from facilitator.actions.meetings import do_create_meeting, do_set_state
from facilitator.actions.participants import do_join
from facilitator.actions.rules import do_ack
from facilitator.extensions import db, socketio
from facilitator.jobs import run_due_jobs
from facilitator.models import BreakoutRound, Meeting, User
from facilitator.rule_templates import default_rules
from facilitator.state import snapshot

from .support import at_once, facilitator, participant

WORKERS = 4


def _running_round(app, people=4):
    """An open round of two rooms with `people` participants; returns ids."""
    with app.app_context():
        user = User(email="f@example.org", display_name="Fran", password_hash="x")
        db.session.add(user)
        db.session.commit()
        m = do_create_meeting(user, {"title": "PG"}, default_rules())
        db.session.commit()
        fac = facilitator(m.id, user.id)
        do_set_state(fac, m, "live")
        pids = []
        for i in range(people):
            p, _ = do_join(m, {"display_name": f"P{i}", "group_tag": None})
            do_ack(p, m)
            pids.append(p.id)
        db.session.commit()
        rnd = bo.do_create(m, {"rooms": 2, "duration_seconds": 600, "warn_seconds": 120})
        db.session.commit()
        bo.do_auto(m, bo.check_auto(fac, rnd.id, "random"), "random")
        db.session.commit()
        bo.do_open(m, bo.check_open(fac, m, rnd.id))
        db.session.commit()
        return m.id, user.id, rnd.id, pids, db.session.get(BreakoutRound, rnd.id).ends_at


def _race(app, now):
    """`WORKERS` threads, each with its own session and connection, run the job at once."""
    results, errors = at_once(app, WORKERS, lambda: run_due_jobs(now))
    assert errors == [] and len(results) == WORKERS
    return results


def test_concurrent_jobs_warn_once_and_end_once(pg_app, monkeypatch):
    mid, _uid, rid, pids, ends = _running_round(pg_app)
    sent = []
    lock = threading.Lock()

    def emit(name, env, to=None):
        with lock:
            sent.append(env)

    monkeypatch.setattr(socketio, "emit", emit)
    results = _race(pg_app, ends - timedelta(seconds=60))
    assert sorted(len(r["warned"]) for r in results) == [0] * (WORKERS - 1) + [1], results
    warnings = [e["stream"] for e in sent if e["op"] == "warning"]
    assert len(warnings) == len(set(warnings)) == 2, "each of the two rooms warned once"
    sent.clear()
    results = _race(pg_app, ends + timedelta(seconds=1))
    assert sorted(len(r["ended"]) for r in results) == [0] * (WORKERS - 1) + [1], results
    returned = [e["stream"] for e in sent if (e["type"], e["op"]) == ("breakout", "returned")]
    assert sorted(returned) == sorted(f"p{pid}" for pid in pids), "everyone returned, once each"
    with pg_app.app_context():
        rnd = db.session.get(BreakoutRound, rid)
        assert (rnd.state, rnd.close_reason) == ("closed", "ended")


def test_views_and_chat_history_on_postgresql(pg_app):
    mid, uid, rid, pids, _ends = _running_round(pg_app)
    with pg_app.app_context():
        m = db.session.get(Meeting, mid)
        for pid in pids:
            actor = participant(mid, pid)
            text = f"hi from {pid}"
            chat.do_send(m, chat.check_send(actor, m, {"channel": "room", "text": text}), text)
            chat.do_send(m, chat.check_send(actor, m, {"channel": "direct", "text": "psst"}), "psst")
        db.session.commit()
        fac = snapshot(m, facilitator(mid, uid))
        assert len(fac["private"]["chat"]["rooms"]) == len(pids)
        assert len(fac["private"]["chat"]["direct"]) == len(pids)
        mine = snapshot(m, participant(mid, pids[0]))
        assert [x["text"] for x in mine["breakout"]["chat"]] == [
            f"hi from {pid}" for pid in pids if bov.room_id_of(pid) == bov.room_id_of(pids[0])]
