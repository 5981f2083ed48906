"""Who hears what, decided in one place.

`streams` says which event streams an actor receives, from their role and where they stand
(entered or still reading the rules, removed, placed in a breakout room). Everything else follows
from it: the rooms a connection is put in (`rooms`, used by sockets/connection.py) and the streams
whose positions a snapshot reports (`snapshot_streams`, used by state.py). This decides who
receives contact plans and support requests, so tests/unit/test_audience.py enumerates it.
"""
from __future__ import annotations

from dataclasses import dataclass

from .access import FACILITATING, Actor
from .events import account_room, meeting_sockets_room, participant_stream, person_room, stream_room
from .views.breakouts import room_id_of, room_stream


@dataclass(frozen=True)
class Standing:
    """What decides an actor's streams."""

    role: str
    participant_id: int | None = None
    user_id: int | None = None
    entered: bool = False  # accepted the ground rules (people only)
    removed: bool = False
    room_id: int | None = None  # their breakout room in an open round (people only)

    @property
    def facilitating(self) -> bool:
        return self.role in FACILITATING

    @property
    def gated(self) -> bool:
        """Outside the meeting's room: still reading the rules, or removed."""
        return not self.facilitating and (self.removed or not self.entered)


def standing(actor: Actor, participant=None) -> Standing:
    """Read where an actor stands now (one query for a participant who has entered)."""
    if actor.facilitating:
        return Standing(actor.role, user_id=actor.user_id)
    removed = participant.removed_at is not None
    entered = participant.rules_version_acked is not None
    room_id = None
    if entered and not removed:
        room_id = room_id_of(participant.id)
    return Standing(actor.role, participant_id=participant.id, entered=entered, removed=removed, room_id=room_id)


def streams(s: Standing) -> list[str]:
    """The streams this actor receives. Facilitators hear every breakout room on their own stream."""
    if s.facilitating:
        return ["meeting", "facilitators"]
    own = participant_stream(s.participant_id)
    if s.removed:
        return [own]
    if not s.entered:
        return [own, "gate"]
    return ["meeting", own] + ([room_stream(s.room_id)] if s.room_id is not None else [])


def snapshot_streams(s: Standing) -> list[str]:
    """The numbered streams a snapshot reports positions for (gate notices carry no number)."""
    return [name for name in streams(s) if name != "gate"]


def rooms(meeting_id: int, s: Standing) -> set[str]:
    """The Socket.IO rooms a connection belongs in: one per stream it receives, plus the rooms that
    carry no events and say which sockets to close (the meeting's, the person's, the account's)."""
    out = {stream_room(meeting_id, name) for name in streams(s)} | {meeting_sockets_room(meeting_id)}
    if s.facilitating:
        out.add(account_room(s.user_id))
    else:
        out.add(person_room(s.participant_id))
    return out
