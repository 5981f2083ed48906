"""A running round: opening it, extending, broadcasting, help requests, and people choosing a room."""
from __future__ import annotations

from datetime import datetime, timedelta

from ...access import Actor, meeting_of, owned, require_entered, require_facilitating
from ...errors import Conflict
from ...extensions import db
from ...models import BreakoutAssignment, BreakoutRoom, BreakoutRound, Meeting, utcnow
from ...schemas.breakouts import MAX_SECONDS
from ...views.breakouts import active_round, assignments, people_of, placement, rooms_of
from ..chat import Author, post
from .assigning import do_assign
from .common import LIVE_STATES, MIN_REMAINING_SECONDS, breakout_change, require_state, room_of, round_of, round_reply


def _warn_at(ends_at: datetime, warn_seconds: int, opened_at: datetime) -> datetime | None:
    if not warn_seconds:
        return None
    return max(ends_at - timedelta(seconds=warn_seconds), opened_at)


def check_open(actor: Actor, meeting: Meeting, round_id: int) -> BreakoutRound:
    require_facilitating(actor)
    rnd = round_of(actor, round_id)
    require_state(rnd, "draft")
    if meeting.state not in LIVE_STATES:
        raise Conflict("Rooms can open while the session is open or live.", code="not_live")
    if not rnd.choosing and not assignments(rnd.id):
        raise Conflict("Nobody is in a room yet: assign people, or let them choose.", code="nobody_assigned")
    return rnd


def do_open(meeting: Meeting, rnd: BreakoutRound, now: datetime | None = None) -> None:
    """Start the clock and send everyone assigned to their room."""
    now = now or utcnow()
    with breakout_change(meeting, rnd, reason="opened"):
        # People removed, or gone on purpose, since they were assigned stay out of the rooms.
        people = people_of(meeting.id)
        for a in assignments(rnd.id):
            p = people[a.participant_id]
            if p.removed_at is not None or p.left_at is not None:
                db.session.delete(a)
        rnd.state = "open"
        rnd.opened_at = now
        rnd.ends_at = now + timedelta(seconds=rnd.duration_seconds)
        rnd.warn_at = _warn_at(rnd.ends_at, rnd.warn_seconds, now)


def open_round(actor: Actor, round_id: int) -> dict:
    """breakout.open, whole: check, open the rooms, and the round."""
    meeting = meeting_of(actor)
    rnd = check_open(actor, meeting, round_id)
    do_open(meeting, rnd)
    return round_reply(rnd)


def check_extend(actor: Actor, round_id: int, seconds: int, now: datetime | None = None) -> BreakoutRound:
    require_facilitating(actor)
    rnd = round_of(actor, round_id)
    require_state(rnd, "open")
    now = now or utcnow()
    ends_at = rnd.ends_at + timedelta(seconds=seconds)
    remaining = (ends_at - now).total_seconds()
    if remaining < MIN_REMAINING_SECONDS:
        raise Conflict(f"That leaves less than {MIN_REMAINING_SECONDS} seconds: close the rooms instead.",
                       code="too_short")
    if remaining > MAX_SECONDS:
        raise Conflict(f"Rooms can run for at most {MAX_SECONDS // 3600} hours from now.", code="too_long")
    return rnd


def do_extend(meeting: Meeting, rnd: BreakoutRound, seconds: int, now: datetime | None = None) -> None:
    """Move the deadline; a warning already given is given again if the new end is far enough off."""
    now = now or utcnow()
    with breakout_change(meeting, rnd):
        rnd.ends_at = rnd.ends_at + timedelta(seconds=seconds)
        rnd.warn_at = _warn_at(rnd.ends_at, rnd.warn_seconds, rnd.opened_at)
        if rnd.warn_at is not None and rnd.warn_at > now:
            rnd.warned_at = None


def extend_round(actor: Actor, round_id: int, seconds: int) -> dict:
    """breakout.extend, whole: check, move the deadline, and the round."""
    meeting = meeting_of(actor)
    rnd = check_extend(actor, round_id, seconds)
    do_extend(meeting, rnd, seconds)
    return round_reply(rnd)


def check_broadcast(actor: Actor, round_id: int) -> BreakoutRound:
    require_facilitating(actor)
    rnd = round_of(actor, round_id)
    require_state(rnd, "open")
    return rnd


def do_broadcast(actor: Actor, meeting: Meeting, rnd: BreakoutRound, text: str) -> int:
    """The same message in every room's chat, marked as a broadcast. Returns how many rooms."""
    author = Author.of(actor)
    rooms = rooms_of(rnd.id)
    for room in rooms:
        post(meeting, author, "room", text, room_id=room.id, kind="broadcast")
    return len(rooms)


def broadcast_message(actor: Actor, round_id: int, text: str) -> dict:
    """breakout.broadcast, whole: check, post the message in every room, and how many rooms."""
    meeting = meeting_of(actor)
    rnd = check_broadcast(actor, round_id)
    return {"rooms": do_broadcast(actor, meeting, rnd, text)}


def check_choose(actor: Actor, meeting: Meeting, room_id: int):
    if actor.facilitating:
        raise Conflict("Facilitators visit rooms with breakout.visit.", code="not_participant")
    p = require_entered(actor, meeting)
    rnd = active_round(meeting.id)
    if rnd is None or rnd.state != "open" or not rnd.choosing:
        raise Conflict("Rooms are not open for choosing.", code="not_choosing")
    rnd = round_of(actor, rnd.id)
    room = room_of(rnd, room_id)
    current = db.session.get(BreakoutAssignment, (rnd.id, p.id))
    if current is not None and current.room_id == room.id:
        raise Conflict("You are in that room already.", code="no_change")
    return rnd, p, room


def choose_room(actor: Actor, room_id: int) -> None:
    """breakout.choose, whole: check, then go to the room chosen."""
    meeting = meeting_of(actor)
    rnd, p, room = check_choose(actor, meeting, room_id)
    do_assign(meeting, rnd, p, room, source="choice")


def check_help(actor: Actor, meeting: Meeting) -> tuple[BreakoutRound, BreakoutRoom]:
    if actor.facilitating:
        raise Conflict("Facilitators clear a room's request with breakout.help_clear.", code="not_participant")
    p = require_entered(actor, meeting)
    found = placement(p.id)
    if found is None:
        raise Conflict("You are not in a breakout room.", code="not_in_room")
    return round_of(actor, found[0].id), found[1]


def do_help(meeting: Meeting, rnd: BreakoutRound, room: BreakoutRoom, on: bool) -> bool:
    """Raise (or withdraw) the room's call for a facilitator. Returns whether anything changed."""
    want = utcnow() if on else None
    if (room.help_at is None) == (want is None):
        return False
    with breakout_change(meeting, rnd):
        room.help_at = want
    return True


def ask_for_help(actor: Actor, on: bool) -> dict:
    """breakout.help, whole: check, raise (or withdraw) the room's call, and whether it changed."""
    meeting = meeting_of(actor)
    rnd, room = check_help(actor, meeting)
    return {"changed": do_help(meeting, rnd, room, on)}


def check_help_clear(actor: Actor, room_id: int) -> tuple[BreakoutRound, BreakoutRoom]:
    require_facilitating(actor)
    room = owned(actor, BreakoutRoom, room_id, "room")
    rnd = round_of(actor, room.round_id)
    require_state(rnd, "open")
    if room.help_at is None:
        raise Conflict("This room has not asked for help.", code="no_change")
    return rnd, room


def clear_help(actor: Actor, room_id: int) -> None:
    """breakout.help_clear, whole: check, then clear the room's call for help."""
    meeting = meeting_of(actor)
    rnd, room = check_help_clear(actor, room_id)
    do_help(meeting, rnd, room, False)


