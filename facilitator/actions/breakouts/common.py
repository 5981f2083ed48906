"""What every part of breakouts shares: the outbound events, publishing a change, and the checks the
actions share."""
from __future__ import annotations

from contextlib import contextmanager

from ...access import Actor, own_row, same_meeting
from ...errors import Conflict, NotFound
from ...events import SeqAt, declare, participant_stream, publish
from ...extensions import db
from ...models import BreakoutRoom, BreakoutRound, Meeting, Participant
from ...schemas.breakouts import AssignedOut, BreakoutsOut, ReturnedOut, RoomViewOut, RoundOut
from ...schemas.common import IdOut, shared
from ...views.breakouts import assignments, my_view, public_view, room_stream, room_views, round_view

declare("breakouts", "updated", ("meeting",), BreakoutsOut,
        "The running round as everyone sees it (deadline, warning, rooms to choose from), or null.")
declare("breakouts", "round", ("facilitators",), RoundOut,
        "A round's full state for facilitators: settings, deadline, rooms, who is in each, help requests.")
declare("breakouts", "discarded", ("facilitators",), IdOut, "A draft round was thrown away.")
declare("room", "updated", ("breakout",), RoomViewOut,
        "Your room changed: members, visiting facilitators, deadline, help request.")
declare("room", "warning", ("breakout",), RoomViewOut,
        "The round ends soon (sent once per round, to every room); the data carries the deadline.")
declare("breakout", "assigned", ("participant",), AssignedOut,
        "You are in a breakout room now (opened, moved, placed or chose): apply, then call `sync`.")
declare("breakout", "returned", ("participant",), ReturnedOut,
        "You are back in the main room (time up, closed early, or taken out): apply, then call `sync`.")

MIN_REMAINING_SECONDS = 10  # shortening below this is closing: say so with breakout.close
LIVE_STATES = ("open", "live")  # the meeting states in which rooms can open


# ---- publishing ----------------------------------------------------------------------------

def _placements(rnd: BreakoutRound) -> dict[int, int]:
    """Who is in which room while the round runs (nobody is anywhere in a draft or closed round)."""
    if rnd.state != "open":
        return {}
    return {a.participant_id: a.room_id for a in assignments(rnd.id)}


def _capture(meeting_id: int, rnd: BreakoutRound) -> dict:
    return {"public": public_view(meeting_id), "round": round_view(rnd),
            "rooms": room_views(rnd) if rnd.state == "open" else {}, "placed": _placements(rnd)}


@contextmanager
def breakout_change(meeting: Meeting, rnd: BreakoutRound, *, reason: str = "moved", room_op: str = "updated"):
    """Publish, after the change inside the block, every view of the round that changed.

    Order matters: room streams first, then each moved person's own stream, so the room view and
    stream position an `assigned` event carries already include this change's room events.
    """
    before = _capture(meeting.id, rnd)
    yield
    db.session.flush()
    after = _capture(meeting.id, rnd)
    if after["public"] != before["public"]:
        publish(meeting.id, "meeting", "breakouts", "updated", after["public"])
    if after["round"] != before["round"]:
        publish(meeting.id, "facilitators", "breakouts", "round", after["round"])
    for room_id, view in after["rooms"].items():
        # Rooms that just opened have nobody listening yet: their members get the whole view.
        if before["rooms"] and view != before["rooms"].get(room_id):
            publish(meeting.id, room_stream(room_id), "room", room_op, view)
    _publish_placements(meeting.id, rnd, before["placed"], after["placed"], reason)


def _publish_placements(meeting_id: int, rnd: BreakoutRound, before: dict[int, int], after: dict[int, int],
                        reason: str) -> None:
    for pid in sorted(set(before) | set(after)):
        old, new = before.get(pid), after.get(pid)
        if old == new:
            continue
        if new is None:
            publish(meeting_id, participant_stream(pid), "breakout", "returned",
                    shared(ReturnedOut).dump({"round_id": rnd.id, "reason": reason}))
        else:
            stream = room_stream(new)
            data = shared(AssignedOut).dump({"stream": stream, "seq": 0, "reason": reason})
            # Where the room's stream stands as this event goes out: filled in at commit.
            data["seq"] = SeqAt(stream)
            data["breakout"] = my_view(pid)  # already dumped (room view + chat)
            publish(meeting_id, participant_stream(pid), "breakout", "assigned", data)


# ---- checks shared by the actions ----------------------------------------------------------

def round_of(actor: Actor, round_id: int, *, lock: bool = True) -> BreakoutRound:
    """A round of the actor's meeting (locked for the transaction on PostgreSQL), or 404."""
    q = db.select(BreakoutRound).where(BreakoutRound.id == round_id).execution_options(populate_existing=True)
    return own_row(actor, db.session.execute(q.with_for_update() if lock else q).scalar_one_or_none(),
                   "breakout round")


def room_of(rnd: BreakoutRound, room_id: int) -> BreakoutRoom:
    """A room of this round; rooms of other rounds or meetings do not exist here."""
    room = db.session.get(BreakoutRoom, room_id)
    if room is None or room.round_id != rnd.id:
        raise NotFound("No such room in this breakout round.")
    return room


def require_state(rnd: BreakoutRound, *states: str) -> None:
    if rnd.state in states:
        return
    messages = {
        "draft": ("This round has already opened.", "not_draft"),
        "open": ("This round is not running.", "not_open"),
    }
    message, code = messages["draft" if states == ("draft",) else "open"]
    if rnd.state == "closed":
        message, code = "This round has ended.", "round_closed"
    raise Conflict(message, code=code)


def _eligible(p: Participant, *, observers: bool) -> bool:
    """Someone who can be sent to a room: inside (rules accepted), not removed, not gone on purpose."""
    return (p.removed_at is None and p.rules_version_acked is not None and p.left_at is None
            and (p.role == "participant" or (observers and p.role == "observer")))


def _placeable(actor: Actor, participant_id: int) -> Participant:
    p = same_meeting(actor, participant_id)
    if p.removed_at is not None:
        raise Conflict(f"{p.display_name} is no longer in the session.", code="removed")
    if p.rules_version_acked is None:
        raise Conflict(f"{p.display_name} has not come in yet (ground rules not accepted).", code="not_entered")
    return p


def round_reply(rnd: BreakoutRound) -> dict:
    """The reply of an action that leaves a round the facilitator will want to redraw at once."""
    return {"round": round_view(rnd)}


