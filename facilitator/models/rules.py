"""Ground rules, their acknowledgements and reusable rule sets."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow


class GroundRule(db.Model):
    __tablename__ = "ground_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)

    meeting = relationship("Meeting", back_populates="rules")


class RuleAck(db.Model):
    """One acknowledgement of one version of a meeting's rules, with its time."""

    __tablename__ = "rule_acks"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column()
    acked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RuleSet(db.Model):
    """A facilitator's saved set of ground rules, to start the next meeting from."""

    __tablename__ = "rule_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    items: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
