"""The OpenAPI and AsyncAPI documents cover every route and every socket event, from the live schemas."""
from __future__ import annotations

import re

from facilitator.events import OUTBOUND
from facilitator.extensions import socketio
from facilitator.sockets.registry import INBOUND
from tests.unit.support import stream_kind

BUILTIN_SOCKET_EVENTS = {"connect", "disconnect", "*"}


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def test_openapi_lists_every_api_route_and_method(app, client):
    doc = client.get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    routes = {}
    for rule in app.url_map.iter_rules():  # the api blueprint, and any other REST blueprint under /api/v1
        if rule.endpoint.startswith("api.") or rule.rule.startswith("/api/v1/"):
            routes[_openapi_path(rule.rule)] = {m.lower() for m in rule.methods} - {"head", "options"}
    assert any(r.endpoint.startswith("api.") for r in app.url_map.iter_rules()), "the api blueprint has routes"
    assert set(doc["paths"]) == set(routes)
    for path, methods in routes.items():
        assert set(doc["paths"][path]) - {"parameters"} == methods, path
    # every operation says how it is authenticated, except the public templates
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            if method == "parameters" or path.endswith("/rule-templates"):
                continue
            assert op.get("security") == [{"bearerAuth": []}], (path, method)
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_openapi_patch_body_has_no_required_fields(client):
    doc = client.get("/api/openapi.json").get_json()
    patch = doc["paths"]["/api/v1/meetings/{meeting_id}"]["patch"]
    ref = patch["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "required" not in doc["components"]["schemas"][ref], "a PATCH names only what it changes"
    create_ref = doc["paths"]["/api/v1/meetings"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert doc["components"]["schemas"][create_ref["$ref"].rsplit("/", 1)[1]]["required"] == ["title"]


def test_every_socket_handler_on_the_server_is_registered_with_a_schema():
    """Fails if anyone binds a handler straight onto the Socket.IO server, bypassing the registry."""
    on_server = set(socketio.server.handlers["/"]) - BUILTIN_SOCKET_EVENTS
    assert on_server == set(INBOUND)
    for name, h in INBOUND.items():
        assert h.schema is not None and h.summary and h.roles, name


def test_asyncapi_documents_every_inbound_event(client):
    doc = client.get("/api/asyncapi.json").get_json()
    assert doc["asyncapi"].startswith("3.")
    messages = doc["components"]["messages"]
    addresses = {ch["address"] for ch in doc["channels"].values()}
    on_server = set(socketio.server.handlers["/"]) - BUILTIN_SOCKET_EVENTS
    assert on_server <= addresses, f"undocumented handlers: {sorted(on_server - addresses)}"
    for name, h in INBOUND.items():
        msg = [m for m in messages.values() if m.get("name") == name and "payload" in m and "x-roles" in m]
        assert len(msg) == 1, name
        payload = msg[0]["payload"]
        fields = h.schema().load_fields
        assert set(payload.get("properties", {})) == {f.data_key or k for k, f in fields.items()}, name
        required = {f.data_key or k for k, f in fields.items() if f.required}
        assert set(payload.get("required", [])) == required, name
        assert payload.get("additionalProperties") is False, f"{name}: unknown fields are refused, say so"
        assert set(msg[0]["x-roles"]) == set(h.roles)
        assert {"invalid", "internal", "unauthenticated"} <= set(msg[0]["x-error-codes"])
        ack = [m for m in messages.values() if m.get("name") == name + " ack"]
        assert len(ack) == 1 and "oneOf" in ack[0]["payload"], name
        op = [o for o in doc["operations"].values() if o["action"] == "receive"
              and doc["channels"][o["channel"]["$ref"].rsplit("/", 1)[1]]["address"] == name]
        assert len(op) == 1 and "reply" in op[0], name


def test_asyncapi_documents_every_outbound_event(client):
    doc = client.get("/api/asyncapi.json").get_json()
    out = [m for m in doc["components"]["messages"].values() if "x-stream" in m]
    documented = {(m["name"], m["x-stream"]) for m in out}
    declared = set()
    for spec in OUTBOUND.values():
        for stream in spec.streams:
            declared.add((f"{spec.type}.{spec.op}", stream))
    assert documented == declared
    for m in out:
        props = m["payload"]["properties"]
        assert set(m["payload"]["required"]) == {"type", "op", "stream", "seq", "data"}
        type_, op = m["name"].split(".", 1)
        assert props["type"]["const"] == type_ and props["op"]["const"] == op
        spec = next(s for s in OUTBOUND.values() if (s.type, s.op) == (type_, op) and m["x-stream"] in s.streams)
        dumped = {f.data_key or k for k, f in spec.schema().dump_fields.items()}
        assert set(props["data"].get("properties", {})) == dumped, m["name"]
    # every documented outbound message is reachable from the `event` channel
    assert set(doc["channels"]["event"]["messages"]) == {
        k for k, m in doc["components"]["messages"].items() if "x-stream" in m}


def test_outbound_streams_are_known_kinds():
    for spec in OUTBOUND.values():
        for stream in spec.streams:
            assert stream_kind(stream) in {"meeting", "facilitators", "participant", "breakout", "gate"}


def test_facilitator_only_events_are_declared_only_for_the_facilitators_stream():
    for spec in OUTBOUND.values():
        if spec.type == "people" or (spec.type, spec.op) == ("meeting", "private"):
            assert set(spec.streams) == {"facilitators"}, spec


def test_docs_page_links_both_documents(client):
    r = client.get("/docs")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "/api/openapi.json" in html and "/api/asyncapi.json" in html
