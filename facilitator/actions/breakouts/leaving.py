"""Someone leaving mid-round: out of their room, with the room told."""
from __future__ import annotations

from ...extensions import db
from ...models import BreakoutAssignment, Meeting, Participant
from ...views.breakouts import active_round
from .common import breakout_change


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
