"""Standing signals and support requests as facilitators see them, and a participant's own."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Participant, Signal, SupportRequest, User
from ..models.signals import SIGNAL_KINDS
from ..schemas.common import shared
from ..schemas.signals import MySignalsOut, MySupportOut, SignalsOut, SupportOut


def signals_of(meeting_id: int, participant_id: int | None = None) -> list[Signal]:
    q = select(Signal).where(Signal.meeting_id == meeting_id)
    if participant_id is not None:
        q = q.where(Signal.participant_id == participant_id)
    return list(db.session.execute(q.order_by(Signal.raised_at, Signal.id)).scalars())


def signals_view(meeting_id: int) -> dict:
    names = dict(db.session.execute(
        select(Participant.id, Participant.display_name).where(Participant.meeting_id == meeting_id)).all())
    rows = signals_of(meeting_id)
    counts = {k: 0 for k in SIGNAL_KINDS}
    for s in rows:
        counts[s.kind] += 1
    return shared(SignalsOut).dump({
        "signals": [{"participant_id": s.participant_id, "name": names.get(s.participant_id, "?"), "kind": s.kind,
                     "raised_at": s.raised_at} for s in rows],
        "counts": counts,
    })


def my_signals(meeting_id: int, participant_id: int) -> dict:
    return shared(MySignalsOut).dump({"signals": [{"kind": s.kind, "raised_at": s.raised_at}
                                                  for s in signals_of(meeting_id, participant_id)]})


def support_view(req: SupportRequest) -> dict:
    p = db.session.get(Participant, req.participant_id)
    by = db.session.get(User, req.acknowledged_by) if req.acknowledged_by else None
    return shared(SupportOut).dump({"id": req.id, "participant_id": req.participant_id, "name": p.display_name,
                                    "raised_at": req.raised_at, "acknowledged_at": req.acknowledged_at,
                                    "acknowledged_by": by.display_name if by else None,
                                    "withdrawn_at": req.withdrawn_at})


def support_list(meeting_id: int) -> list[dict]:
    return [support_view(r) for r in db.session.execute(
        select(SupportRequest).where(SupportRequest.meeting_id == meeting_id).order_by(SupportRequest.id)).scalars()]


def latest_support(participant_id: int) -> SupportRequest | None:
    return db.session.execute(
        select(SupportRequest).where(SupportRequest.participant_id == participant_id)
        .order_by(SupportRequest.id.desc()).limit(1)).scalar_one_or_none()


def my_support(participant_id: int) -> dict:
    req = latest_support(participant_id)
    return shared(MySupportOut).dump({"request": None if req is None else {
        "id": req.id, "raised_at": req.raised_at, "acknowledged_at": req.acknowledged_at,
        "withdrawn_at": req.withdrawn_at}})


def add_to_snapshot(snap: dict, meeting, where) -> None:
    """A participant's own signals and support request; everyone's, for facilitators."""
    if not where.facilitating:
        snap["my_signals"] = my_signals(meeting.id, where.participant_id)
        snap["support"] = my_support(where.participant_id)
    else:
        snap["private"].update(signals=signals_view(meeting.id), support=support_list(meeting.id))
