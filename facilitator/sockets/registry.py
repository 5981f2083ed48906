"""The registry of inbound socket events, and the wrapper every handler runs in.

A handler is registered with the marshmallow schema that loads its payload; the same
registry produces the AsyncAPI document, so the document cannot drift from what validates.
"""
from __future__ import annotations

import logging
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Callable

from flask import request
from marshmallow import Schema, ValidationError
from sqlalchemy import bindparam, select

from .. import limits
from ..access import FACILITATING, Actor
from ..actions import audit
from ..errors import ActionError, NotAllowed, Unauthenticated, internal_error_payload, outage_error, validation_payload
from ..extensions import db, hold, let_go
from ..logsafe import quiet_sql
from ..models import Meeting, Participant
from ..schemas.common import shared

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Handler:
    name: str
    schema: type[Schema]
    fn: Callable[[Actor, dict], dict | None]
    summary: str
    roles: tuple[str, ...]
    reply: type[Schema] | None = None
    errors: tuple[str, ...] = field(default=())
    # Facilitator-only events go in the audit trail; `target(data)` names the person acted on
    # (read before the action runs, as the action may delete what points to them).
    audited: bool = False
    target: Callable[[dict], int | None] | None = None
    # No SQL logging from the first statement to the commit (a vote: see actions/polls.py).
    quiet: bool = False
    # The limits.py limit this event counts against, per person in the meeting ("hand", "chat"):
    # counted once the action has been let through by its check, so a refused action costs nothing
    # of the allowance, and its answer stays the check's own. `limit_first`: also refuse someone
    # already over it before any database work (a reaction storm: most requests are refused, and
    # each must cost as little as possible).
    limit: str | None = None
    limit_first: bool = False


INBOUND: dict[str, Handler] = {}
# sid -> actor, for the connections this process holds. A connection lives in one process,
# so this is the one thing that may: everything else is in the database.
ACTORS: dict[str, Actor] = {}
ALL_ROLES = ("facilitator", "cofacilitator", "participant", "observer")


def on(name: str, schema: type[Schema], summary: str, *, roles: tuple[str, ...] = ALL_ROLES,
       reply: type[Schema] | None = None, errors: tuple[str, ...] = (),
       target: Callable[[dict], int | None] | None = None, quiet: bool = False, limit: str | None = None,
       limit_first: bool = False):
    """Register a socket event handler `fn(actor, data) -> dict | None` with its load schema.

    An event only facilitators may send is audited: each success writes one audit entry naming
    `target(data)` (default: the payload's `participant_id`) in the action's own transaction.
    The error codes it can answer with are read from the code (sockets/declared.py); `errors=` is
    only for a code that walk cannot see. `limit=` names the rate limit it counts against.
    """

    def deco(fn):
        if limit_first and limit is None:
            raise ValueError(f"socket event {name}: limit_first without a limit")
        if name in INBOUND:
            raise ValueError(f"socket event {name} registered twice")
        audited = all(role in FACILITATING for role in roles)
        if limit is not None and limit not in limits.DEFAULT_LIMITS:
            raise ValueError(f"socket event {name}: no limit called {limit}")
        INBOUND[name] = Handler(name, schema, fn, summary, roles, reply, errors, audited, target, quiet, limit,
                                limit_first)
        return fn

    return deco


def refuse_role(handler: Handler, actor: Actor) -> None:
    """Refuse an actor whose role the handler was not declared for, before its payload is read or
    its check runs: a handler whose `check_*` forgets the role is still closed to the others. The
    checks keep their own role tests; this is the layer beneath them, with the same codes."""
    if actor.role in handler.roles:
        return
    if actor.facilitating:
        raise NotAllowed("Participants do that from their own page, not facilitators.", code="not_participant")
    if actor.role == "observer" and "participant" in handler.roles:
        raise NotAllowed("Observers follow the session without taking part in that.", code="observer")
    raise NotAllowed("Only facilitators can do that.")


def error_ack(payload: dict) -> dict:
    return {"ok": False, "error": payload}


def run(handler: Handler, args: tuple) -> dict:
    """Load, act, commit, acknowledge. Whatever happens, the client gets an ack and no trace."""
    try:
        with quiet_sql() if handler.quiet else nullcontext():
            return _run(handler, args)
    finally:
        let_go()


def person_key(actor: Actor) -> tuple:
    """Whose allowance a rate limit counts: one participant, or one facilitator's account, in a meeting."""
    if actor.participant_id is not None:
        return (actor.meeting_id, "p", actor.participant_id)
    return (actor.meeting_id, "u", actor.user_id)


def _run(handler: Handler, args: tuple) -> dict:
    counted = None
    try:
        actor = ACTORS.get(request.sid)
        if actor is None:
            raise Unauthenticated("This connection is not signed in to a session.")
        refuse_role(handler, actor)
        if len(args) > 1:
            raise ActionError("Send one JSON object as the event's data.", code="invalid")
        raw = args[0] if args else None
        data = shared(handler.schema).load({} if raw is None else raw)
        if handler.limit_first:
            limits.refuse_if_over(handler.limit, person_key(actor))
        target = _target(handler, data) if handler.audited else None
        _preload(actor)
        result = handler.fn(actor, data)
        if handler.limit is not None:  # over it: refused, and the action's changes rolled back unsent
            counted = (person_key(actor), limits.take_for(handler.limit, person_key(actor)))
        if handler.audited and actor.facilitating:
            audit.record(actor, handler.name, target)
        db.session.commit()
        return {"ok": True, **(result or {})}
    except ValidationError as exc:
        _rollback()
        return error_ack(validation_payload(exc.messages))
    except ActionError as exc:
        _give_back(handler, counted)  # (only a failure after counting: the audit entry, the commit)
        _rollback()
        return exc.ack()
    except Exception as exc:
        _give_back(handler, counted)
        db.session.rollback()
        outage = outage_error(exc)
        if outage is not None:  # the database away, or the worker overloaded: a clear code, no trace
            log.warning("socket event %s: database %s (%s)", handler.name, outage.code, type(exc).__name__)
            return outage.ack()
        log.exception("socket event %s failed", handler.name)
        return error_ack(internal_error_payload())


def _give_back(handler: Handler, counted: tuple | None) -> None:
    """A refused action does not use up the person's allowance (nothing happened)."""
    if counted is not None:
        limits.give_back(handler.limit, *counted)


def _rollback() -> None:
    """Roll back the action's transaction, if it began one: a request refused before any
    database work (bad input, a flood) should not make a session just to end it."""
    if db.session.registry.has():
        db.session.rollback()


# Built once, run with parameters: building an ORM statement and its cache key cost more CPU
# than running it (about 0.3 ms for the floor's lock statement), on every action. The same is
# done for the other statements of the busiest actions (floor, chat, polls, event numbers).
_PRELOAD = (select(Participant, Meeting).join(Meeting, Meeting.id == Participant.meeting_id)
            .where(Participant.id == bindparam("participant_id")))


def _preload(actor: Actor) -> None:
    """Load, in one statement, what nearly every handler reads first: the meeting and, for a
    participant, their own row. Later `session.get`s of either find them without a query (the
    session's identity map holds objects weakly, so they are kept referenced for the action)."""
    if actor.participant_id is not None:
        row = db.session.execute(_PRELOAD, {"participant_id": actor.participant_id}).first()
    else:
        row = db.session.get(Meeting, actor.meeting_id)
    hold(row)


def _target(handler: Handler, data: dict) -> int | None:
    if handler.target is not None:
        return handler.target(data)
    pid = data.get("participant_id")
    return pid if isinstance(pid, int) else None


def register(socketio) -> None:
    """Bind every registered handler, plus a catch-all that answers unknown events."""
    for name, handler in INBOUND.items():
        socketio.on_event(name, _bind(handler))

    @socketio.on("*")
    def _unknown(event, *args):
        return error_ack({"code": "unknown_event", "message": f"There is no event called {str(event)[:60]!r}.",
                          "fields": {}})

    @socketio.on_error_default
    def _default_error(exc):  # only reached if something escapes `run`
        db.session.rollback()
        log.error("unhandled socket error: %r", exc)
        return error_ack(internal_error_payload())


def _bind(handler: Handler):
    name = handler.name

    def _handler(*args):
        return run(INBOUND[name], args)  # looked up at call time, so a test can swap a handler in

    _handler.__name__ = f"on_{handler.name.replace('.', '_')}"
    return _handler
