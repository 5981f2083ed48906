"""The AsyncAPI 3 document of the Socket.IO protocol, generated from the schemas that validate.

Inbound events come from the socket handler registry (each with its load schema), outbound
events from `events.OUTBOUND` (each with its dump schema), so the document cannot drift.
"""
from __future__ import annotations

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.openapi import OpenAPIConverter

from .events import OUTBOUND
from .schemas.common import ErrorAck
from .sockets.registry import INBOUND


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
        messages[msg_id] = {
            "name": name,
            "title": name,
            "summary": h.summary,
            "payload": payload,
            "x-roles": list(h.roles),
            "x-error-codes": sorted(set(h.errors) | {"invalid", "unauthenticated", "unavailable", "busy", "internal"}),
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
            "description": (
                "Socket.IO on the default namespace. Connect with `auth` = `{token}` (participant) or "
                "`{meeting_id}` (signed-in facilitator). Every client event is acknowledged with "
                "`{ok: true, ...}` or `{ok: false, error: {code, message, fields}}`; an unknown event "
                "gets `unknown_event`. Server events arrive as `event` with a per-stream `seq`: on a gap, "
                "or after reconnecting, call `sync` for the full snapshot."
            ),
        },
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
