"""Preparing a breakout round: creating it, its settings, rooms, and whether people choose their own."""
from __future__ import annotations

from ...access import Actor, meeting_of, owned, require_facilitating
from ...errors import Conflict, Invalid
from ...events import publish
from ...extensions import db
from ...models import BreakoutRoom, BreakoutRound, Meeting
from ...schemas.breakouts import MAX_ROOMS
from ...schemas.common import IdOut, shared
from ...views.breakouts import active_round, round_view
from .common import breakout_change, require_state, round_of, round_reply


def check_create(actor: Actor, meeting: Meeting, data: dict) -> None:
    require_facilitating(actor)
    if meeting.state == "ended":
        raise Conflict("This session has ended.", code="meeting_ended")
    count = len(data["names"]) if "names" in data else data["rooms"]
    if not 1 <= count <= MAX_ROOMS:  # the schema refuses it too; the action does not rely on it
        raise Invalid(fields={"rooms": [f"Between 1 and {MAX_ROOMS} rooms."]})
    if active_round(meeting.id) is not None:
        raise Conflict("A breakout round is already being prepared or running: open, close or discard it first.",
                       code="round_exists")


def do_create(meeting: Meeting, data: dict) -> BreakoutRound:
    """A draft round with its rooms (named, or "Room 1".."Room N"), nobody assigned yet."""
    names = data.get("names") or [f"Room {i}" for i in range(1, data["rooms"] + 1)]
    rnd = BreakoutRound(meeting_id=meeting.id, state="draft", choosing=data.get("choosing", False),
                        duration_seconds=data["duration_seconds"], warn_seconds=data["warn_seconds"])
    db.session.add(rnd)
    db.session.flush()
    for i, name in enumerate(names, start=1):
        db.session.add(BreakoutRoom(round_id=rnd.id, meeting_id=meeting.id, position=i, name=name))
    db.session.flush()
    publish(meeting.id, "facilitators", "breakouts", "round", round_view(rnd))
    return rnd


def create_round(actor: Actor, data: dict) -> dict:
    """breakout.create, whole: check, prepare the draft round, and the round for the reply."""
    meeting = meeting_of(actor)
    check_create(actor, meeting, data)
    return round_reply(do_create(meeting, data))


def check_settings(actor: Actor, round_id: int, data: dict) -> BreakoutRound:
    require_facilitating(actor)
    rnd = round_of(actor, round_id)
    require_state(rnd, "draft")
    duration = data.get("duration_seconds", rnd.duration_seconds)
    warn = data.get("warn_seconds", rnd.warn_seconds)
    if warn and warn >= duration:
        raise Invalid(fields={"warn_seconds": ["The warning must come before the end."]})
    return rnd


def do_settings(meeting: Meeting, rnd: BreakoutRound, data: dict) -> None:
    with breakout_change(meeting, rnd):
        for key in ("duration_seconds", "warn_seconds"):
            if key in data:
                setattr(rnd, key, data[key])


def change_settings(actor: Actor, data: dict) -> dict:
    """breakout.settings, whole: check, change the draft's duration or warning, and the round."""
    meeting = meeting_of(actor)
    rnd = check_settings(actor, data["round_id"], data)
    do_settings(meeting, rnd, data)
    return round_reply(rnd)


def check_choosing(actor: Actor, round_id: int) -> BreakoutRound:
    require_facilitating(actor)
    rnd = round_of(actor, round_id)
    require_state(rnd, "draft", "open")
    return rnd


def do_choosing(meeting: Meeting, rnd: BreakoutRound, on: bool) -> None:
    with breakout_change(meeting, rnd):
        rnd.choosing = on


def set_choosing(actor: Actor, round_id: int, on: bool) -> dict:
    """breakout.choosing, whole: check, let people choose their room (or stop), and the round."""
    meeting = meeting_of(actor)
    rnd = check_choosing(actor, round_id)
    do_choosing(meeting, rnd, on)
    return round_reply(rnd)


def check_rename(actor: Actor, room_id: int) -> BreakoutRoom:
    require_facilitating(actor)
    room = owned(actor, BreakoutRoom, room_id, "room")
    require_state(round_of(actor, room.round_id), "draft", "open")
    return room


def do_rename(meeting: Meeting, room: BreakoutRoom, name: str) -> None:
    rnd = db.session.get(BreakoutRound, room.round_id)
    with breakout_change(meeting, rnd):
        room.name = name


def rename_room(actor: Actor, room_id: int, name: str) -> None:
    """breakout.rename, whole: check, then rename the room."""
    meeting = meeting_of(actor)
    room = check_rename(actor, room_id)
    do_rename(meeting, room, name)


def check_discard(actor: Actor, round_id: int) -> BreakoutRound:
    require_facilitating(actor)
    rnd = round_of(actor, round_id)
    require_state(rnd, "draft")
    return rnd


def do_discard(meeting: Meeting, rnd: BreakoutRound) -> None:
    round_id = rnd.id
    db.session.delete(rnd)
    db.session.flush()
    publish(meeting.id, "facilitators", "breakouts", "discarded", shared(IdOut).dump({"id": round_id}))


def discard_round(actor: Actor, round_id: int) -> None:
    """breakout.discard, whole: check, then throw the draft away."""
    meeting = meeting_of(actor)
    do_discard(meeting, check_discard(actor, round_id))


