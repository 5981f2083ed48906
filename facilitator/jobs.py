"""Timed jobs: warn breakout rooms before their end, end rounds whose time is up, alert for
connections lost longer than the grace period, and purge meetings past their retention period.

Every server process runs the same loop (`start_jobs`); that is safe because each step is
claimed with a conditional UPDATE that exactly one process wins (see actions/breakouts/ending.py), so
a round is warned once and ended once however many processes try at the same moment. The loop
uses only `socketio.start_background_task` and `socketio.sleep`, so it runs under eventlet,
gevent or threads alike.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from .actions import breakouts, retention, safety
from .extensions import db, socketio
from .liveness import for_app
from .models import utcnow

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 1.0
# Expired meetings are looked for at most this often per process (a scan of ended meetings).
PURGE_INTERVAL_SECONDS = 60.0
_last_purge: float | None = None


def run_due_jobs(now: datetime | None = None) -> dict[str, list[int]]:
    """One pass: send due warnings and end due rounds, each in its own transaction.

    Returns the rounds this call warned and ended (the ones it won). Call inside an app context.
    """
    now = now or utcnow()
    warn, end = breakouts.due_rounds(now)
    # End the read before claiming: on SQLite, a transaction that read before another process
    # wrote could not upgrade to a write; each claim must be the first statement of its own.
    db.session.commit()
    done: dict[str, list[int]] = {"warned": [], "ended": []}
    for key, ids, step in (("ended", end, breakouts.end_if_due), ("warned", warn, breakouts.warn_if_due)):
        for round_id in ids:
            try:
                if step(round_id, now):
                    done[key].append(round_id)
                db.session.commit()
            except Exception:
                db.session.rollback()
                log.exception("breakout job %s failed for round %s", key, round_id)
    # Drop alerts whose grace period is over (a closed connection that did not come back).
    due = safety.due_drops(now)
    db.session.commit()
    for pid, left_at in due:
        try:
            if safety.alert_if_due(pid, left_at) is not None:
                done.setdefault("alerted", []).append(pid)
            db.session.commit()
        except IntegrityError:  # another process raised the same alert first
            db.session.rollback()
        except Exception:
            db.session.rollback()
            log.exception("drop alert job failed for participant %s", pid)
    # Retention: delete meetings past their retention period (each one claimed by a conditional
    # DELETE, so two processes at once delete it once). "purged" appears when this pass deleted any.
    global _last_purge
    if _last_purge is None or time.monotonic() - _last_purge >= PURGE_INTERVAL_SECONDS:
        _last_purge = time.monotonic()
        purged = retention.purge_expired(now)
        if purged:
            done["purged"] = purged
    return done


def _loop(app, interval: float) -> None:
    liveness = for_app(app)  # with several processes: announce this one, clear the rows of dead ones
    last_failure = None
    while True:
        try:
            with app.app_context():
                run_due_jobs()
                if liveness is not None:
                    liveness.step()
            last_failure = None
        except Exception as exc:  # keep the loop alive: the next pass retries whatever is still due
            # Once per kind of failure (a database that is down fails every second), not every pass.
            if repr(exc) != last_failure:
                log.exception("timed jobs pass failed (repeats are not logged)")
            last_failure = repr(exc)
        socketio.sleep(interval)


def start_jobs(app, interval: float | None = None):
    """Start the jobs loop in this process (not under TESTING: tests call run_due_jobs directly)."""
    if app.config.get("TESTING") or app.config.get("JOBS_DISABLED"):
        return None
    interval = interval or app.config.get("JOBS_INTERVAL_SECONDS", INTERVAL_SECONDS)
    log.info("timed jobs every %ss", interval)
    return socketio.start_background_task(_loop, app, interval)
