"""Safeguarding: contact plans and drop alerts. Facilitator-only; deleted with the meeting."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow

# Socket.IO disconnect reasons that mean the connection was lost, not closed on purpose.
UNEXPECTED_REASONS = ("ping timeout", "transport close", "transport error")


class ContactPlan(db.Model):
    """How to reach one participant if their connection drops, and what was agreed.

    `given` is what the participant wrote themselves (at joining or later): they may see it, and
    nothing else of anyone's plan. `plan` is the facilitators' note and is never shown to them.
    """

    __tablename__ = "contact_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), unique=True)
    given: Mapped[str | None] = mapped_column(String(300))
    given_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    plan: Mapped[str | None] = mapped_column(String(600))
    plan_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    plan_updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class DropAlert(db.Model):
    """A participant's last connection was lost without them leaving: facilitators should reach out.

    Open while neither resolved (the person came back) nor acknowledged by a facilitator.
    """

    __tablename__ = "drop_alerts"
    __table_args__ = (
        # At most one unresolved alert per person, however many workers see connections close.
        Index("uq_drop_alerts_unresolved", "participant_id", unique=True,
              sqlite_where=text("resolved_at IS NULL"), postgresql_where=text("resolved_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(32))
    dropped_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class SafetySettings(db.Model):
    """Per-meeting safeguarding settings (no row: the defaults)."""

    __tablename__ = "safety_settings"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    # Participants must give contact details (phone or other) to join.
    require_contact: Mapped[bool] = mapped_column(default=False)
