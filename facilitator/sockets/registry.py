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

from ..access import Actor
from ..errors import ActionError, Unauthenticated, internal_error_payload, validation_payload
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


INBOUND: dict[str, Handler] = {}
# sid -> actor, for the connections this process holds. A connection lives in one process,
# so this is the one thing that may: everything else is in the database.
ACTORS: dict[str, Actor] = {}
ALL_ROLES = ("facilitator", "cofacilitator", "participant", "observer")


def on(name: str, schema: type[Schema], summary: str, *, roles: tuple[str, ...] = ALL_ROLES,
       reply: type[Schema] | None = None, errors: tuple[str, ...] = ()):
    """Register a socket event handler `fn(actor, data) -> dict | None` with its load schema."""

    def deco(fn):
        if name in INBOUND:
            raise ValueError(f"socket event {name} registered twice")
        INBOUND[name] = Handler(name, schema, fn, summary, roles, reply, errors)
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
        result = handler.fn(actor, data)
        db.session.commit()
        return {"ok": True, **(result or {})}
    except ValidationError as exc:
        db.session.rollback()
        return error_ack(validation_payload(exc.messages))
    except ActionError as exc:
        db.session.rollback()
        return exc.ack()
    except Exception:
        db.session.rollback()
        log.exception("socket event %s failed", handler.name)
        return error_ack(internal_error_payload())


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
