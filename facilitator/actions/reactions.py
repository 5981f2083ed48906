"""Reactions (thumbs up, clap, heart, laugh, agree, disagree): momentary, counted, never named.

A burst of reactions must not flood the channel, so they are not published one by one. Each
accepted reaction is added to a per-meeting tally; the first one of a window starts a background
task (`socketio.start_background_task`, sleeping with `socketio.sleep`, so it works on threading,
eventlet and gevent alike) that publishes one `reactions.burst` with the counts per kind once the
window (`REACTION_WINDOW_SECONDS`, 0.5 s) has passed. A timer, rather than flushing lazily on the
next reaction, because the last reactions of a burst would otherwise wait for someone else to
react. Each participant may send `REACTION_LIMIT` (5) per `REACTION_PER_SECONDS` (3 s); more are
refused with `rate_limited` and `fields.retry_after` (seconds).

Trade-off, on purpose: the tally and the rate limit live in the memory of the worker that holds
the participant's connection (sticky sessions keep a connection on one worker), not in the
database. Reactions are ephemeral: nothing is kept, so nothing that matters is lost if a worker
dies (at most one window's reactions). With several workers each coalesces its own connections,
so a meeting may get one burst per worker per window, and a participant connected through two
workers at once could send twice the limit. Both are harmless for momentary reactions, and
worth it: a database write per reaction is exactly the load coalescing exists to avoid.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import Counter

from flask import current_app

from ..access import Actor, require_entered
from ..errors import ActionError, Conflict, NotAllowed
from ..events import after_commit, declare, publish
from ..extensions import db, socketio
from .. import limits
from ..limits import SlidingWindow
from ..models import Meeting, Participant
from ..schemas.common import shared
from ..schemas.signals import REACTION_KINDS, ReactionBurstOut

declare("reactions", "burst", ("meeting",), ReactionBurstOut,
        "Reactions of the last moment, counted per kind (no names). Momentary: show briefly, keep nothing.")

log = logging.getLogger(__name__)
DEFAULTS = {"REACTION_WINDOW_SECONDS": 0.5, "REACTION_LIMIT": 5, "REACTION_PER_SECONDS": 3.0}


class RateLimited(limits.RateLimited):
    message = "That is a lot of reactions at once. Please wait a moment."


class Reactions:
    """This worker's pending tallies per meeting and each participant's recent reactions."""

    def __init__(self, window: float, limit: int, per: float, clock=time.monotonic):
        self.window, self.limit, self.per, self.clock = window, limit, per, clock
        self._lock = threading.Lock()
        self._pending: dict[int, Counter] = {}
        self._rate = SlidingWindow(limit, per, clock)

    def allow(self, participant_id: int) -> float | None:
        """Take one of the participant's reactions; None if allowed, else seconds until one is."""
        return self._rate.take(participant_id)

    def retry_after(self, participant_id: int) -> float | None:
        """Seconds until the participant may react again, or None (counts nothing)."""
        return self._rate.wait(participant_id)

    def add(self, meeting_id: int, kind: str) -> bool:
        """Count a reaction. True when it opens a new window for the meeting (schedule a flush)."""
        with self._lock:
            opened = meeting_id not in self._pending
            self._pending.setdefault(meeting_id, Counter())[kind] += 1
            return opened

    def take(self, meeting_id: int) -> Counter:
        """The meeting's tally so far, closing its window (the next reaction opens a new one)."""
        with self._lock:
            return self._pending.pop(meeting_id, Counter())


def reactions_state(app=None) -> Reactions:
    """This app's coalescer (one per app, so that tests never share one)."""
    app = app or current_app._get_current_object()
    state = app.extensions.get("facilitator_reactions")
    if state is None:
        cfg = {k: app.config.get(k, v) for k, v in DEFAULTS.items()}
        state = app.extensions.setdefault("facilitator_reactions", Reactions(
            cfg["REACTION_WINDOW_SECONDS"], cfg["REACTION_LIMIT"], cfg["REACTION_PER_SECONDS"]))
    return state


def refuse_flood(actor: Actor) -> None:
    """Refuse someone already over their reaction rate before any database work: in a storm most
    reactions are refused, and loading the meeting and the person for each of them was what
    slowed every other meeting on the worker (make bench's storm)."""
    if actor.participant_id is None:
        return
    wait = reactions_state().retry_after(actor.participant_id)
    if wait is not None:
        raise RateLimited(fields={"retry_after": wait})


def check_react(actor: Actor, meeting: Meeting) -> Participant:
    """Participants who have entered may react, within their rate; observers watch."""
    if actor.facilitating:
        raise Conflict("Reactions are for participants.", code="not_participant")
    p = require_entered(actor, meeting)
    if p.role == "observer":
        raise NotAllowed("Observers watch without reacting.", code="observer")
    wait = reactions_state().allow(p.id)
    if wait is not None:
        raise RateLimited(fields={"retry_after": wait})
    return p


def do_react(meeting: Meeting, kind: str) -> None:
    """Count the reaction once the request commits; the first of a window schedules its burst."""
    app = current_app._get_current_object()
    meeting_id = meeting.id

    def accept():
        state = reactions_state(app)
        if state.add(meeting_id, kind):
            socketio.start_background_task(_flush_later, app, meeting_id, state.window)

    after_commit(accept)


def do_flush(meeting_id: int, app=None) -> dict | None:
    """Publish the meeting's pending tally as one `reactions.burst` (nothing if there is none)."""
    counts = reactions_state(app).take(meeting_id)
    if not counts or db.session.get(Meeting, meeting_id) is None:
        return None
    data = {"counts": {k: counts.get(k, 0) for k in REACTION_KINDS}, "total": sum(counts.values())}
    return publish(meeting_id, "meeting", "reactions", "burst", shared(ReactionBurstOut).dump(data))


def _flush_later(app, meeting_id: int, window: float) -> None:
    socketio.sleep(window)
    with app.app_context():
        try:
            do_flush(meeting_id, app)
            db.session.commit()
        except Exception:  # reactions are momentary: a lost burst is not worth more than a log line
            db.session.rollback()
            log.exception("reaction burst for meeting %s failed", meeting_id)
        finally:
            db.session.remove()
