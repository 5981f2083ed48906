"""Ending a round exactly once, whoever gets there first: closing early, time up, the warning before it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from ...access import Actor, meeting_of, require_facilitating
from ...errors import Conflict
from ...events import publish
from ...extensions import db
from ...models import BreakoutRound, Meeting, utcnow
from ...views.breakouts import assignments, public_view, room_stream, room_views, round_view
from .common import _publish_placements, require_state, round_of


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
    rnd = round_of(actor, round_id)
    require_state(rnd, "open")
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


