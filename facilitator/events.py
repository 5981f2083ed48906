"""Outbound events: queued on the database session by actions, emitted only after commit.

Every event has the envelope ``{"type", "op", "stream", "seq", "data"}``. ``seq`` grows by one
per stream of a meeting and is allocated in the database, so any number of workers agree.
Streams: ``meeting`` (everyone inside the meeting), ``facilitators``, ``p<id>`` (one
participant's own), and ``b<room id>`` (the members of one breakout room: a participant must
never receive another room's events, nor see a gap in seq where they went by). ``gate``
notices (to people still reading the ground rules) carry no seq: the client answers any of
them with a ``sync``.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app, has_app_context
from marshmallow import Schema
from sqlalchemy import event as sa_event
from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from .extensions import db, socketio
from .models import EventStream

log = logging.getLogger(__name__)
_PENDING = "facilitator_pending_events"
_CALLS = "facilitator_after_commit_calls"


@dataclass(frozen=True)
class EventSpec:
    type: str
    op: str
    streams: tuple[str, ...]
    schema: type[Schema]
    summary: str


# (type, op, stream kind) -> spec. Every event that can be published is declared here, which
# is what the AsyncAPI document is generated from. The same type and op may be declared for
# several streams, with a different payload for each (e.g. a gate notice carries no data).
OUTBOUND: dict[tuple[str, str, str], EventSpec] = {}


def declare(type_: str, op: str, streams: tuple[str, ...], schema: type[Schema], summary: str) -> None:
    for stream in streams:
        key = (type_, op, stream)
        if key in OUTBOUND:
            raise ValueError(f"event {type_}.{op} declared twice for stream {stream}")
        OUTBOUND[key] = EventSpec(type_, op, (stream,), schema, summary)


def stream_room(meeting_id: int, stream: str) -> str:
    if stream == "meeting":
        return f"meeting:{meeting_id}"
    if stream == "facilitators":
        return f"meeting:{meeting_id}:facilitators"
    if stream == "gate":
        return f"meeting:{meeting_id}:gate"
    if stream.startswith("p") and stream[1:].isdigit():
        return f"participant:{stream[1:]}"
    if stream.startswith("b") and stream[1:].isdigit():
        return f"breakout:{stream[1:]}"
    raise ValueError(f"unknown stream {stream!r}")


def participant_stream(participant_id: int) -> str:
    return f"p{participant_id}"


def _stream_kind(stream: str) -> str:
    if stream[:1] in ("p", "b") and stream[1:].isdigit():
        return "participant" if stream[0] == "p" else "breakout"
    return stream


_LOCKED = "facilitator_locked_meetings"


def _lock_meeting_streams(meeting_id: int, stream: str) -> None:
    """Before a transaction's first number of a meeting, lock that meeting's `meeting` stream row.

    Each number is taken with a row lock held until commit. Actions publish their streams in
    different orders (a floor change: meeting, then facilitators; a vote: facilitators, then
    meeting), and two such transactions in one meeting deadlocked on PostgreSQL (seen under
    `make bench`). Taking the `meeting` row first, always, gives every publisher of a meeting the
    same lock order; the numbers themselves are unchanged.
    """
    locked = db.session.info.setdefault(_LOCKED, set())
    if meeting_id in locked:
        return
    locked.add(meeting_id)
    if stream != "meeting":
        db.session.execute(db.select(EventStream.seq).where(
            EventStream.meeting_id == meeting_id, EventStream.stream == "meeting").with_for_update())


def next_seq(meeting_id: int, stream: str) -> int:
    """Take the next number on a stream inside the current transaction (row-locked on PostgreSQL)."""
    _lock_meeting_streams(meeting_id, stream)
    stmt = (
        update(EventStream)
        .where(EventStream.meeting_id == meeting_id, EventStream.stream == stream)
        .values(seq=EventStream.seq + 1)
        .returning(EventStream.seq)
    )
    seq = db.session.execute(stmt).scalar_one_or_none()
    if seq is None:
        db.session.execute(insert(EventStream).values(meeting_id=meeting_id, stream=stream, seq=1))
        seq = 1
    return seq


def current_seqs(meeting_id: int, streams: list[str]) -> dict[str, int]:
    rows = db.session.execute(
        db.select(EventStream.stream, EventStream.seq).where(
            EventStream.meeting_id == meeting_id, EventStream.stream.in_(streams)
        )
    ).all()
    found = dict(rows)
    return {s: found.get(s, 0) for s in streams}


def publish(meeting_id: int, stream: str, type_: str, op: str, data: dict) -> dict:
    """Queue an event for `stream`; it goes out only if and when the transaction commits."""
    if (type_, op, _stream_kind(stream)) not in OUTBOUND:
        raise LookupError(f"event {type_}.{op} is not declared for stream {stream}")
    seq = None if stream == "gate" else next_seq(meeting_id, stream)
    envelope = {"type": type_, "op": op, "stream": stream, "seq": seq, "data": data}
    db.session.info.setdefault(_PENDING, []).append((stream_room(meeting_id, stream), envelope))
    return envelope


def pending(session=None) -> list[tuple[str, dict]]:
    """Events queued in this transaction and not yet emitted (for tests and debugging)."""
    return list((session or db.session).info.get(_PENDING, []))


def after_commit(fn) -> None:
    """Run `fn()` once the current transaction commits (e.g. close a removed person's sockets)."""
    db.session.info.setdefault(_CALLS, []).append(fn)


@sa_event.listens_for(Session, "after_commit")
def _emit_after_commit(session: Session) -> None:
    queued = session.info.pop(_PENDING, [])
    calls = session.info.pop(_CALLS, [])
    session.info.pop(_LOCKED, None)
    for room, envelope in queued:
        try:
            socketio.emit("event", envelope, to=room)
        except Exception:  # the data is committed; a client that misses this resyncs on the gap
            log.exception("emit failed for %s %s.%s", room, envelope["type"], envelope["op"])
    for fn in calls:
        try:
            # This session is mid-commit and can run no SQL. A call such as closing a socket runs
            # the disconnect handler right here, which writes; give it an app context (and so a
            # database session) of its own.
            if has_app_context():
                with current_app.app_context():
                    fn()
            else:
                fn()
        except Exception:
            log.exception("after-commit call failed")


@sa_event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_CALLS, None)
    session.info.pop(_LOCKED, None)
