"""Who may do what. Every check of role and meeting lives here, in one place."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .errors import Conflict, NotAllowed, NotFound, Unauthenticated
from .extensions import db
from .models import CoFacilitator, Meeting, Participant, User

FACILITATING = ("facilitator", "cofacilitator")


@dataclass(frozen=True)
class Actor:
    """Whoever is asking: a facilitator account in one meeting, or a participant/observer."""

    role: str  # facilitator | cofacilitator | participant | observer
    meeting_id: int
    user_id: int | None = None
    participant_id: int | None = None

    @property
    def facilitating(self) -> bool:
        return self.role in FACILITATING


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def facilitator_role(user: User | None, meeting: Meeting) -> str | None:
    """The role an account holds in a meeting: owner, co-facilitator, or none."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if meeting.owner_id == user.id:
        return "facilitator"
    is_cofac = db.session.get(CoFacilitator, (meeting.id, user.id)) is not None
    return "cofacilitator" if is_cofac else None


def access_meeting(user: User | None, meeting_id: int) -> tuple[Meeting, Actor]:
    """The meeting and the account's actor in it; 404 (not 403) to anyone else, to reveal nothing."""
    meeting = db.session.get(Meeting, meeting_id)
    role = facilitator_role(user, meeting) if meeting is not None else None
    if meeting is None or role is None:
        raise NotFound("No such session.")
    return meeting, Actor(role=role, meeting_id=meeting.id, user_id=user.id)


def visible_meetings(user: User, *, archived: bool = False):
    """A query of the meetings an account runs or co-facilitates (archived ones, or the others)."""
    cofac = db.select(CoFacilitator.meeting_id).where(CoFacilitator.user_id == user.id)
    q = db.select(Meeting).where((Meeting.owner_id == user.id) | Meeting.id.in_(cofac))
    return q.where(Meeting.archived_at.is_not(None) if archived else Meeting.archived_at.is_(None))


def require_owner(actor: Actor) -> None:
    if actor.role != "facilitator":
        raise NotAllowed("Only the session's facilitator can do that.")


def require_facilitating(actor: Actor) -> None:
    if not actor.facilitating:
        raise NotAllowed("Only facilitators can do that.")


def participant_for_token(token: str | None) -> Participant | None:
    """The participant a browser token belongs to, if it is still valid."""
    if not token or not isinstance(token, str) or len(token) > 128:
        return None
    p = db.session.execute(
        db.select(Participant).where(Participant.token_hash == token_hash(token))
    ).scalar_one_or_none()
    if p is None or p.removed_at is not None:
        return None
    return p


def actor_for_participant(p: Participant) -> Actor:
    return Actor(role=p.role, meeting_id=p.meeting_id, participant_id=p.id)


def load_participant(actor: Actor) -> Participant:
    """The participant row behind an actor, refusing one who has been removed."""
    p = db.session.get(Participant, actor.participant_id) if actor.participant_id else None
    if p is None or p.meeting_id != actor.meeting_id:
        raise Unauthenticated()
    if p.removed_at is not None:
        raise NotAllowed("You were removed from this session.", code="removed")
    return p


def require_entered(actor: Actor, meeting: Meeting) -> Participant | None:
    """A participant or observer may act in the room only with the current rules acknowledged."""
    if actor.facilitating:
        return None
    p = load_participant(actor)
    if not p.has_acked(meeting.rules_version):
        raise Conflict("Please read and accept the ground rules first.", code="rules_not_acknowledged")
    if meeting.state == "ended":
        raise Conflict("This session has ended.", code="meeting_ended")
    return p


def require_not_ended(actor: Actor) -> None:
    """Once a session has ended, people's own updates (status, contact details) are not taken."""
    if meeting_of(actor).state == "ended":
        raise Conflict("This session has ended.", code="meeting_ended")


def meeting_of(actor: Actor) -> Meeting:
    meeting = db.session.get(Meeting, actor.meeting_id)
    if meeting is None:
        raise NotFound("No such session.")
    return meeting


def in_meeting(actor: Actor, row) -> bool:
    """Whether a loaded row (or None) belongs to the actor's own meeting."""
    return row is not None and row.meeting_id == actor.meeting_id


def own_row(actor: Actor, row, what: str, fields: dict | None = None):
    """`row` if it belongs to the actor's meeting, else 404: rows of other meetings do not exist here."""
    if not in_meeting(actor, row):
        raise NotFound(f"No such {what} in this session.", fields=fields)
    return row


def owned(actor: Actor, model, row_id: int, what: str, fields: dict | None = None):
    """The `model` row with this id in the actor's own meeting, or 404 (`own_row`)."""
    return own_row(actor, db.session.get(model, row_id), what, fields)


def same_meeting(actor: Actor, participant_id: int) -> Participant:
    """A participant of the actor's own meeting, or 404: ids from other meetings do not exist here."""
    return owned(actor, Participant, participant_id, "person")
