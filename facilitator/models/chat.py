"""Chat: messages on four kinds of channel, the meeting's chat switch and per-person mutes.

Channels: `main` (everyone inside), `room` (one breakout room), `direct` (one participant and
the facilitators; `thread_participant_id` says whose), `backchannel` (facilitators only).
A deleted message is deleted: the row goes, not a flag on it.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow

CHANNELS = ("main", "room", "direct", "backchannel")
MESSAGE_KINDS = ("message", "broadcast")


class ChatMessage(db.Model):
    __tablename__ = "chat_messages"
    __table_args__ = (
        Index("ix_chat_messages_channel", "meeting_id", "channel", "id"),
        Index("ix_chat_messages_author_p", "author_participant_id", "created_at"),
        Index("ix_chat_messages_author_u", "meeting_id", "author_user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(12))
    room_id: Mapped[int | None] = mapped_column(ForeignKey("breakout_rooms.id", ondelete="CASCADE"), index=True)
    thread_participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    author_participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(80))
    author_role: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(12), default="message")
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ChatSettings(db.Model):
    """The meeting's chat switch (no row: chat is on)."""

    __tablename__ = "chat_settings"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=True)


class ChatMute(db.Model):
    """One participant whose chat a facilitator muted (main and room chat; not their line to facilitators)."""

    __tablename__ = "chat_mutes"

    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"),
                                                primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    muted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
