"""People as each audience sees them: the roster everyone inside reads, the facilitators' fuller view,
and the meeting's details and ground rules."""
from __future__ import annotations

from ..extensions import db
from ..models import Meeting, Participant
from ..schemas.common import shared
from ..schemas.participants import PersonOut, RosterEntryOut
from ..schemas.rules import RulesOut


def on_roster(p: Participant) -> bool:
    """Everyone inside sees a person once they have entered (accepted the rules) and until removed."""
    return p.rules_version_acked is not None and p.removed_at is None


def public_view(p: Participant) -> dict | None:
    """What everyone inside sees of `p` (None when not on the roster); take it before a change."""
    return shared(RosterEntryOut).dump(p) if on_roster(p) else None


def people_in(meeting_id: int) -> list[Participant]:
    return list(db.session.execute(
        db.select(Participant).where(Participant.meeting_id == meeting_id).order_by(Participant.id)).scalars())


def rules_view(meeting: Meeting) -> dict:
    return shared(RulesOut).dump(
        {"version": meeting.rules_version, "changed_at": meeting.rules_changed_at, "items": meeting.rules})


def add_to_snapshot(snap: dict, meeting: Meeting, where) -> None:
    """The roster for everyone inside; every person not removed, for facilitators."""
    people = people_in(meeting.id)
    if not where.gated:
        snap["roster"] = shared(RosterEntryOut).dump([p for p in people if on_roster(p)], many=True)
    if where.facilitating:
        snap["private"]["people"] = shared(PersonOut).dump([p for p in people if p.removed_at is None], many=True)
