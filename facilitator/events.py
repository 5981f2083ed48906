"""Outbound events: queued on the database session by actions, emitted only after commit.

Every event has the envelope ``{"type", "op", "stream", "seq", "data"}``. ``seq`` grows by one
per stream of a meeting and is allocated in the database, so any number of workers agree.
Streams: ``meeting`` (everyone inside the meeting), ``facilitators``, ``p<id>`` (one
participant's own), and ``b<room id>`` (the members of one breakout room: a participant must
never receive another room's events, nor see a gap in seq where they went by). ``gate``
notices (to people still reading the ground rules) carry no seq: the client answers any of
them with a ``sync``.

Numbers follow commit order, delivery need not: an event is sent once its transaction has
ended, so two actions committed close together (in one process, or in two through Redis) can
reach a client the other way round. Clients apply each stream by number, holding an early event
until the ones before it arrive, and resync only on a gap that stays open (static/js/live.js).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app, has_app_context
from marshmallow import Schema
from sqlalchemy import event as sa_event
from sqlalchemy import Integer, bindparam, case, exists, select
from sqlalchemy.orm import Session

from .extensions import db, socketio
from .models import EventStream

log = logging.getLogger(__name__)
_PENDING = "facilitator_pending_events"
_CALLS = "facilitator_after_commit_calls"
_COMMITTED = "facilitator_committed_events"


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
        return person_room(int(stream[1:]))
    if stream.startswith("b") and stream[1:].isdigit():
        return f"breakout:{stream[1:]}"
    raise ValueError(f"unknown stream {stream!r}")


def participant_stream(participant_id: int) -> str:
    return f"p{participant_id}"


# Rooms that carry no events: they say which sockets to close (see `close_sockets`).
def account_room(user_id: int) -> str:
    """Every console socket an account has open, in any meeting."""
    return f"account:{user_id}"


def meeting_sockets_room(meeting_id: int) -> str:
    """Every socket of a meeting, whatever its role or state (a removed person's too)."""
    return f"meeting:{meeting_id}:all"


def person_room(participant_id: int) -> str:
    """Every socket of one participant or observer (their own stream's room)."""
    return f"participant:{participant_id}"


def close_sockets(room: str) -> None:
    """Once the transaction commits, disconnect every socket in `room`, on every worker.

    Sockets are found by the room the server put them in, not by `Connection` rows: those are
    bookkeeping that a disconnect (a real one, or a forged one that slipped through) deletes."""
    after_commit(lambda: socketio.server.manager.disconnect_room(room))


def _stream_kind(stream: str) -> str:
    if stream[:1] in ("p", "b") and stream[1:].isdigit():
        return "participant" if stream[0] == "p" else "breakout"
    return stream


_STREAMS = EventStream.__table__
_GATE = _STREAMS.alias("gate")


def _lock_meeting_row(session: Session, meeting_id: int) -> None:
    session.connection().execute(select(_STREAMS.c.seq).where(
        _STREAMS.c.meeting_id == meeting_id, _STREAMS.c.stream == "meeting").with_for_update())


@lru_cache(maxsize=64)
def _advance_statement(n: int, gated: bool):
    """The UPDATE ... RETURNING of `_advance` for `n` streams, built once for each shape: the
    streams' names and counts are parameters (`s0`.., `c0`..), the meeting is `meeting` (a
    column's own name is reserved for its SET value in an UPDATE)."""
    names = [bindparam(f"s{i}", type_=_STREAMS.c.stream.type) for i in range(n)]
    step = case(*[(_STREAMS.c.stream == name, bindparam(f"c{i}", type_=Integer)) for i, name in enumerate(names)],
                else_=0)
    meeting_id = bindparam("meeting", type_=Integer)
    where = [_STREAMS.c.meeting_id == meeting_id, _STREAMS.c.stream.in_(names)]
    if gated:
        gate = select(_GATE.c.seq).where(_GATE.c.meeting_id == meeting_id, _GATE.c.stream == "meeting")
        where.append(exists(gate.with_for_update()))
    return (_STREAMS.update().where(*where).values(seq=_STREAMS.c.seq + step)
            .returning(_STREAMS.c.stream, _STREAMS.c.seq))


def _advance(session: Session, meeting_id: int, counts: dict[str, int], names: list[str], *,
             gated: bool = False) -> dict[str, int]:
    """Add each named stream's count to its stored number; the new numbers of the rows that exist.

    `gated`: the same statement first locks the meeting's `meeting` row (an EXISTS sub-select
    FOR UPDATE, which PostgreSQL runs once, before the UPDATE touches any row: a one-time filter
    above the scan). That is the lock order `_allocate` relies on, without a statement of its own.

    Core statements on the table: no ORM object holds these rows, and the ORM's bulk-update path
    cost more than the statement itself (profiled under `make bench`)."""
    params = {"meeting": meeting_id}
    for i, name in enumerate(names):
        params[f"s{i}"], params[f"c{i}"] = name, counts[name]
    return dict(session.connection().execute(_advance_statement(len(names), gated), params).all())


class SeqAt:
    """A placeholder for a number in an event's data (a top-level value): "where `stream` stands
    at this event".

    Numbers are allocated at commit (see `_allocate`), so an event that tells its reader where
    another stream is (a participant moved into a breakout room learns the room stream's seq)
    cannot know it when published; allocation fills it in, in publishing order."""

    __slots__ = ("stream",)

    def __init__(self, stream: str):
        self.stream = stream


def _allocate(session: Session) -> None:
    """Give every event queued in this transaction its number, in as few statements as possible.

    One meeting's numbers take one statement, whatever the number of events and streams: an
    UPDATE ... RETURNING that adds each stream's count (a hand lowered at the front of a queue of
    20 renumbers 20 people's own streams; one statement each was most of that action's cost).

    Lock order: numbers are taken last in a transaction, and a transaction that takes more than
    one stream's row of a meeting takes that meeting's `meeting` row first (in the same
    statement: `_advance(gated=True)`), so two of them never hold one row each while waiting for
    the other's (actions publish their streams in different orders: a floor change meeting then
    facilitators, a vote facilitators then meeting).

    A stream's first event creates its row. Creators take the `meeting` row first too, and look
    again for the rows they miss in a statement of their own: a statement that waited for the
    `meeting` row sees only rows committed before it began, and the transaction it waited for
    may have just created one of them.
    """
    queued = session.info.get(_PENDING)
    if not queued:
        return
    per_meeting: dict[int, dict[str, int]] = {}
    for meeting_id, _room, env in queued:
        counts = per_meeting.setdefault(meeting_id, {})
        if env["stream"] != "gate":
            counts[env["stream"]] = counts.get(env["stream"], 0) + 1
        for value in env["data"].values():
            if isinstance(value, SeqAt):
                counts.setdefault(value.stream, 0)
    tops: dict[tuple[int, str], int] = {}
    for meeting_id, counts in per_meeting.items():
        if not counts:
            continue
        found = _advance(session, meeting_id, counts, sorted(counts), gated=len(counts) > 1)
        missing = [name for name in sorted(counts) if name not in found]
        if missing:
            # Creators of one meeting's rows take turns on the meeting row, so two of them never
            # insert the same stream (a gated UPDATE that found nothing took no lock: the meeting
            # row itself may be the one missing).
            _lock_meeting_row(session, meeting_id)
            found.update(_advance(session, meeting_id, counts, missing))
            missing = [name for name in missing if name not in found]
            if missing:
                session.connection().execute(_STREAMS.insert(), [
                    {"meeting_id": meeting_id, "stream": name, "seq": counts[name]} for name in missing])
                found.update({name: counts[name] for name in missing})
        for name, count in counts.items():
            tops[(meeting_id, name)] = found[name] - count  # where the stream stood before
    for meeting_id, _room, env in queued:
        for key, value in env["data"].items():
            if isinstance(value, SeqAt):
                env["data"][key] = tops[(meeting_id, value.stream)]
        if env["stream"] != "gate":
            tops[(meeting_id, env["stream"])] += 1
            env["seq"] = tops[(meeting_id, env["stream"])]


def current_seqs(meeting_id: int, streams: list[str]) -> dict[str, int]:
    rows = db.session.execute(
        db.select(EventStream.stream, EventStream.seq).where(
            EventStream.meeting_id == meeting_id, EventStream.stream.in_(streams)
        )
    ).all()
    found = dict(rows)
    return {s: found.get(s, 0) for s in streams}


def publish(meeting_id: int, stream: str, type_: str, op: str, data: dict) -> dict:
    """Queue an event for `stream`; it is numbered at commit and goes out only if that succeeds."""
    if (type_, op, _stream_kind(stream)) not in OUTBOUND:
        raise LookupError(f"event {type_}.{op} is not declared for stream {stream}")
    queued = db.session.info.setdefault(_PENDING, [])
    # `seq` is filled in at commit, by `_allocate`; a gate notice carries none.
    envelope = {"type": type_, "op": op, "stream": stream, "seq": None, "data": data}
    queued.append((meeting_id, stream_room(meeting_id, stream), envelope))
    return envelope


def pending(session=None) -> list[tuple[str, dict]]:
    """Events queued in this transaction and not yet emitted (for tests and debugging)."""
    return [(room, env) for _mid, room, env in (session or db.session).info.get(_PENDING, [])]


def after_commit(fn) -> None:
    """Run `fn()` once the current transaction commits (e.g. close a removed person's sockets)."""
    db.session.info.setdefault(_CALLS, []).append(fn)


@sa_event.listens_for(Session, "before_commit")
def _number_before_commit(session: Session) -> None:
    _allocate(session)


@sa_event.listens_for(Session, "after_commit")
def _keep_after_commit(session: Session) -> None:
    """Committed: what was queued goes out once the transaction has ended (below)."""
    done = (session.info.pop(_PENDING, []), session.info.pop(_CALLS, []))
    if done[0] or done[1]:
        session.info.setdefault(_COMMITTED, []).append(done)


@sa_event.listens_for(Session, "after_transaction_end")
def _emit_after_transaction(session: Session, transaction) -> None:
    """Emit after the database connection has gone back to the pool, not while holding it.

    `after_commit` runs before the session lets go of its connection; fanning an event out to a
    room of 30 there kept the connection checked out for the whole fan-out, and under load the
    pool ran dry (actions then waited for a connection, and at worst timed out)."""
    if transaction.parent is not None:
        return
    for queued, calls in session.info.pop(_COMMITTED, []):
        for _mid, room, envelope in queued:
            try:
                socketio.emit("event", envelope, to=room)
            except Exception:  # the data is committed; a client that misses this resyncs on the gap
                log.exception("emit failed for %s %s.%s", room, envelope["type"], envelope["op"])
        for fn in calls:
            try:
                # A call such as closing a socket runs the disconnect handler right here, which
                # writes; give it an app context (and so a database session) of its own.
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
