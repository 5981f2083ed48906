"""The registry of inbound socket events, and the wrapper every handler runs in.

A handler is registered with the marshmallow schema that loads its payload; the same
registry produces the AsyncAPI document, so the document cannot drift from what validates.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable

from flask import request
from marshmallow import Schema, ValidationError

from ..access import FACILITATING, Actor
from ..actions import audit
from ..errors import (ActionError, Unauthenticated, Unavailable, internal_error_payload, is_database_outage,
                      validation_payload)
from ..extensions import db

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


INBOUND: dict[str, Handler] = {}
# sid -> actor, for the connections this process holds. A connection lives in one process,
# so this is the one thing that may: everything else is in the database.
ACTORS: dict[str, Actor] = {}
ALL_ROLES = ("facilitator", "cofacilitator", "participant", "observer")


def on(name: str, schema: type[Schema], summary: str, *, roles: tuple[str, ...] = ALL_ROLES,
       reply: type[Schema] | None = None, errors: tuple[str, ...] = (),
       target: Callable[[dict], int | None] | None = None):
    """Register a socket event handler `fn(actor, data) -> dict | None` with its load schema.

    An event only facilitators may send is audited: each success writes one audit entry naming
    `target(data)` (default: the payload's `participant_id`) in the action's own transaction.
    """

    def deco(fn):
        if name in INBOUND:
            raise ValueError(f"socket event {name} registered twice")
        audited = all(role in FACILITATING for role in roles)
        INBOUND[name] = Handler(name, schema, fn, summary, roles, reply, errors, audited, target)
        return fn

    return deco


def error_ack(payload: dict) -> dict:
    return {"ok": False, "error": payload}


def run(handler: Handler, args: tuple) -> dict:
    """Load, act, commit, acknowledge. Whatever happens, the client gets an ack and no trace."""
    try:
        actor = ACTORS.get(request.sid)
        if actor is None:
            raise Unauthenticated("This connection is not signed in to a session.")
        if len(args) > 1:
            raise ActionError("Send one JSON object as the event's data.", code="invalid")
        raw = args[0] if args else None
        data = handler.schema().load({} if raw is None else raw)
        target = _target(handler, data) if handler.audited else None
        result = handler.fn(actor, data)
        if handler.audited and actor.facilitating:
            audit.record(actor, handler.name, target)
        db.session.commit()
        return {"ok": True, **(result or {})}
    except ValidationError as exc:
        db.session.rollback()
        return error_ack(validation_payload(exc.messages))
    except ActionError as exc:
        db.session.rollback()
        return exc.ack()
    except Exception as exc:
        db.session.rollback()
        if is_database_outage(exc):  # expected while the database is away: a clear code, no trace
            log.warning("socket event %s: database unavailable (%s)", handler.name, type(exc).__name__)
            return Unavailable().ack()
        log.exception("socket event %s failed", handler.name)
        return error_ack(internal_error_payload())


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
    def _handler(*args):
        return run(handler, args)

    _handler.__name__ = f"on_{handler.name.replace('.', '_')}"
    return _handler
