"""Breakout rounds: the rooms of a round, who is in which room, and which facilitator is where.

A round goes draft -> open -> closed. Its deadline (`ends_at`) and the moment of its warning
(`warn_at`) are stored, never a countdown, so any worker can end it; `warned_at` and the state
are only ever changed by conditional UPDATEs that exactly one worker can win.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow

ROUND_STATES = ("draft", "open", "closed")
ASSIGN_MODES = ("random", "balanced", "reuse")
ASSIGN_SOURCES = ("auto", "manual", "choice", "late")
CLOSE_REASONS = ("ended", "closed")


class BreakoutRound(db.Model):
    __tablename__ = "breakout_rounds"
    __table_args__ = (
        # At most one round being prepared or running per meeting, whatever the workers do.
        Index("uq_breakout_rounds_active_per_meeting", "meeting_id", unique=True,
              sqlite_where=text("state != 'closed'"), postgresql_where=text("state != 'closed'")),
        Index("ix_breakout_rounds_due", "state", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(8), default="draft")
    mode: Mapped[str | None] = mapped_column(String(16))  # the last automatic assignment used
    choosing: Mapped[bool] = mapped_column(default=False)  # participants may pick their own room
    duration_seconds: Mapped[int] = mapped_column()
    warn_seconds: Mapped[int] = mapped_column(default=120)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    warn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # ends_at - warn_seconds; None: no warning
    warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    close_reason: Mapped[str | None] = mapped_column(String(8))


class BreakoutRoom(db.Model):
    __tablename__ = "breakout_rooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("breakout_rounds.id", ondelete="CASCADE"), index=True)
    # Denormalised so that "is this room in my meeting?" is one lookup.
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(String(40))
    help_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # someone in the room asked for help


class BreakoutAssignment(db.Model):
    """One participant (or observer) placed in one room of a round."""

    __tablename__ = "breakout_assignments"

    round_id: Mapped[int] = mapped_column(ForeignKey("breakout_rounds.id", ondelete="CASCADE"), primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"),
                                                primary_key=True, index=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("breakout_rooms.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(8), default="manual")
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BreakoutStaff(db.Model):
    """A facilitator or co-facilitator placed in (visiting) one room of a round; shown to its members."""

    __tablename__ = "breakout_staff"

    round_id: Mapped[int] = mapped_column(ForeignKey("breakout_rounds.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("breakout_rooms.id", ondelete="CASCADE"), index=True)
    since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
