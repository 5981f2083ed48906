"""Connect, disconnect and sync: who is on this connection, and which rooms they belong in."""
from __future__ import annotations

import logging
import os
import socket
import time
import uuid

from flask import current_app, request
from flask_login import current_user
from flask_socketio import join_room, leave_room, rooms
from marshmallow import Schema, ValidationError, fields

# Socket.IO's own exception, not the builtin OSError of the same name: Flask-SocketIO lets only
# this one through to refuse the connection; anything else goes to the default error handler,
# whose (truthy) return value would accept the connection.
from socketio.exceptions import ConnectionRefusedError

from .. import audience
from ..access import Actor, access_meeting, actor_for_participant, load_participant, meeting_of, participant_for_token
from ..actions.participants import do_connect, do_disconnect
from ..errors import ActionError, Unauthenticated, outage_error
from ..extensions import db
from ..models import utcnow
from ..schemas.common import EmptyIn, Id, Text, shared
from ..state import snapshot
from .registry import ACTORS, on

log = logging.getLogger(__name__)
WORKER_ID = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class ConnectAuthIn(Schema):
    """The Socket.IO `auth` payload: a participant token, or a meeting id for a signed-in facilitator."""

    token = Text(min_len=16, max_len=128, strip=False)
    meeting_id = Id()


class SnapshotReply(Schema):
    ok = fields.Boolean()
    snapshot = fields.Dict(metadata={"description": "The role-filtered state; see state.snapshot."})
    server_time = fields.DateTime(metadata={"description": "Server clock, for drawing timers."})


def origin_allowed(origin: str | None) -> bool:
    """The Origin must be this server (when no allow-list is set) or on `ALLOWED_ORIGINS`."""
    if origin is None:  # not a browser; the token or login still decides
        return True
    allowed = current_app.config.get("ALLOWED_ORIGINS")
    if allowed:
        return origin.rstrip("/") in allowed
    return origin.rstrip("/") == request.host_url.rstrip("/")


def authenticate(auth) -> tuple[Actor, object, object]:
    try:
        data = shared(ConnectAuthIn).load(auth or {})
    except ValidationError as exc:
        raise ActionError("The connection details are not valid.", code="invalid", fields=exc.messages)
    if "token" in data:
        p = participant_for_token(data["token"])
        # A client that names its meeting must hold a token of that meeting, not another one's.
        if p is None or data.get("meeting_id", p.meeting_id) != p.meeting_id:
            raise Unauthenticated("This link is no longer valid. Please join again.")
        return actor_for_participant(p), meeting_of(actor_for_participant(p)), p
    if "meeting_id" in data:
        if not current_user.is_authenticated:
            raise Unauthenticated("Please sign in.")
        meeting, actor = access_meeting(current_user, data["meeting_id"])
        return actor, meeting, None
    raise Unauthenticated("A token or a meeting id is needed to connect.")


def reconcile_rooms(actor: Actor, participant) -> None:
    """Put this connection in exactly the rooms its role and state allow."""
    want = audience.rooms(actor.meeting_id, audience.standing(actor, participant))
    have = {r for r in rooms() if r != request.sid}
    for room in have - want:
        leave_room(room)
    for room in want - have:
        join_room(room)


def register_connection_handlers(socketio) -> None:
    @socketio.on("connect")
    def _connect(auth=None):
        try:
            if not origin_allowed(request.headers.get("Origin")):
                raise ActionError("This origin is not allowed.", code="origin_refused")
            actor, meeting, participant = authenticate(auth)
            ACTORS[request.sid] = actor
            reconcile_rooms(actor, participant)
            do_connect(meeting, request.sid, WORKER_ID, participant=participant, user_id=actor.user_id)
            db.session.commit()
        except ActionError as exc:
            db.session.rollback()
            ACTORS.pop(request.sid, None)
            raise ConnectionRefusedError(exc.message, exc.payload())
        except ConnectionRefusedError:
            raise
        except Exception as exc:
            db.session.rollback()
            ACTORS.pop(request.sid, None)
            outage = outage_error(exc)
            if outage is not None:
                log.warning("connect: database %s (%s)", outage.code, type(exc).__name__)
                payload = outage.payload()
            else:
                log.exception("connect failed")
                payload = {"code": "internal", "message": "Could not connect; please retry.", "fields": {}}
            raise ConnectionRefusedError(payload["message"], payload)

    @socketio.on("disconnect")
    def _disconnect(reason=None):
        ACTORS.pop(request.sid, None)
        try:
            do_disconnect(request.sid, lost_reason(socketio, request.sid, reason if isinstance(reason, str) else None))
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("disconnect bookkeeping failed")


def lost_reason(socketio, sid: str, reason: str | None) -> str | None:
    """The disconnect reason, naming a ping timeout for what it is: a client that stopped answering
    pings may still be reported as "transport close" when its socket is torn down, and a lost
    client must not wait for the grace period meant for page reloads (see actions/safety.py)."""
    if reason != "transport close":
        return reason
    server = socketio.server
    eio_sid = server.manager.eio_sid_from_sid(sid, "/")
    sock = server.eio.sockets.get(eio_sid) if eio_sid else None
    waited = time.time() - sock.last_ping if sock is not None and sock.last_ping else 0.0
    return "ping timeout" if waited >= server.eio.ping_timeout / 2 else reason


@on("sync", EmptyIn, "Get the full state for your role (after connecting, or on a gap in `seq`).",
    reply=SnapshotReply)
def on_sync(actor: Actor, data: dict) -> dict:
    meeting = meeting_of(actor)
    participant = None
    if not actor.facilitating:
        participant = load_participant(actor)
    reconcile_rooms(actor, participant)
    return {"snapshot": snapshot(meeting, actor), "server_time": utcnow().isoformat()}
