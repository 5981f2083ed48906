"""Polls: the poll, its options, and how votes are kept (named ballots, or anonymous tallies).

An anonymous poll keeps nothing that links a voter to an answer:

- `PollVoter` says only *that* someone voted (for one vote each): no timestamp, no surrogate id.
- Choice and rating answers are tallies on `PollOption.count`, never rows per vote.
- Text answers are `PollTextAnswer` rows with a random key, no participant, no timestamp.

On SQLite both tables are WITHOUT ROWID, so there is no hidden rowid recording insertion order:
rows sit in primary-key order (participant id; a random key). The vote action also rewrites every
tally and text row of the poll on each vote, so that neither PostgreSQL's `xmin` (the writing
transaction) nor the physical row order lines an answer up with its voter row.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

POLL_KINDS = ("single", "multiple", "rating", "text")
POLL_STATES = ("draft", "open", "closed")
VISIBILITY = ("live", "hidden")
TEXT_ANSWER_MAX = 280


class Poll(db.Model):
    __tablename__ = "polls"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    question: Mapped[str] = mapped_column(String(200))
    # Fixed at creation and shown to voters before they vote.
    anonymous: Mapped[bool] = mapped_column(default=True)
    # Only for named polls: a changed anonymous vote would need the voter linked to the answer.
    allow_change: Mapped[bool] = mapped_column(default=False)
    # "live": everyone sees results as they come in; "hidden": only once published.
    visibility: Mapped[str] = mapped_column(String(8), default="hidden")
    state: Mapped[str] = mapped_column(String(8), default="draft")
    max_choices: Mapped[int | None] = mapped_column()  # multiple choice only
    scale_min: Mapped[int | None] = mapped_column()  # rating only
    scale_max: Mapped[int | None] = mapped_column()
    min_label: Mapped[str | None] = mapped_column(String(40))
    max_label: Mapped[str | None] = mapped_column(String(40))
    template: Mapped[str | None] = mapped_column(String(24))  # the check-in it came from
    voters: Mapped[int] = mapped_column(default=0)  # how many have voted (an aggregate)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    options: Mapped[list[PollOption]] = relationship(
        order_by="PollOption.position", cascade="all, delete-orphan", passive_deletes=True
    )


class PollOption(db.Model):
    """A choice, or one point of a rating scale. `count` is the anonymous tally."""

    __tablename__ = "poll_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column()
    label: Mapped[str] = mapped_column(String(80))
    value: Mapped[int | None] = mapped_column()  # the scale point, for rating polls
    count: Mapped[int] = mapped_column(default=0)


class PollVoter(db.Model):
    """Someone voted in an anonymous poll. Nothing else: not when, not what, not in which order."""

    __tablename__ = "poll_voters"
    __table_args__ = {"sqlite_with_rowid": False}

    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class PollTextAnswer(db.Model):
    """One anonymous open-text answer: a random key (uuid4 hex), the poll, the text. Nothing else."""

    __tablename__ = "poll_text_answers"
    __table_args__ = {"sqlite_with_rowid": False}

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(TEXT_ANSWER_MAX))


class PollBallot(db.Model):
    """A vote in a named poll: who answered what (facilitators only see this)."""

    __tablename__ = "poll_ballots"

    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    choices: Mapped[list] = mapped_column(JSON, default=list)  # option ids (choice and rating polls)
    text: Mapped[str | None] = mapped_column(String(TEXT_ANSWER_MAX))
    voted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
