"""Attendance: the stretches of time each person was in the meeting, for the session report.

A stretch opens when someone's first connection arrives and closes when they leave on purpose
(`left`), are removed (`removed`), lose their connection (the Socket.IO reason, e.g. `transport
close`), or the meeting ends with them inside (`ended`). Coming back within the drop grace period
(a page reload) continues the same stretch instead of starting another.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from ..extensions import db
from ..models import Attendance, Participant

DELIBERATE = ("left", "removed", "ended")


def grace() -> timedelta:
    return timedelta(seconds=current_app.config.get("DROP_ALERT_GRACE_SECONDS", 0))


def last_stretch(participant_id: int) -> Attendance | None:
    return db.session.execute(
        select(Attendance).where(Attendance.participant_id == participant_id).order_by(Attendance.id.desc()).limit(1)
    ).scalar_one_or_none()


def arrive(p: Participant, now: datetime) -> None:
    """`p` connected: continue their open stretch, resume one that a short drop closed, or start one."""
    last = last_stretch(p.id)
    if last is not None and last.left_at is None:
        return
    if last is not None and last.how not in DELIBERATE and now - last.left_at <= grace():
        last.left_at, last.how = None, None
    else:
        db.session.add(Attendance(meeting_id=p.meeting_id, participant_id=p.id, joined_at=now))
    db.session.flush()


def depart(p: Participant, now: datetime, how: str) -> None:
    """Close `p`'s open stretch (if any) saying how it ended."""
    last = last_stretch(p.id)
    if last is not None and last.left_at is None:
        last.left_at, last.how = now, how[:16]
        db.session.flush()


def end_all(meeting_id: int, now: datetime) -> None:
    """The meeting ended: everyone still inside leaves with it."""
    db.session.execute(update(Attendance).where(Attendance.meeting_id == meeting_id, Attendance.left_at.is_(None))
                       .values(left_at=now, how="ended"))
    db.session.flush()


def stretches(meeting_id: int) -> list[Attendance]:
    return list(db.session.execute(
        select(Attendance).where(Attendance.meeting_id == meeting_id).order_by(Attendance.participant_id,
                                                                                Attendance.joined_at)).scalars())
