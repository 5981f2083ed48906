"""Joining, presence, own mic/camera status, leaving and being removed."""
from __future__ import annotations

import secrets

from ..access import Actor, load_participant, require_facilitating, require_not_ended, same_meeting, token_hash
from ..errors import Conflict, Invalid
from ..events import close_sockets, participant_stream, person_room, publish
from ..extensions import db
from ..models import Connection, EventStream, Meeting, Participant, utcnow
from ..schemas.common import IdOut, shared
from ..views.people import public_view
from . import attendance
from .breakouts import release_breakout
from .floor import release_floor
from .people import publish_person
from .safety import connection_lost, resolve_drop_alerts
from .signals import release_signals

JOINABLE = ("open", "live", "paused")


def check_join(meeting: Meeting, data: dict) -> None:
    if meeting.state == "draft":
        raise Conflict("This session is not open yet. Please try again closer to the start time.", code="not_open")
    if meeting.state == "ended":
        raise Conflict("This session has ended.", code="meeting_ended")
    tag = data.get("group_tag")
    if tag is not None and meeting.group_tags and tag not in meeting.group_tags:
        raise Invalid(fields={"group_tag": ["Choose one of the listed groups, or none."]})
    if tag is not None and not meeting.group_tags:
        raise Invalid(fields={"group_tag": ["This session has no groups to choose from."]})


def do_join(meeting: Meeting, data: dict, role: str = "participant") -> tuple[Participant, str]:
    """A new participant (muted, camera off) and the token their browser keeps. Only its hash is stored."""
    token = secrets.token_urlsafe(32)  # 256 bits
    p = Participant(
        meeting_id=meeting.id,
        token_hash=token_hash(token),
        display_name=data["display_name"],
        group_tag=data.get("group_tag"),
        role=role,
        mic="muted",
        camera="off",
        presence="left",
    )
    db.session.add(p)
    db.session.flush()
    db.session.add(EventStream(meeting_id=meeting.id, stream=participant_stream(p.id), seq=0))
    db.session.flush()
    publish_person(p)
    return p, token


def do_connect(meeting: Meeting, sid: str, worker: str, *, participant: Participant | None = None,
               user_id: int | None = None) -> None:
    """Record a live connection; a participant becomes `connected`."""
    db.session.add(Connection(sid=sid, meeting_id=meeting.id, worker=worker,
                              participant_id=participant.id if participant else None, user_id=user_id))
    if participant is not None:
        resolve_drop_alerts(participant)
        before = public_view(participant)
        participant.last_seen_at = utcnow()
        attendance.arrive(participant, participant.last_seen_at)
        participant.left_at = None
        if participant.presence != "connected":
            participant.presence = "connected"
            db.session.flush()
            publish_person(participant, before=before)
    db.session.flush()


def do_disconnect(sid: str, reason: str | None = None) -> None:
    """A connection closed. With none left, a participant who did not leave on purpose is `reconnecting`,
    and if the connection was lost (`reason` from Socket.IO) facilitators get a drop alert."""
    conn = db.session.get(Connection, sid)
    if conn is None:
        return
    db.session.delete(conn)
    db.session.flush()
    if conn.participant_id is None:
        return
    p = db.session.get(Participant, conn.participant_id)
    others = db.session.execute(
        db.select(Connection.sid).where(Connection.participant_id == p.id)
    ).first()
    if p is None or others is not None:
        return
    p.last_seen_at = utcnow()
    if p.presence == "connected":
        before = public_view(p)
        p.presence = "reconnecting"
        db.session.flush()
        publish_person(p, before=before)
        attendance.depart(p, p.last_seen_at, reason or "disconnected")
        connection_lost(p, reason)


def check_set_status(actor: Actor, data: dict) -> Participant:
    if actor.facilitating:
        raise Conflict("Only participants share a mic and camera status here.", code="not_participant")
    if not data:
        raise Invalid("Say what changed: mic, camera or both.", fields={"_schema": ["Give mic or camera."]})
    p = load_participant(actor)
    require_not_ended(actor)
    return p


def set_status(actor: Actor, data: dict) -> None:
    """The whole action: check, then change."""
    do_set_status(check_set_status(actor, data), data)


def do_set_status(p: Participant, data: dict) -> Participant:
    before = public_view(p)
    changed = False
    for key in ("mic", "camera"):
        if key in data and getattr(p, key) != data[key]:
            setattr(p, key, data[key])
            changed = True
    if changed:
        db.session.flush()
        publish_person(p, before=before)
    return p


def do_leave(actor: Actor) -> Participant:
    """A deliberate leave: the person is `left`, and that is not a dropped connection."""
    p = load_participant(actor)
    before = public_view(p)
    p.presence = "left"
    p.left_at = utcnow()
    attendance.depart(p, p.left_at, "left")
    db.session.flush()
    publish_person(p, before=before)
    release_floor(db.session.get(Meeting, p.meeting_id), p)
    return p


def check_remove(actor: Actor, participant_id: int) -> Participant:
    require_facilitating(actor)
    p = same_meeting(actor, participant_id)
    if p.removed_at is not None:
        raise Conflict("That person was already removed.", code="no_change")
    return p


def do_remove(actor: Actor, p: Participant) -> Participant:
    """Remove someone: their token stops working, and everyone's roster drops them."""
    was_on_roster = p.rules_version_acked is not None
    p.removed_at = utcnow()
    p.presence = "left"
    p.left_at = p.left_at or p.removed_at
    attendance.depart(p, p.removed_at, "removed")
    db.session.flush()
    publish_person(p, public=False)
    release_floor(db.session.get(Meeting, p.meeting_id), p)
    release_signals(p)
    release_breakout(db.session.get(Meeting, p.meeting_id), p)
    resolve_drop_alerts(p)
    _close_connections(p)
    if was_on_roster:
        publish(p.meeting_id, "meeting", "roster", "removed", shared(IdOut).dump(p))
    return p


def remove_participant(actor: Actor, participant_id: int) -> None:
    """participant.remove, whole: check, then remove the person (their sockets close after commit)."""
    do_remove(actor, check_remove(actor, participant_id))


def _close_connections(p: Participant) -> None:
    """After commit, close the person's sockets, on whichever worker holds them."""
    close_sockets(person_room(p.id))


def do_reset_presence(worker_prefix: str | None = None) -> int:
    """Forget connections left behind by a process that stopped (all of them when one process serves).

    Everyone who was `connected` through them becomes `reconnecting`; their browsers reconnect
    by themselves. Returns how many people changed.
    """
    q = db.select(Connection)
    if worker_prefix:
        q = q.where(Connection.worker.startswith(worker_prefix))
    stale = list(db.session.execute(q).scalars())
    people = {c.participant_id for c in stale if c.participant_id}
    for c in stale:
        db.session.delete(c)
    db.session.flush()
    changed = 0
    for pid in people:
        p = db.session.get(Participant, pid)
        if p is None or p.presence != "connected":
            continue
        still = db.session.execute(db.select(Connection.sid).where(Connection.participant_id == pid)).first()
        if still is None:
            p.presence = "reconnecting"
            db.session.flush()
            publish_person(p)
            changed += 1
    return changed
