"""Meetings (a "session" in the UI), their co-facilitators and their event streams."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

KINDS = ("group", "training", "mdt")
STATES = ("draft", "open", "live", "paused", "ended")


class Meeting(db.Model):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16), default="group")
    state: Mapped[str] = mapped_column(String(16), default="draft")
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    group_tags: Mapped[list] = mapped_column(JSON, default=list)
    retention_days: Mapped[int] = mapped_column(default=30)
    # Short code people type; a link carries the same code.
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    # Secrets behind the observer link and the co-facilitator invitation link.
    observer_key: Mapped[str] = mapped_column(String(64), unique=True)
    cofac_key: Mapped[str] = mapped_column(String(64), unique=True)
    rules_version: Mapped[int] = mapped_column(default=0)
    # Raise-hand queue ordering for new points: "time" (first come) or "quiet" (least talk first).
    queue_mode: Mapped[str] = mapped_column(String(8), default="time", server_default="time")
    rules_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Shown to participants after they leave or the meeting ends; None: the default text.
    after_text: Mapped[str | None] = mapped_column(String(1000))
    # Whether the session report includes the chat transcript (off unless the facilitator says so).
    report_chat: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    owner = relationship("User")
    cofacilitators: Mapped[list["CoFacilitator"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )
    rules = relationship(
        "GroundRule", order_by="GroundRule.position", cascade="all, delete-orphan", back_populates="meeting"
    )


class CoFacilitator(db.Model):
    """A facilitator account invited to help run one meeting."""

    __tablename__ = "cofacilitators"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="cofacilitators")
    user = relationship("User")


class EventStream(db.Model):
    """The last sequence number handed out on one stream of one meeting.

    Streams are `meeting` (everyone inside), `facilitators`, and `p<id>` (one participant).
    Each audience has its own counter so that nobody sees a gap where an event meant for
    others went by: a gap would itself leak that something private happened.
    """

    __tablename__ = "event_streams"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    stream: Mapped[str] = mapped_column(String(24), primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
