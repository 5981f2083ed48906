"""People in a meeting without an account, and live connections."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow

ROLES = ("participant", "observer")
PRESENCE = ("connected", "reconnecting", "left")


class Participant(db.Model):
    """A participant or observer. Identified by a browser-held token, of which only a hash is kept."""

    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(40))
    group_tag: Mapped[str | None] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(16), default="participant")
    mic: Mapped[str] = mapped_column(String(8), default="muted")
    camera: Mapped[str] = mapped_column(String(8), default="off")
    presence: Mapped[str] = mapped_column(String(16), default="left")
    rules_version_acked: Mapped[int | None] = mapped_column()
    rules_acked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def has_acked(self, version: int) -> bool:
        return self.rules_version_acked is not None and self.rules_version_acked >= version


class Connection(db.Model):
    """One open Socket.IO connection, so presence is known to every worker, not one process."""

    __tablename__ = "connections"

    sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    worker: Mapped[str] = mapped_column(String(64))
    connected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
