"""Retention that really deletes: a meeting past its retention period, or one its owner deletes now,
goes with every row that belongs to it. Nothing is soft-deleted or archived.

Every table that holds meeting data reaches `meetings` through ON DELETE CASCADE foreign keys
(SQLite runs with `PRAGMA foreign_keys=ON`), so deleting the meeting row deletes all of it in the
database itself. Each purge is one conditional DELETE in its own transaction: when two processes
purge at once, one deletes the meeting and the other deletes nothing.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from ..access import Actor, require_owner
from ..extensions import db
from ..models import Meeting, utcnow

log = logging.getLogger(__name__)


def expired_meeting_ids(now: datetime | None = None) -> list[int]:
    """Meetings that ended more than their retention period ago."""
    now = now or utcnow()
    rows = db.session.execute(
        select(Meeting.id, Meeting.ended_at, Meeting.retention_days).where(Meeting.ended_at.is_not(None))
    ).all()
    return sorted(mid for mid, ended_at, days in rows if ended_at + timedelta(days=days) <= now)


def _close_sockets(meeting_id: int) -> None:
    """After commit, close every socket still open to the deleted meeting, on whichever worker."""
    from ..events import close_sockets, meeting_sockets_room

    close_sockets(meeting_sockets_room(meeting_id))


def purge_if_expired(meeting_id: int, now: datetime | None = None) -> bool:
    """Delete one meeting if it is (still) expired. True if this call deleted it."""
    now = now or utcnow()
    m = db.session.get(Meeting, meeting_id)
    if m is None or m.ended_at is None or m.ended_at + timedelta(days=m.retention_days) > now:
        return False
    _close_sockets(meeting_id)
    # Conditional on the same facts, so a change (or another process) in between wins.
    deleted = db.session.execute(
        delete(Meeting).where(Meeting.id == meeting_id, Meeting.ended_at == m.ended_at,
                              Meeting.retention_days == m.retention_days)
        .execution_options(synchronize_session=False)).rowcount
    db.session.expunge(m)
    return deleted == 1


def purge_expired(now: datetime | None = None) -> list[int]:
    """Delete every expired meeting, each in its own transaction. Returns the ids this call deleted."""
    now = now or utcnow()
    ids = expired_meeting_ids(now)
    db.session.commit()  # end the read: each delete starts its own transaction (see jobs.py)
    done = []
    for mid in ids:
        try:
            if purge_if_expired(mid, now):
                done.append(mid)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("purge failed for meeting %s", mid)
    if done:
        log.info("purged %d expired meeting(s)", len(done))
    return done


def check_delete_now(actor: Actor) -> None:
    require_owner(actor)


def do_delete_now(meeting: Meeting) -> None:
    """The owner deletes a meeting now, whatever its state: everyone connected is disconnected."""
    mid = meeting.id
    _close_sockets(mid)
    db.session.execute(delete(Meeting).where(Meeting.id == mid).execution_options(synchronize_session=False))
    db.session.expunge(meeting)
