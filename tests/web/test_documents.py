"""The OpenAPI and AsyncAPI documents cover every route and every socket event, from the live schemas."""
from __future__ import annotations

import re

import pytest
from sqlalchemy.pool import QueuePool

from facilitator import create_app
from facilitator.events import OUTBOUND
from facilitator.extensions import db, socketio
from facilitator.sockets.registry import INBOUND
from tests.unit.fastdb import TEST_CONFIG, close
from tests.unit.support import stream_kind
from tests.web.conftest import make_app

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


def _resolve(doc: dict, node: dict) -> dict:
    """`node`, following `$ref`s within `doc`."""
    while "$ref" in node:
        target = doc
        for key in node["$ref"].removeprefix("#/").split("/"):
            target = target[key]
        node = target
    return node


def test_openapi_documents_the_outage_answer_of_every_route_that_reads_the_database(client):
    """Every operation behind a bearer token looks the token up in the database, so a database
    outage answers it with 503 `unavailable` or `busy`; the public templates never touch it."""
    doc = client.get("/api/openapi.json").get_json()
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            if method == "parameters":
                continue
            if op.get("security"):
                assert op["responses"].get("503") == {"$ref": "#/components/responses/OUTAGE"}, (path, method)
            else:
                assert "503" not in op["responses"], (path, method)
    body = _resolve(doc, doc["components"]["responses"]["OUTAGE"]["content"]["application/json"]["schema"])
    error = _resolve(doc, body["properties"]["error"])
    assert set(error["properties"]["code"]["enum"]) == {"unavailable", "busy"}


def _busy_app(tmp_path):
    """Its only pooled connection is taken (returned with the app), and a request waits 50 ms for one."""
    app = make_app(tmp_path, SQLALCHEMY_ENGINE_OPTIONS={"poolclass": QueuePool, "pool_size": 1, "max_overflow": 0,
                                                        "pool_timeout": 0.05})
    with app.app_context():
        held = db.engine.connect()
    return app, held


def _unreachable_app(tmp_path):
    # Port 9 (discard) on loopback has no PostgreSQL: the connection is refused at once.
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg2://postgres@127.0.0.1:9/none",
                      "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 2}}})
    return app, None


@pytest.mark.parametrize(("make", "code"), [(_unreachable_app, "unavailable"), (_busy_app, "busy")])
def test_a_real_outage_answer_is_the_documented_503(client, tmp_path, make, code):
    """Real engines, real failures: the answer has the status and body the document gives."""
    doc = client.get("/api/openapi.json").get_json()
    documented = doc["paths"]["/api/v1/meetings"]["get"]["responses"]["503"]
    schema = _resolve(doc, _resolve(doc, documented)["content"]["application/json"]["schema"])
    outage_app, held = make(tmp_path)
    try:
        r = outage_app.test_client().get("/api/v1/meetings", headers={"Authorization": "Bearer fct_" + "x" * 40})
    finally:
        if held is not None:
            held.close()
        close(outage_app)
    assert r.status_code == 503 and r.mimetype == "application/json"
    body = r.get_json()
    for value, node in ((body, schema), (body["error"], _resolve(doc, schema["properties"]["error"]))):
        assert set(node["required"]) <= set(value) <= set(node["properties"]), value
    assert body["ok"] is False and body["error"]["code"] == code
    assert "Nothing was changed" in body["error"]["message"]


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
