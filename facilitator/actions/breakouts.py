"""Breakout rounds: prepare rooms and assignments, open, run, end exactly once.

Audiences. Each room has its own stream `b<room id>` (Socket.IO room `breakout:<room id>`), so
a participant only ever receives their own room's events and chat. Facilitators do not join
room streams: every room event they need (the round with all rooms, every room's chat) comes
on the `facilitators` stream, one ordered stream however many rooms run. A participant who is
placed, moved or returned hears it on their own stream `p<id>` and answers with `sync`, which
moves their connection (`connection.reconcile_rooms`), whichever worker holds it.

Time. A round stores its deadline (`ends_at`) and when to warn (`warn_at`); `run_due_jobs`
(facilitator/jobs.py) sends the warning and ends the round through conditional UPDATEs that
exactly one worker can win, so two processes never end a round twice.
"""
from __future__ import annotations

import random
from collections import defaultdict
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import update

from ..access import (Actor, facilitator_role, meeting_of, own_row, owned, require_entered, require_facilitating,
                      same_meeting)
from ..errors import Conflict, Invalid, NotFound
from ..events import SeqAt, declare, participant_stream, publish
from ..extensions import db
from ..models import BreakoutAssignment, BreakoutRoom, BreakoutRound, BreakoutStaff, Meeting, Participant, User, utcnow
from ..schemas.breakouts import MAX_ROOMS, MAX_SECONDS, AssignedOut, BreakoutsOut, ReturnedOut, RoomViewOut, RoundOut
from ..schemas.common import IdOut, shared
from ..views.breakouts import (active_round, assignments, my_view, people_of, placement, public_view, room_stream,
                               room_views, rooms_of, round_view)
from .chat import Author, post

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

def _round(actor: Actor, round_id: int, *, lock: bool = True) -> BreakoutRound:
    """A round of the actor's meeting (locked for the transaction on PostgreSQL), or 404."""
    q = db.select(BreakoutRound).where(BreakoutRound.id == round_id).execution_options(populate_existing=True)
    return own_row(actor, db.session.execute(q.with_for_update() if lock else q).scalar_one_or_none(),
                   "breakout round")


def _room(rnd: BreakoutRound, room_id: int) -> BreakoutRoom:
    """A room of this round; rooms of other rounds or meetings do not exist here."""
    room = db.session.get(BreakoutRoom, room_id)
    if room is None or room.round_id != rnd.id:
        raise NotFound("No such room in this breakout round.")
    return room


def _require_state(rnd: BreakoutRound, *states: str) -> None:
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


def _round_reply(rnd: BreakoutRound) -> dict:
    """The reply of an action that leaves a round the facilitator will want to redraw at once."""
    return {"round": round_view(rnd)}


# ---- preparing a round ---------------------------------------------------------------------

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
    return _round_reply(do_create(meeting, data))


def check_settings(actor: Actor, round_id: int, data: dict) -> BreakoutRound:
    require_facilitating(actor)
    rnd = _round(actor, round_id)
    _require_state(rnd, "draft")
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
    return _round_reply(rnd)


def check_choosing(actor: Actor, round_id: int) -> BreakoutRound:
    require_facilitating(actor)
    rnd = _round(actor, round_id)
    _require_state(rnd, "draft", "open")
    return rnd


def do_choosing(meeting: Meeting, rnd: BreakoutRound, on: bool) -> None:
    with breakout_change(meeting, rnd):
        rnd.choosing = on


def set_choosing(actor: Actor, round_id: int, on: bool) -> dict:
    """breakout.choosing, whole: check, let people choose their room (or stop), and the round."""
    meeting = meeting_of(actor)
    rnd = check_choosing(actor, round_id)
    do_choosing(meeting, rnd, on)
    return _round_reply(rnd)


def check_rename(actor: Actor, room_id: int) -> BreakoutRoom:
    require_facilitating(actor)
    room = owned(actor, BreakoutRoom, room_id, "room")
    _require_state(_round(actor, room.round_id), "draft", "open")
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
    rnd = _round(actor, round_id)
    _require_state(rnd, "draft")
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


# ---- assigning -----------------------------------------------------------------------------

def check_auto(actor: Actor, round_id: int, mode: str) -> BreakoutRound:
    require_facilitating(actor)
    rnd = _round(actor, round_id)
    _require_state(rnd, "draft")
    if mode == "reuse" and previous_round(rnd) is None:
        raise Conflict("There is no earlier round whose groups could be reused.", code="no_previous_round")
    return rnd


def previous_round(rnd: BreakoutRound) -> BreakoutRound | None:
    return db.session.execute(
        db.select(BreakoutRound).where(BreakoutRound.meeting_id == rnd.meeting_id, BreakoutRound.state == "closed",
                                       BreakoutRound.id < rnd.id).order_by(BreakoutRound.id.desc()).limit(1)
    ).scalar_one_or_none()


def deal(people: list[Participant], n_rooms: int, mode: str, rng: random.Random,
         previous: dict[int, int] | None = None) -> list[list[Participant]]:
    """Share people out over `n_rooms` rooms (a pure function, so the modes are easy to test).

    random: shuffled, dealt round-robin. balanced: shuffled within each group tag, then each
    tag dealt round-robin across the rooms, carrying on where the last tag stopped, so every
    room gets a mix of tags and room sizes differ by at most one. reuse: `previous` maps a person
    to the index of their room last round; groups stay together (room k -> room k mod n), and
    newcomers fill the emptiest rooms, tag-balanced.
    """
    rooms: list[list[Participant]] = [[] for _ in range(n_rooms)]
    people = sorted(people, key=lambda p: p.id)
    if mode == "random":
        rng.shuffle(people)
        for i, p in enumerate(people):
            rooms[i % n_rooms].append(p)
        return rooms
    if mode == "reuse":
        previous = previous or {}
        newcomers = []
        for p in people:
            if p.id in previous:
                rooms[previous[p.id] % n_rooms].append(p)
            else:
                newcomers.append(p)
        return fill(rooms, newcomers, rng)
    if mode == "balanced":
        by_tag: dict[str, list[Participant]] = defaultdict(list)
        for p in people:
            by_tag[p.group_tag or ""].append(p)
        # Largest groups first; ties by name so the outcome depends only on the random draw.
        tags = sorted(by_tag, key=lambda t: (-len(by_tag[t]), t))
        i = rng.randrange(n_rooms)
        for tag in tags:
            members = by_tag[tag]
            rng.shuffle(members)
            for p in members:
                rooms[i % n_rooms].append(p)
                i += 1
        return rooms
    raise ValueError(mode)


def fill(rooms: list[list[Participant]], newcomers: list[Participant], rng: random.Random) -> list[list[Participant]]:
    """Put each newcomer in the room with fewest of their tag, then fewest people, then first."""
    newcomers = list(newcomers)
    rng.shuffle(newcomers)
    for p in sorted(newcomers, key=lambda p: p.group_tag or ""):
        tag = p.group_tag or ""
        best = min(range(len(rooms)), key=lambda i: (sum((q.group_tag or "") == tag for q in rooms[i]),
                                                     len(rooms[i]), i))
        rooms[best].append(p)
    return rooms


def do_auto(meeting: Meeting, rnd: BreakoutRound, mode: str, *, observers: bool = False,
            rng: random.Random | None = None) -> int:
    """Replace the draft's assignments with a fresh share-out of everyone eligible. Returns how many."""
    rng = rng or random.SystemRandom()
    rooms = rooms_of(rnd.id)
    people = [p for p in people_of(meeting.id).values() if _eligible(p, observers=observers)]
    previous = None
    if mode == "reuse":
        prev = previous_round(rnd)
        index = {r.id: i for i, r in enumerate(rooms_of(prev.id))}
        previous = {a.participant_id: index[a.room_id] for a in assignments(prev.id)}
    dealt = deal(people, len(rooms), mode, rng, previous)
    with breakout_change(meeting, rnd):
        for a in assignments(rnd.id):
            db.session.delete(a)
        db.session.flush()
        for room, members in zip(rooms, dealt, strict=True):
            for p in members:
                db.session.add(BreakoutAssignment(round_id=rnd.id, participant_id=p.id, room_id=room.id,
                                                  source="auto"))
        rnd.mode = mode
    return len(people)


def auto_assign(actor: Actor, round_id: int, mode: str, include_observers: bool) -> dict:
    """breakout.auto, whole: check, share everyone out afresh, and how many with the round."""
    meeting = meeting_of(actor)
    rnd = check_auto(actor, round_id, mode)
    count = do_auto(meeting, rnd, mode, observers=include_observers)
    return {"assigned": count, **_round_reply(rnd)}


def check_assign(actor: Actor, round_id: int, participant_id: int, room_id: int | None):
    require_facilitating(actor)
    rnd = _round(actor, round_id)
    _require_state(rnd, "draft", "open")
    p = _placeable(actor, participant_id)
    room = _room(rnd, room_id) if room_id is not None else None
    current = db.session.get(BreakoutAssignment, (rnd.id, p.id))
    if (current.room_id if current else None) == (room.id if room else None):
        raise Conflict(f"{p.display_name} is already there.", code="no_change")
    return rnd, p, room


def do_assign(meeting: Meeting, rnd: BreakoutRound, p: Participant, room: BreakoutRoom | None,
              *, source: str = "manual") -> str:
    """Place, move or take out one person (in a running round they go at once). Returns the reason given."""
    current = db.session.get(BreakoutAssignment, (rnd.id, p.id))
    reason = "unassigned" if room is None else ("moved" if current else "placed")
    if source == "choice":
        reason = "chose"
    elif current is None and rnd.state == "open":
        source = "late"
    with breakout_change(meeting, rnd, reason=reason):
        if room is None:
            db.session.delete(current)
        elif current is None:
            db.session.add(BreakoutAssignment(round_id=rnd.id, participant_id=p.id, room_id=room.id,
                                              source=source))
        else:
            current.room_id = room.id
            current.source = source
            current.assigned_at = utcnow()
    return reason


def assign_person(actor: Actor, round_id: int, participant_id: int, room_id: int | None) -> dict:
    """breakout.assign, whole: check, place, move or take out one person, and the reason given."""
    meeting = meeting_of(actor)
    rnd, p, room = check_assign(actor, round_id, participant_id, room_id)
    return {"reason": do_assign(meeting, rnd, p, room)}


def check_fill(actor: Actor, round_id: int) -> BreakoutRound:
    require_facilitating(actor)
    rnd = _round(actor, round_id)
    _require_state(rnd, "draft", "open")
    return rnd


def do_fill(meeting: Meeting, rnd: BreakoutRound, rng: random.Random | None = None) -> int:
    """Place everyone not in a room yet (late joiners) where they keep rooms even and mixed."""
    rng = rng or random.SystemRandom()
    rooms = rooms_of(rnd.id)
    people = people_of(meeting.id)
    placed = {a.participant_id: a.room_id for a in assignments(rnd.id)}
    index = {r.id: i for i, r in enumerate(rooms)}
    current: list[list[Participant]] = [[] for _ in rooms]
    for pid, room_id in placed.items():
        current[index[room_id]].append(people[pid])
    newcomers = [p for p in people.values() if p.id not in placed and _eligible(p, observers=False)]
    before = {id(p) for members in current for p in members}
    dealt = fill(current, newcomers, rng)
    with breakout_change(meeting, rnd, reason="placed"):
        for room, members in zip(rooms, dealt, strict=True):
            for p in members:
                if id(p) not in before:
                    db.session.add(BreakoutAssignment(round_id=rnd.id, participant_id=p.id, room_id=room.id,
                                                      source="auto" if rnd.state == "draft" else "late"))
    return len(newcomers)


def fill_rooms(actor: Actor, round_id: int) -> dict:
    """breakout.fill, whole: check, place everyone not in a room yet, and how many."""
    meeting = meeting_of(actor)
    rnd = check_fill(actor, round_id)
    return {"placed": do_fill(meeting, rnd)}


def check_visit(actor: Actor, round_id: int, room_id: int | None, user_id: int | None):
    """A facilitator goes to (or leaves) a room, or places a co-facilitator there."""
    require_facilitating(actor)
    rnd = _round(actor, round_id)
    _require_state(rnd, "draft", "open")
    user_id = user_id or actor.user_id
    user = db.session.get(User, user_id)
    if user is None or facilitator_role(user, db.session.get(Meeting, actor.meeting_id)) is None:
        raise NotFound("No such facilitator in this session.")
    room = _room(rnd, room_id) if room_id is not None else None
    current = db.session.get(BreakoutStaff, (rnd.id, user_id))
    if (current.room_id if current else None) == (room.id if room else None):
        raise Conflict("Already there.", code="no_change")
    return rnd, user_id, room


def do_visit(meeting: Meeting, rnd: BreakoutRound, user_id: int, room: BreakoutRoom | None) -> None:
    current = db.session.get(BreakoutStaff, (rnd.id, user_id))
    with breakout_change(meeting, rnd):
        if room is None:
            db.session.delete(current)
        elif current is None:
            db.session.add(BreakoutStaff(round_id=rnd.id, user_id=user_id, room_id=room.id))
        else:
            current.room_id = room.id
            current.since = utcnow()


def visit_room(actor: Actor, round_id: int, room_id: int | None, user_id: int | None) -> None:
    """breakout.visit, whole: check, then place the facilitator (or co-facilitator `user_id`)."""
    meeting = meeting_of(actor)
    rnd, user_id, room = check_visit(actor, round_id, room_id, user_id)
    do_visit(meeting, rnd, user_id, room)


# ---- running -------------------------------------------------------------------------------

def _warn_at(ends_at: datetime, warn_seconds: int, opened_at: datetime) -> datetime | None:
    if not warn_seconds:
        return None
    return max(ends_at - timedelta(seconds=warn_seconds), opened_at)


def check_open(actor: Actor, meeting: Meeting, round_id: int) -> BreakoutRound:
    require_facilitating(actor)
    rnd = _round(actor, round_id)
    _require_state(rnd, "draft")
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
    return _round_reply(rnd)


def check_extend(actor: Actor, round_id: int, seconds: int, now: datetime | None = None) -> BreakoutRound:
    require_facilitating(actor)
    rnd = _round(actor, round_id)
    _require_state(rnd, "open")
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
    return _round_reply(rnd)


def check_broadcast(actor: Actor, round_id: int) -> BreakoutRound:
    require_facilitating(actor)
    rnd = _round(actor, round_id)
    _require_state(rnd, "open")
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
    rnd = _round(actor, rnd.id)
    room = _room(rnd, room_id)
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
    return _round(actor, found[0].id), found[1]


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
    rnd = _round(actor, room.round_id)
    _require_state(rnd, "open")
    if room.help_at is None:
        raise Conflict("This room has not asked for help.", code="no_change")
    return rnd, room


def clear_help(actor: Actor, room_id: int) -> None:
    """breakout.help_clear, whole: check, then clear the room's call for help."""
    meeting = meeting_of(actor)
    rnd, room = check_help_clear(actor, room_id)
    do_help(meeting, rnd, room, False)


# ---- ending: exactly once, whoever gets there first ----------------------------------------

def claim_close(round_id: int, now: datetime, reason: str) -> bool:
    """End a running round if nobody has yet. One conditional UPDATE: of any number of workers
    trying at once, exactly one gets the row back (PostgreSQL re-checks the condition after the
    row lock; SQLite lets one writer at a time)."""
    cond = [BreakoutRound.id == round_id, BreakoutRound.state == "open"]
    if reason == "ended":
        cond.append(BreakoutRound.ends_at <= now)
    won = db.session.execute(
        update(BreakoutRound).where(*cond)
        .values(state="closed", closed_at=now, close_reason=reason)
        .returning(BreakoutRound.id).execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    return won is not None


def claim_warning(round_id: int, now: datetime) -> bool:
    """Mark a round warned if it is due and nobody has warned it yet; True for the one winner."""
    won = db.session.execute(
        update(BreakoutRound)
        .where(BreakoutRound.id == round_id, BreakoutRound.state == "open", BreakoutRound.warned_at.is_(None),
               BreakoutRound.warn_at <= now, BreakoutRound.ends_at > now)
        .values(warned_at=now)
        .returning(BreakoutRound.id).execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    return won is not None


def due_rounds(now: datetime) -> tuple[list[int], list[int]]:
    """Rounds whose warning is due, and rounds whose time is up (a hint: the claims decide)."""
    warn = db.session.execute(db.select(BreakoutRound.id).where(
        BreakoutRound.state == "open", BreakoutRound.warned_at.is_(None), BreakoutRound.warn_at <= now,
        BreakoutRound.ends_at > now)).scalars().all()
    end = db.session.execute(db.select(BreakoutRound.id).where(
        BreakoutRound.state == "open", BreakoutRound.ends_at <= now)).scalars().all()
    return list(warn), list(end)


def _reload(round_id: int) -> BreakoutRound:
    return db.session.execute(db.select(BreakoutRound).where(BreakoutRound.id == round_id)
                              .execution_options(populate_existing=True)).scalar_one()


def publish_warning(round_id: int) -> None:
    """Everyone hears the round ends soon: every room once (op `warning`), the meeting, the facilitators."""
    rnd = _reload(round_id)
    meeting_id = rnd.meeting_id
    publish(meeting_id, "meeting", "breakouts", "updated", public_view(meeting_id))
    publish(meeting_id, "facilitators", "breakouts", "round", round_view(rnd))
    for room_id, view in room_views(rnd).items():
        publish(meeting_id, room_stream(room_id), "room", "warning", view)


def publish_closed(round_id: int) -> None:
    """Everyone who was in a room goes back to the main room (assignments stay, as the record)."""
    rnd = _reload(round_id)
    meeting_id = rnd.meeting_id
    placed = {a.participant_id: a.room_id for a in assignments(round_id)}
    publish(meeting_id, "meeting", "breakouts", "updated", public_view(meeting_id))
    publish(meeting_id, "facilitators", "breakouts", "round", round_view(rnd))
    _publish_placements(meeting_id, rnd, placed, {}, rnd.close_reason)


def check_close(actor: Actor, round_id: int) -> BreakoutRound:
    require_facilitating(actor)
    rnd = _round(actor, round_id)
    _require_state(rnd, "open")
    return rnd


def do_close(meeting: Meeting, rnd: BreakoutRound, now: datetime | None = None, reason: str = "closed") -> bool:
    """Close every room now and bring everyone back. False if the round had already ended."""
    if not claim_close(rnd.id, now or utcnow(), reason):
        return False
    publish_closed(rnd.id)
    return True


def close_round(actor: Actor, round_id: int) -> None:
    """breakout.close, whole: check, then close every room; refused if the round ended meanwhile."""
    meeting = meeting_of(actor)
    rnd = check_close(actor, round_id)
    if not do_close(meeting, rnd):
        raise Conflict("This round has ended.", code="round_closed")


def end_if_due(round_id: int, now: datetime) -> bool:
    """The job's step for one round: end it if its time is up and no other worker did."""
    if not claim_close(round_id, now, "ended"):
        return False
    publish_closed(round_id)
    return True


def warn_if_due(round_id: int, now: datetime) -> bool:
    if not claim_warning(round_id, now):
        return False
    publish_warning(round_id)
    return True


# ---- people leaving ------------------------------------------------------------------------

def release_breakout(meeting: Meeting, p: Participant) -> None:
    """Someone was removed: take them out of the round being prepared or running."""
    rnd = active_round(meeting.id)
    if rnd is None:
        return
    current = db.session.get(BreakoutAssignment, (rnd.id, p.id))
    if current is None:
        return
    with breakout_change(meeting, rnd, reason="unassigned"):
        db.session.delete(current)
