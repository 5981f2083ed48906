"""Breakout rounds as each role sees them: the running round for everyone, a participant's own room
(with its chat), every round in full for facilitators, and who is placed where."""
from __future__ import annotations

from collections import Counter, defaultdict

from ..extensions import db
from ..models import BreakoutAssignment, BreakoutRoom, BreakoutRound, BreakoutStaff, Meeting, Participant, User
from ..schemas.breakouts import BreakoutsOut, RoomViewOut, RoundOut
from ..schemas.common import shared
from .chat import history


def room_stream(room_id: int) -> str:
    return f"b{room_id}"


def active_round(meeting_id: int) -> BreakoutRound | None:
    """The round being prepared or running (at most one per meeting)."""
    return db.session.execute(
        db.select(BreakoutRound).where(BreakoutRound.meeting_id == meeting_id, BreakoutRound.state != "closed")
    ).scalar_one_or_none()


def rounds(meeting_id: int) -> list[BreakoutRound]:
    return list(db.session.execute(
        db.select(BreakoutRound).where(BreakoutRound.meeting_id == meeting_id).order_by(BreakoutRound.id)
    ).scalars())


def rooms_of(round_id: int) -> list[BreakoutRoom]:
    return list(db.session.execute(
        db.select(BreakoutRoom).where(BreakoutRoom.round_id == round_id).order_by(BreakoutRoom.position)
    ).scalars())


def assignments(round_id: int) -> list[BreakoutAssignment]:
    return list(db.session.execute(
        db.select(BreakoutAssignment).where(BreakoutAssignment.round_id == round_id)
        .order_by(BreakoutAssignment.participant_id)
    ).scalars())


def staff_of(round_id: int) -> list[BreakoutStaff]:
    return list(db.session.execute(
        db.select(BreakoutStaff).where(BreakoutStaff.round_id == round_id).order_by(BreakoutStaff.user_id)
    ).scalars())


def _open_assignment(query, participant_id: int):
    """`query` (from `BreakoutAssignment`) narrowed to the participant's assignment in an open round."""
    return (query.join(BreakoutRound, BreakoutRound.id == BreakoutAssignment.round_id)
            .where(BreakoutAssignment.participant_id == participant_id, BreakoutRound.state == "open"))


def placement(participant_id: int) -> tuple[BreakoutRound, BreakoutRoom] | None:
    """The open round and room a participant is in now, if any."""
    row = db.session.execute(
        _open_assignment(db.select(BreakoutRound, BreakoutRoom).select_from(BreakoutAssignment), participant_id)
        .join(BreakoutRoom, BreakoutRoom.id == BreakoutAssignment.room_id)
    ).first()
    return (row[0], row[1]) if row else None


def open_room_query(participant_id: int):
    """The id of the room a participant is in now (a round open), as a query: to run, or to read
    inside another statement (chat's checks)."""
    return _open_assignment(db.select(BreakoutAssignment.room_id), participant_id).limit(1)


def room_id_of(participant_id: int) -> int | None:
    return db.session.execute(open_room_query(participant_id)).scalar_one_or_none()


def people_of(meeting_id: int) -> dict[int, Participant]:
    return {p.id: p for p in db.session.execute(
        db.select(Participant).where(Participant.meeting_id == meeting_id)).scalars()}


def _member(p: Participant) -> dict:
    return {"id": p.id, "name": p.display_name, "role": p.role, "group_tag": p.group_tag}


def _staff(rnd: BreakoutRound) -> dict[int, list[dict]]:
    """Facilitators placed in each room of a round, by room id."""
    meeting = db.session.get(Meeting, rnd.meeting_id)
    out: dict[int, list[dict]] = defaultdict(list)
    for s in staff_of(rnd.id):
        user = db.session.get(User, s.user_id)
        role = "facilitator" if meeting.owner_id == s.user_id else "cofacilitator"
        out[s.room_id].append({"user_id": s.user_id, "name": user.display_name, "role": role})
    return out


def _members(rnd: BreakoutRound) -> dict[int, list[dict]]:
    people = people_of(rnd.meeting_id)
    out: dict[int, list[dict]] = defaultdict(list)
    for a in assignments(rnd.id):
        out[a.room_id].append(_member(people[a.participant_id]))
    return out


def round_view(rnd: BreakoutRound) -> dict:
    members, staff = _members(rnd), _staff(rnd)
    rooms = [{"id": r.id, "position": r.position, "name": r.name, "help_at": r.help_at,
              "members": members.get(r.id, []), "staff": staff.get(r.id, [])} for r in rooms_of(rnd.id)]
    return shared(RoundOut).dump({**{k: getattr(rnd, k) for k in (
        "id", "state", "mode", "choosing", "duration_seconds", "warn_seconds", "created_at", "opened_at",
        "ends_at", "warned_at", "closed_at", "close_reason")}, "rooms": rooms})


def public_view(meeting_id: int) -> dict:
    rnd = active_round(meeting_id)
    if rnd is None or rnd.state != "open":
        return shared(BreakoutsOut).dump({"round": None})
    counts = Counter(a.room_id for a in assignments(rnd.id))
    return shared(BreakoutsOut).dump({"round": {
        "id": rnd.id, "choosing": rnd.choosing, "opened_at": rnd.opened_at, "ends_at": rnd.ends_at,
        "warn_seconds": rnd.warn_seconds, "warned_at": rnd.warned_at,
        "rooms": [{"id": r.id, "name": r.name, "count": counts.get(r.id, 0)} for r in rooms_of(rnd.id)]}})


def _timer(rnd: BreakoutRound) -> dict:
    return {"id": rnd.id, "opened_at": rnd.opened_at, "ends_at": rnd.ends_at, "warn_seconds": rnd.warn_seconds,
            "warned_at": rnd.warned_at}


def room_views(rnd: BreakoutRound) -> dict[int, dict]:
    """Each room as its members see it (chat aside), by room id."""
    members, staff = _members(rnd), _staff(rnd)
    return {r.id: shared(RoomViewOut).dump({"round": _timer(rnd), "room": {"id": r.id, "name": r.name},
                                            "members": members.get(r.id, []), "staff": staff.get(r.id, []),
                                            "help_at": r.help_at})
            for r in rooms_of(rnd.id)}


def my_view(participant_id: int) -> dict | None:
    """A participant's room with its chat history, or None when they are in the main room."""
    found = placement(participant_id)
    if found is None:
        return None
    rnd, room = found
    return {**room_views(rnd)[room.id], "chat": history(rnd.meeting_id, "room", room_id=room.id)}


def facilitator_view(meeting_id: int) -> list[dict]:
    return [round_view(r) for r in rounds(meeting_id)]


def add_to_snapshot(snap: dict, meeting, where) -> None:
    """The running round for everyone inside, a participant's own room, every round for facilitators."""
    if where.gated:
        return
    snap["breakouts"] = public_view(meeting.id)
    if where.facilitating:
        snap["private"]["breakouts"] = facilitator_view(meeting.id)
    else:
        snap["breakout"] = my_view(where.participant_id)
