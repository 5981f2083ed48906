"""The floor: raised hands, speaking turns and go-rounds."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow

HAND_KINDS = ("process", "reply", "new")  # in order of precedence
TURN_SOURCES = ("queue", "direct", "goround")


class Hand(db.Model):
    """A raised hand. Order in the queue is `order_key` (then id): set by the rules at raise time,
    and changed only by a facilitator's move or a change of ordering mode."""

    __tablename__ = "hands"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), unique=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    order_key: Mapped[float] = mapped_column()


class Turn(db.Model):
    """One speaking turn: who had the floor, from when to when, and how they got it."""

    __tablename__ = "turns"
    __table_args__ = (
        # At most one open turn (one current speaker) per meeting, whatever the workers do.
        Index("uq_turns_open_per_meeting", "meeting_id", unique=True,
              sqlite_where=text("ended_at IS NULL"), postgresql_where=text("ended_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(16))
    hand_kind: Mapped[str | None] = mapped_column(String(16))
    goround_id: Mapped[int | None] = mapped_column(ForeignKey("gorounds.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a go-round's time box
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    passed: Mapped[bool] = mapped_column(default=False)


class GoRound(db.Model):
    """A structured round: everyone in `order` gets the floor in turn for `seconds` each."""

    __tablename__ = "gorounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    order: Mapped[list] = mapped_column(JSON)
    seconds: Mapped[int] = mapped_column()
    index: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
