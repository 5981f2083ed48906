"""The audit trail: which facilitator did what to whom, and when.

Entries hold ids, a role and an action name (the socket event or web action), never message
contents, names or contact details; they are written in the same transaction as the action they
record, and deleted with the meeting. Socket events registered for facilitators only are recorded
by the registry's wrapper (sockets/registry.py), so a new facilitator event is covered by default;
web and REST actions call `record` themselves.
"""
from __future__ import annotations

from sqlalchemy import select

from ..access import Actor, in_meeting
from ..extensions import db
from ..models import AuditEntry, Participant, User, utcnow


def record(actor: Actor, action: str, target_participant_id: int | None = None) -> AuditEntry:
    """Add one entry for `actor` doing `action` (to `target_participant_id`, if anyone) now."""
    if target_participant_id is not None:
        if not in_meeting(actor, db.session.get(Participant, target_participant_id)):
            target_participant_id = None  # never point into another meeting
    entry = AuditEntry(meeting_id=actor.meeting_id, at=utcnow(), actor_user_id=actor.user_id,
                       actor_participant_id=actor.participant_id, actor_role=actor.role, action=action,
                       target_participant_id=target_participant_id)
    db.session.add(entry)
    db.session.flush()
    return entry


def trail(meeting_id: int) -> list[dict]:
    """The meeting's entries in order, with the actor's and target's names for the report."""
    rows = db.session.execute(
        select(AuditEntry).where(AuditEntry.meeting_id == meeting_id).order_by(AuditEntry.at, AuditEntry.id)
    ).scalars()
    out = []
    for e in rows:
        who = db.session.get(User, e.actor_user_id) if e.actor_user_id else (
            db.session.get(Participant, e.actor_participant_id) if e.actor_participant_id else None)
        target = db.session.get(Participant, e.target_participant_id) if e.target_participant_id else None
        out.append({"at": e.at, "actor": who.display_name if who else None, "actor_role": e.actor_role,
                    "action": e.action, "target_participant_id": e.target_participant_id,
                    "target": target.display_name if target else None})
    return out


def person_of(model, key: str, column: str = "participant_id"):
    """A `target` for events naming a row rather than a person: the person that row belongs to."""

    def target(data: dict) -> int | None:
        row = db.session.get(model, data.get(key))
        return getattr(row, column, None) if row is not None else None

    return target
