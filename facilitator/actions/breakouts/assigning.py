"""Placing people in rooms: dealt at random or by tag, one by one, filling, and facilitators visiting."""
from __future__ import annotations

import random
from collections import defaultdict

from ...access import Actor, facilitator_role, meeting_of, require_facilitating
from ...errors import Conflict, NotFound
from ...extensions import db
from ...models import BreakoutAssignment, BreakoutRoom, BreakoutRound, BreakoutStaff, Meeting, Participant, User, utcnow
from ...views.breakouts import assignments, people_of, rooms_of
from .common import _eligible, _placeable, breakout_change, require_state, room_of, round_of, round_reply


def check_auto(actor: Actor, round_id: int, mode: str) -> BreakoutRound:
    require_facilitating(actor)
    rnd = round_of(actor, round_id)
    require_state(rnd, "draft")
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
    return {"assigned": count, **round_reply(rnd)}


def check_assign(actor: Actor, round_id: int, participant_id: int, room_id: int | None):
    require_facilitating(actor)
    rnd = round_of(actor, round_id)
    require_state(rnd, "draft", "open")
    p = _placeable(actor, participant_id)
    room = room_of(rnd, room_id) if room_id is not None else None
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
    rnd = round_of(actor, round_id)
    require_state(rnd, "draft", "open")
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
    rnd = round_of(actor, round_id)
    require_state(rnd, "draft", "open")
    user_id = user_id or actor.user_id
    user = db.session.get(User, user_id)
    if user is None or facilitator_role(user, db.session.get(Meeting, actor.meeting_id)) is None:
        raise NotFound("No such facilitator in this session.")
    room = room_of(rnd, room_id) if room_id is not None else None
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


