"""Standing signals and the private support signal: both reach facilitators only.

Standing signals (slow down, need a break, can't hear, stepped away) stay on until the person or
a facilitator clears them, and are kept in the database so they survive reconnects. Who raised
what goes to the facilitators' stream only; the person sees their own on their stream. Nothing
goes to the meeting stream, not even counts: in a small group a count that appears the moment
someone clicks tells the others who it was, and asking to slow down should cost nobody anything.
The facilitator relays it in their own words ("let's take it slower").

"I need support" goes to facilitators (who and when) and to the sender's own stream (sent, then
seen). No meeting-stream event, so no one else can see it or a gap in their seq. It is allowed
before the ground rules are accepted: someone reading them may be the one who needs help.
"""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..access import Actor, load_participant, meeting_of, owned, require_entered, require_facilitating, same_meeting
from ..errors import Conflict
from ..events import declare, participant_stream, publish
from ..extensions import db
from ..models import Meeting, Participant, Signal, SupportRequest, utcnow
from ..schemas.signals import MySignalsOut, MySupportOut, SignalsOut, SupportOut
from ..views.signals import latest_support, my_signals, my_support, signals_of, signals_view, support_view

declare("signals", "updated", ("facilitators",), SignalsOut,
        "Standing signals changed: every one with who raised it, and counts per kind.")
declare("signals", "mine", ("participant",), MySignalsOut, "Your own standing signals changed.")
declare("support", "upsert", ("facilitators",), SupportOut,
        "Someone asked for support (alert!), withdrew the request, or a facilitator acknowledged it.")
declare("support", "mine", ("participant",), MySupportOut,
        "Your support request: sent, seen by a facilitator, or withdrawn.")


def _publish_signals(meeting_id: int, participant_ids) -> None:
    publish(meeting_id, "facilitators", "signals", "updated", signals_view(meeting_id))
    for pid in sorted(set(participant_ids)):
        publish(meeting_id, participant_stream(pid), "signals", "mine", my_signals(meeting_id, pid))


def _publish_support(req: SupportRequest) -> None:
    publish(req.meeting_id, "facilitators", "support", "upsert", support_view(req))
    publish(req.meeting_id, participant_stream(req.participant_id), "support", "mine", my_support(req.participant_id))


# ---- standing signals ----------------------------------------------------------------------

def _signal_of(participant_id: int, kind: str) -> Signal | None:
    return db.session.execute(
        select(Signal).where(Signal.participant_id == participant_id, Signal.kind == kind)).scalar_one_or_none()


def check_raise_signal(actor: Actor, meeting: Meeting, kind: str) -> Participant:
    """Anyone inside who is not facilitating (observers too: the signal goes to facilitators only)."""
    if actor.facilitating:
        raise Conflict("Standing signals are for participants.", code="not_participant")
    p = require_entered(actor, meeting)
    if _signal_of(p.id, kind) is not None:
        raise Conflict("That signal is already on.", code="already_raised")
    return p


def do_raise_signal(p: Participant, kind: str) -> Signal:
    sig = Signal(meeting_id=p.meeting_id, participant_id=p.id, kind=kind, raised_at=utcnow())
    db.session.add(sig)
    try:
        db.session.flush()
    except IntegrityError:  # the same signal sent twice at once
        raise Conflict("That signal is already on.", code="already_raised") from None
    _publish_signals(p.meeting_id, [p.id])
    return sig


def check_lower_signal(actor: Actor, kind: str) -> Signal:
    if actor.facilitating:
        raise Conflict("Facilitators clear someone's signal with signal.clear.", code="not_participant")
    p = load_participant(actor)
    sig = _signal_of(p.id, kind)
    if sig is None:
        raise Conflict("That signal is not on.", code="not_raised")
    return sig


def check_clear_signal(actor: Actor, participant_id: int, kind: str) -> Signal:
    require_facilitating(actor)
    p = same_meeting(actor, participant_id)
    sig = _signal_of(p.id, kind)
    if sig is None:
        raise Conflict(f"{p.display_name} does not have that signal on.", code="not_raised")
    return sig


def do_lower_signal(sig: Signal) -> None:
    """Lower one signal (the person's own, or a facilitator clearing it)."""
    mid, pid = sig.meeting_id, sig.participant_id
    db.session.delete(sig)
    db.session.flush()
    _publish_signals(mid, [pid])


def check_clear_all(actor: Actor) -> None:
    require_facilitating(actor)


def do_clear_all(meeting: Meeting, kind: str | None = None) -> int:
    """Clear every signal (or every one of a kind). Returns how many were cleared."""
    rows = [s for s in signals_of(meeting.id) if kind is None or s.kind == kind]
    if not rows:
        return 0
    db.session.execute(delete(Signal).where(Signal.id.in_([s.id for s in rows]))
                       .execution_options(synchronize_session=False))
    for s in rows:
        db.session.expunge(s)
    _publish_signals(meeting.id, [s.participant_id for s in rows])
    return len(rows)


def release_signals(p: Participant) -> None:
    """Someone was removed: their standing signals go (call from the removal action)."""
    rows = signals_of(p.meeting_id, p.id)
    for s in rows:
        db.session.delete(s)
    if rows:
        db.session.flush()
        _publish_signals(p.meeting_id, [p.id])


# ---- the private support signal ------------------------------------------------------------

def _pending_support(participant_id: int) -> SupportRequest | None:
    req = latest_support(participant_id)
    return req if req is not None and req.acknowledged_at is None and req.withdrawn_at is None else None


def check_support(actor: Actor, meeting: Meeting) -> Participant:
    if actor.facilitating:
        raise Conflict("The support signal is for participants.", code="not_participant")
    p = load_participant(actor)
    if meeting.state == "ended":
        raise Conflict("This session has ended.", code="meeting_ended")
    return p


def do_support(p: Participant) -> tuple[SupportRequest, bool]:
    """Ask for support. Pressing again while a request waits changes nothing. Returns (request, new)."""
    pending = _pending_support(p.id)
    if pending is not None:
        return pending, False
    req = SupportRequest(meeting_id=p.meeting_id, participant_id=p.id, raised_at=utcnow())
    db.session.add(req)
    try:
        db.session.flush()
    except IntegrityError:  # pressed twice at once (two tabs): the other press made the request
        raise Conflict("Your request is already with the facilitators.", code="already_pending") from None
    _publish_support(req)
    return req, True


def check_withdraw_support(actor: Actor) -> SupportRequest:
    if actor.facilitating:
        raise Conflict("The support signal is for participants.", code="not_participant")
    p = load_participant(actor)
    req = _pending_support(p.id)
    if req is None:
        raise Conflict("There is no request waiting.", code="no_request")
    return req


def do_withdraw_support(req: SupportRequest) -> None:
    req.withdrawn_at = utcnow()
    db.session.flush()
    _publish_support(req)


def check_ack_support(actor: Actor, request_id: int) -> SupportRequest:
    require_facilitating(actor)
    req = owned(actor, SupportRequest, request_id, "request")
    if req.acknowledged_at is not None:
        raise Conflict("A facilitator has already acknowledged this.", code="already_acknowledged")
    if req.withdrawn_at is not None:
        raise Conflict("This request was withdrawn.", code="withdrawn")
    return req


def do_ack_support(actor: Actor, req: SupportRequest) -> None:
    """A facilitator has seen it; the person is told privately."""
    req.acknowledged_at = utcnow()
    req.acknowledged_by = actor.user_id
    db.session.flush()
    _publish_support(req)


# ---- whole actions: check, change, reply (what a socket handler calls) -----------------------

def raise_signal(actor: Actor, kind: str) -> dict:
    meeting = meeting_of(actor)
    p = check_raise_signal(actor, meeting, kind)
    do_raise_signal(p, kind)
    return {"signals": my_signals(meeting.id, p.id)}


def lower_signal(actor: Actor, kind: str) -> None:
    do_lower_signal(check_lower_signal(actor, kind))


def clear_signal(actor: Actor, participant_id: int, kind: str) -> None:
    do_lower_signal(check_clear_signal(actor, participant_id, kind))


def clear_all_signals(actor: Actor, kind: str | None) -> dict:
    check_clear_all(actor)
    return {"cleared": do_clear_all(meeting_of(actor), kind)}


def ask_for_support(actor: Actor) -> dict:
    meeting = meeting_of(actor)
    p = check_support(actor, meeting)
    _req, new = do_support(p)
    return {"new": new, **my_support(p.id)}


def withdraw_support(actor: Actor) -> None:
    do_withdraw_support(check_withdraw_support(actor))


def ack_support(actor: Actor, request_id: int) -> None:
    do_ack_support(actor, check_ack_support(actor, request_id))
