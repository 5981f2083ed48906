"""Retention that really deletes: a meeting past its retention period, or one its owner deletes now,
goes with every row that belongs to it. Nothing is soft-deleted or archived.

Every table that holds meeting data reaches `meetings` through ON DELETE CASCADE foreign keys
(SQLite runs with `PRAGMA foreign_keys=ON`), so deleting the meeting row deletes all of it in the
database itself. Each purge is one conditional DELETE in its own transaction: when two processes
purge at once, one deletes the meeting and the other deletes nothing.

On SQLite the rows must also leave the disk: every connection overwrites deleted content
(`secure_delete`, set in app.py), and once a delete has committed the write-ahead log, which
still holds copies of the pages as they were before, is checkpointed into the database file
and truncated to nothing (`checkpoint_wal`). PostgreSQL keeps dead rows until VACUUM (see
SECURITY.md).
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from ..access import Actor, require_owner
from ..events import after_commit, close_sockets, meeting_sockets_room
from ..extensions import db, socketio
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
    close_sockets(meeting_sockets_room(meeting_id))


# Attempts at a checkpoint that other connections keep busy, and the pause between two.
CHECKPOINT_ATTEMPTS = 3
CHECKPOINT_PAUSE_SECONDS = 0.05
# A checkpoint that stayed busy is owed: the next purge pass (every minute) tries it again.
_checkpoint_owed = False


def checkpoint_wal() -> bool:
    """SQLite: copy the write-ahead log into the database file and truncate it to zero bytes, so
    the text of deleted rows no longer sits in old page images in the log. True when done (or
    nothing to do: another database, or not in WAL mode); False if other connections kept it busy.

    Never waits on a lock inside SQLite: under eventlet a busy wait is a blocking C call that
    stops every green thread, the one holding the lock included, for the whole busy timeout.
    The connection's busy timeout is set to 0 for the checkpoint (and put back), and a busy
    attempt is retried after `socketio.sleep`, which yields to the others; after the last one
    the checkpoint is owed to the next purge pass. A busy checkpoint still copies what it can."""
    global _checkpoint_owed
    engine = db.engine
    if engine.dialect.name != "sqlite":
        return True
    for attempt in range(CHECKPOINT_ATTEMPTS):
        if attempt:
            socketio.sleep(CHECKPOINT_PAUSE_SECONDS)
        with engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            if raw.in_transaction:  # (a pooled connection is reset when checked in; never expected)
                raw.rollback()
            cur = raw.cursor()
            try:
                timeout = cur.execute("PRAGMA busy_timeout").fetchone()[0]
                cur.execute("PRAGMA busy_timeout=0")
                try:
                    busy, _log, _copied = cur.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                finally:
                    cur.execute(f"PRAGMA busy_timeout={int(timeout)}")
            finally:
                cur.close()
        if not busy:
            _checkpoint_owed = False
            return True
    _checkpoint_owed = True
    log.warning("the write-ahead log could not be checkpointed after a delete (database busy): "
                "the next purge pass tries again")
    return False


def _checkpoint_after_commit() -> None:
    """Once the delete has committed (and its connection is back in the pool), checkpoint."""
    after_commit(checkpoint_wal)


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
    if deleted == 1:
        _checkpoint_after_commit()
    return deleted == 1


def purge_expired(now: datetime | None = None) -> list[int]:
    """Delete every expired meeting, each in its own transaction. Returns the ids this call deleted."""
    now = now or utcnow()
    if _checkpoint_owed:
        checkpoint_wal()
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


def delete_now(actor: Actor, meeting: Meeting) -> None:
    """The whole action: check, then delete."""
    check_delete_now(actor)
    do_delete_now(meeting)


def do_delete_now(meeting: Meeting) -> None:
    """The owner deletes a meeting now, whatever its state: everyone connected is disconnected."""
    mid = meeting.id
    _close_sockets(mid)
    db.session.execute(delete(Meeting).where(Meeting.id == mid).execution_options(synchronize_session=False))
    db.session.expunge(meeting)
    _checkpoint_after_commit()
