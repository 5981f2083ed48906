"""Reactions (thumbs up, clap, heart, laugh, agree, disagree): momentary, counted, never named.

A burst of reactions must not flood the channel, so they are not published one by one. Each
accepted reaction is added to a per-meeting tally; the first one of a window starts a background
task (`socketio.start_background_task`, sleeping with `socketio.sleep`, so it works on threading,
eventlet and gevent alike) that publishes one `reactions.burst` with the counts per kind once the
window (`REACTION_WINDOW_SECONDS`, 0.5 s) has passed. A timer, rather than flushing lazily on the
next reaction, because the last reactions of a burst would otherwise wait for someone else to
react. Each participant may send 5 per 3 seconds (the `reaction` limit of limits.py, applied by the
socket registry before any database work); more are refused with `rate_limited` and
`fields.retry_after` (seconds).

Trade-off, on purpose: the tally, like the rate limit, lives in the memory of the worker that holds
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
from collections import Counter

from flask import current_app

from ..access import Actor, meeting_of, require_entered
from ..errors import Conflict, NotAllowed
from ..events import after_commit, declare, publish
from ..extensions import db, socketio
from ..models import Meeting, Participant
from ..schemas.common import shared
from ..schemas.signals import REACTION_KINDS, ReactionBurstOut

declare("reactions", "burst", ("meeting",), ReactionBurstOut,
        "Reactions of the last moment, counted per kind (no names). Momentary: show briefly, keep nothing.")

log = logging.getLogger(__name__)
DEFAULTS = {"REACTION_WINDOW_SECONDS": 0.5}


class Reactions:
    """This worker's pending tallies per meeting."""

    def __init__(self, window: float):
        self.window = window
        self._lock = threading.Lock()
        self._pending: dict[int, Counter] = {}

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
        window = app.config.get("REACTION_WINDOW_SECONDS", DEFAULTS["REACTION_WINDOW_SECONDS"])
        state = app.extensions.setdefault("facilitator_reactions", Reactions(window))
    return state


def check_react(actor: Actor, meeting: Meeting) -> Participant:
    """Participants who have entered may react; observers watch. (Their rate is the registry's.)"""
    if actor.facilitating:
        raise Conflict("Reactions are for participants.", code="not_participant")
    p = require_entered(actor, meeting)
    if p.role == "observer":
        raise NotAllowed("Observers watch without reacting.", code="observer")
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


def react(actor: Actor, kind: str) -> None:
    """The whole action: check, then count the reaction."""
    meeting = meeting_of(actor)
    check_react(actor, meeting)
    do_react(meeting, kind)


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
