"""Standing signals (slow down, need a break, ...) and the private "I need support" signal."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow

SIGNAL_KINDS = ("slow_down", "need_break", "cant_hear", "stepped_away")


class Signal(db.Model):
    """A standing signal: on until the participant or a facilitator clears it (survives reconnects)."""

    __tablename__ = "signals"
    __table_args__ = (UniqueConstraint("participant_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SupportRequest(db.Model):
    """"I need support": seen by facilitators only; the sender privately learns it was seen."""

    __tablename__ = "support_requests"
    __table_args__ = (
        # At most one pending request per person, however many times (or workers) they press it.
        Index("uq_support_requests_pending", "participant_id", unique=True,
              sqlite_where=text("acknowledged_at IS NULL AND withdrawn_at IS NULL"),
              postgresql_where=text("acknowledged_at IS NULL AND withdrawn_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
