"""The AsyncAPI 3 document of the Socket.IO protocol, generated from the code that answers.

Inbound events come from the socket handler registry (each with its load schema), outbound
events from `events.OUTBOUND` (each with its dump schema), each event's error codes from a walk
of its handler and checks (`sockets/declared.py`), its rate limit from the one it is registered
with (`@on(..., limit=)`), with the numbers this app is configured with: so the document cannot drift. What a
client must do (sync after entering or moving, when a reply point is allowed) is said in the
descriptions, naming the events, codes and orders the code itself uses.
"""
from __future__ import annotations

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.openapi import OpenAPIConverter
from flask import current_app

from . import audience, limits
from .actions.floor import FLOOR_STATES, KIND_RANK
from .events import OUTBOUND, participant_stream
from .schemas.common import ErrorAck
from .sockets.declared import GENERIC, error_codes, reach_of, specific_codes
from .sockets.registry import INBOUND
from .sockets.transport import limits_of


def _converter() -> OpenAPIConverter:
    plugin = MarshmallowPlugin()
    spec = APISpec("facilitator-events", "1", "3.0.3", plugins=[plugin])
    return plugin.converter, spec


def _json_schema(conv, schema_cls) -> dict:
    return conv.schema2jsonschema(schema_cls())


def document() -> dict:
    conv, apispec = _converter()
    error_ack = _json_schema(conv, ErrorAck)
    channels: dict = {}
    operations: dict = {}
    messages: dict = {}

    for name, h in sorted(INBOUND.items()):
        msg_id = "in_" + name.replace(".", "_")
        payload = _json_schema(conv, h.schema)
        reply = {"type": "object", "properties": {"ok": {"type": "boolean", "enum": [True]}}}
        if h.reply is not None:
            reply = _json_schema(conv, h.reply)
        rate_limits = _rate_limits(name)
        messages[msg_id] = {
            "name": name,
            "title": name,
            "summary": h.summary,
            "description": _description(name, rate_limits),
            "payload": payload,
            "x-roles": list(h.roles),
            # every code the ack can carry: this event's own, and the generic ones (x-generic-error-codes)
            "x-error-codes": error_codes(name),
            "x-rate-limit": rate_limits,
        }
        messages[msg_id + "_ack"] = {
            "name": name + " ack",
            "payload": {"oneOf": [reply, error_ack]},
        }
        channels[msg_id] = {
            "address": name,
            "messages": {msg_id: {"$ref": f"#/components/messages/{msg_id}"},
                         msg_id + "_ack": {"$ref": f"#/components/messages/{msg_id}_ack"}},
        }
        operations[msg_id] = {
            "action": "receive",
            "channel": {"$ref": f"#/channels/{msg_id}"},
            "summary": h.summary,
            "description": messages[msg_id]["description"],
            "reply": {"channel": {"$ref": f"#/channels/{msg_id}"},
                      "messages": [{"$ref": f"#/channels/{msg_id}/messages/{msg_id}_ack"}]},
        }

    out_msgs = {}
    for (type_, op, stream), spec in sorted(OUTBOUND.items()):
        msg_id = f"out_{type_}_{op}_{stream}"
        messages[msg_id] = {
            "name": f"{type_}.{op}",
            "summary": spec.summary,
            "x-stream": stream,
            "payload": {
                "type": "object",
                "required": ["type", "op", "stream", "seq", "data"],
                "properties": {
                    "type": {"const": type_},
                    "op": {"const": op},
                    "stream": {"type": "string", "description": _STREAMS[stream]},
                    "seq": {"type": ["integer", "null"],
                            "description": "One more than the last on this stream; null on gate notices."},
                    "data": _json_schema(conv, spec.schema),
                },
            },
        }
        out_msgs[msg_id] = {"$ref": f"#/components/messages/{msg_id}"}
    channels["event"] = {"address": "event", "messages": out_msgs,
                         "description": "Every server-to-client event, on the Socket.IO event name `event`."}
    operations["event"] = {"action": "send", "channel": {"$ref": "#/channels/event"},
                           "summary": "State changes, after they are committed."}

    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Facilitator live events",
            "version": "1",
            "description": _document_description(),
        },
        "x-generic-error-codes": dict(GENERIC),
        "x-connection-rate-limit": _connection_limit(),
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        # Nested schemas are referenced as #/components/schemas/<Name>; the converter registered them.
        "components": {"messages": messages, "schemas": apispec.to_dict().get("components", {}).get("schemas", {})},
    }


_STREAMS = {
    "meeting": "`meeting`: everyone inside the meeting.",
    "facilitators": "`facilitators`: facilitators and co-facilitators only.",
    "participant": "`p<id>`: one participant's own stream.",
    "breakout": "`b<room id>`: the members of one breakout room while its round runs.",
    "gate": "`gate`: people still reading the ground rules; no seq, answer with `sync`.",
}


# ---- what a client must do ---------------------------------------------------------------------

_P, _ROOM = 7, 9  # placeholder ids, to show stream names as patterns


def _stream_names(**standing) -> str:
    """The streams a person in this standing receives, as audience.py decides them."""
    names = audience.streams(audience.Standing("participant", participant_id=_P, **standing))
    shown = {participant_stream(_P): "p<id>", f"b{_ROOM}": "b<room id>"}
    return ", ".join(f"`{shown.get(name, name)}`" for name in names)


def _sync_events() -> list[str]:
    """Server events after which a client must call `sync`: those declared so, and gate notices."""
    return sorted({f"{t}.{op}" + (" (gate)" if stream == "gate" else "") for (t, op, stream), spec in OUTBOUND.items()
                   if stream == "gate" or "`sync`" in spec.summary})


def _document_description() -> str:
    conn = _connection_limit()
    intro = (
        "Socket.IO on the default namespace. Connect with `auth` = `{token}` (participant or observer) or "
        "`{meeting_id}` (signed-in facilitator). Every client event is acknowledged with `{ok: true, ...}` or "
        "`{ok: false, error: {code, message, fields}}`; an unknown event gets `unknown_event`. Server events "
        "arrive as `event` with a per-stream `seq`.")
    steps = (
        "What a client must do:\n"
        "1. After connecting (and after every reconnect), call `sync`: its reply is the full snapshot for "
        "your role, with each stream's last `seq`.\n"
        "2. A participant or observer who has not accepted the ground rules is outside the meeting (the "
        f"snapshot's `gate` is true) and receives only {_stream_names()}. Accept them with `rules.ack`, then "
        "call `sync`: the ack records the acceptance, but it is `sync` that brings this connection into the "
        f"meeting's rooms ({_stream_names(entered=True)}). Without it the connection hears nothing of the "
        "meeting.\n"
        f"3. After {', '.join(f'`{e}`' for e in _sync_events())}: apply it, then call `sync`. It is `sync` "
        "that moves this connection into or out of a breakout room's stream "
        f"(in a room: {_stream_names(entered=True, room_id=_ROOM)}).\n"
        "4. On a gap in a stream's `seq`, or an event on a stream the snapshot did not list, call `sync`.\n"
        "5. When the ground rules change (`rules.changed`), actions answer `rules_not_acknowledged` until you "
        "`rules.ack` the new version.")
    errors = (
        "Errors: `x-generic-error-codes` lists, once, the codes any event may be answered with; each event's "
        "`x-error-codes` lists every code its ack can carry (its own and the generic ones), read from the "
        "server's code.")
    rates = (
        f"Rate limits: each connection may send at most {conn['count']} events in any {conn['seconds']:g} s, "
        f"with at most {conn['in_flight']} awaiting their answer; more are refused with `rate_limited` and "
        f"`fields.retry_after` (seconds), and a connection refused more than {conn['close_after_refusals']} "
        f"times in {conn['seconds']:g} s is closed. Some events also have a limit of their own (`x-rate-limit`, "
        "said in their description).")
    return f"{intro}\n\n{steps}\n\n{errors}\n\n{rates}"


def _hand_raise_guidance() -> str:
    kinds = sorted(KIND_RANK, key=KIND_RANK.get)
    states = " or ".join(f"`{state}`" for state in FLOOR_STATES)
    return (
        f"`kind` is {', '.join(f'`{k}`' for k in kinds)}: the queue puts them in that order (process points, "
        "then direct replies, then new points; within a kind first come first served, or, for new points "
        "when the queue mode is `quiet`, least talk time first). A direct reply (`reply`) is allowed only "
        "while someone has the floor (`floor.updated`'s `speaker` is not null): with nobody speaking it is "
        "refused with `no_speaker` (raise a new point instead), and the speaker cannot raise a hand at all "
        f"(`speaking`). Hands go up while the session is {states} (else `not_live`), once you have accepted "
        "the current ground rules (else `rules_not_acknowledged`)."
    )


_GUIDANCE = {
    "sync": lambda: (
        "Call it after connecting, after a successful `rules.ack`, after "
        f"{', '.join(f'`{e}`' for e in _sync_events())}, and on a gap in `seq`: besides the snapshot, it "
        "puts this connection in exactly the rooms its role and place allow (meeting, breakout room)."),
    "rules.ack": lambda: (
        "On success, call `sync`: it is `sync` that brings this connection into the meeting's rooms; the ack "
        "alone moves nothing, and until then the connection hears nothing of the meeting."),
    "breakout.choose": lambda: (
        "On success `breakout.assigned` arrives on your own stream: apply it, then call `sync` to move this "
        "connection into the room's stream."),
    "hand.raise": _hand_raise_guidance,
}


def _description(name: str, rate_limits: list[dict]) -> str:
    parts = [INBOUND[name].summary]
    if name in _GUIDANCE:
        parts.append(_GUIDANCE[name]())
    for limit in rate_limits:
        together = f", counted together with {', '.join(f'`{n}`' for n in limit['shared_with'])}" \
            if limit["shared_with"] else ""
        parts.append(f"Rate limit: at most {limit['count']} in any {limit['seconds']:g} s {limit['per']}{together}; "
                     f"over it, `rate_limited`{limit['retry']}.")
    own = specific_codes(name)
    parts.append(("Errors of this event: " + ", ".join(f"`{c}`" for c in own) if own else "No errors of its own")
                 + " (and the generic ones, `x-generic-error-codes`).")
    return " ".join(parts)


# ---- rate limits, from the limit each event is registered with -------------------------------

_RETRY = " with `fields.retry_after` (seconds)"


def _limit(count: int, seconds: float, per: str, shared_with: list[str], retry: str, where: str) -> dict:
    return {"count": count, "seconds": seconds, "per": per, "shared_with": shared_with, "retry": retry,
            "counted": where}


_PER = {"chat": "per person in the session: each participant, and each facilitator or co-facilitator account "
               "(facilitators' messages, back-channel included, count too)"}


def _rate_limits(name: str) -> list[dict]:
    """The event's own rate limit: the one it is registered with, with this app's numbers. A refused
    action gives its count back."""
    app = current_app._get_current_object()
    found = reach_of(name)
    out = []
    for limiter_name in sorted(found.limiters):
        count, seconds = limits.numbers(limiter_name, app)
        shared = sorted(n for n in INBOUND if n != name and limiter_name in reach_of(n).limiters)
        out.append(_limit(count, seconds, _PER.get(limiter_name, "per person in the session (all their connections "
                                                                 "together)"), shared, _RETRY,
                          "in the memory of the worker holding the connection"))
    return out


def _connection_limit() -> dict:
    numbers = limits_of(current_app)
    count, seconds = numbers["events"]
    return {"count": count, "seconds": seconds, "in_flight": numbers["in_flight"],
            "close_after_refusals": numbers["refusals"], "per": "per connection, every event counted"}
