"""The agenda of a meeting, its minutes (notes, decisions, actions), "what I heard" summaries,
and saved meeting templates.

Time is stored, never counted: an item that is running has `started_at` (this run) and
`ends_at` (its deadline, moved by extend); `actual_seconds` holds the time of runs already
closed, so going back to an item adds to it.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow

ITEM_KINDS = ("discussion", "decision", "checkin", "break")
BREAK_AFTER_MINUTES = 50  # prompt for a break after this long without one (0 turns it off)


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"
    __table_args__ = (
        # At most one running item per meeting, whatever the workers do.
        Index("uq_agenda_items_running", "meeting_id", unique=True,
              sqlite_where=text("started_at IS NOT NULL"), postgresql_where=text("started_at IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16), default="discussion")
    # The presenter: a participant of the meeting, or a free name (someone not in the tool).
    presenter_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"))
    presenter_name: Mapped[str | None] = mapped_column(String(80))
    planned_seconds: Mapped[int] = mapped_column()
    extended_seconds: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # this run; set only while running
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # this run's deadline
    first_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when its last run closed
    actual_seconds: Mapped[float] = mapped_column(default=0.0)  # closed runs only
    notes: Mapped[str] = mapped_column(Text, default="")


class AgendaSettings(db.Model):
    """Per-meeting agenda settings (no row: the defaults)."""

    __tablename__ = "agenda_settings"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    break_after_minutes: Mapped[int] = mapped_column(default=BREAK_AFTER_MINUTES)


class Decision(db.Model):
    __tablename__ = "agenda_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ActionItem(db.Model):
    """An action agreed in the meeting: what, who owns it (a name as written), by when."""

    __tablename__ = "agenda_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(String(500))
    owner: Mapped[str] = mapped_column(String(80))
    due: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HeardSummary(db.Model):
    """A "what I heard" summary posted back to the group; pinned while `cleared_at` is null."""

    __tablename__ = "heard_summaries"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(String(1000))
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    posted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MeetingTemplate(db.Model):
    """A facilitator's saved meeting setup: ground rules, agenda and settings, to start from."""

    __tablename__ = "meeting_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    rules: Mapped[list] = mapped_column(JSON)
    agenda: Mapped[list] = mapped_column(JSON)
    settings: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
