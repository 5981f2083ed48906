"""The REST API: bearer tokens, meetings, state, rules, participants; bad bodies change nothing."""
from __future__ import annotations

from facilitator.extensions import db
from facilitator.models import Meeting, Participant
from facilitator.rule_templates import default_rules
from tests.unit.support import dump_db

RULES = [{"title": "Cameras", "text": "On if you can."}, {"title": "Pass", "text": "You may pass."}]


BAD_AUTH = [
    {}, {"Authorization": "Bearer"}, {"Authorization": "Bearer fct_wrong"}, {"Authorization": "Basic Zm9vOmJhcg=="},
    {"Authorization": "Bearer " + "x" * 5000}, {"Authorization": "Token fct_wrong"},
]


def test_401_without_a_valid_token(app, client, api):
    before = dump_db(app)
    for headers in BAD_AUTH:
        for method, path in [("get", "/api/v1/meetings"), ("post", "/api/v1/meetings"),
                             ("get", "/api/v1/meetings/1"), ("put", "/api/v1/meetings/1/rules")]:
            r = getattr(client, method)(path, headers=headers, json={"title": "x"} if method != "get" else None)
            assert r.status_code == 401, (method, path, headers)
            assert r.is_json and r.get_json()["code"] == 401 and "message" in r.get_json()
    assert dump_db(app) == before


def test_the_token_of_a_real_user_in_another_scheme_is_refused(client, api):
    r = client.get("/api/v1/meetings", headers={"Authorization": f"Token {api.token}"})
    assert r.status_code == 401


def test_create_list_get_patch(app, client, api):
    r = client.post("/api/v1/meetings", headers=api.headers, json={
        "title": "MDT Tuesday", "kind": "mdt", "group_tags": ["Nursing", "OT"], "retention_days": 14,
        "scheduled_at": "2030-05-01T09:30:00+01:00", "rules": RULES})
    assert r.status_code == 201, r.get_json()
    m = r.get_json()
    assert (m["title"], m["kind"], m["state"], m["group_tags"], m["retention_days"]) == (
        "MDT Tuesday", "mdt", "draft", ["Nursing", "OT"], 14)
    assert m["scheduled_at"].startswith("2030-05-01T08:30:00"), "stored as UTC"
    assert len(m["join_code"]) == 8 and m["links"]["join"].endswith("/j/" + m["join_code"])
    mid = m["id"]

    r = client.post("/api/v1/meetings", headers=api.headers, json={"title": "Default rules"})
    assert r.status_code == 201
    default_id = r.get_json()["id"]
    r = client.get(f"/api/v1/meetings/{default_id}/rules", headers=api.headers)
    assert r.get_json()["items"] == [{"title": x["title"], "text": x["text"]} for x in default_rules()]

    r = client.get("/api/v1/meetings", headers=api.headers)
    assert [x["id"] for x in r.get_json()] == [mid, default_id]

    assert client.get(f"/api/v1/meetings/{mid}", headers=api.headers).get_json()["title"] == "MDT Tuesday"

    r = client.patch(f"/api/v1/meetings/{mid}", headers=api.headers, json={"title": "MDT Wednesday"})
    assert r.status_code == 200
    got = r.get_json()
    assert got["title"] == "MDT Wednesday"
    assert (got["kind"], got["group_tags"], got["retention_days"]) == ("mdt", ["Nursing", "OT"], 14), \
        "a PATCH changes only what it names"
    assert got["scheduled_at"].startswith("2030-05-01T08:30:00")
    r = client.patch(f"/api/v1/meetings/{mid}", headers=api.headers, json={"kind": "training"})
    assert r.status_code == 200 and r.get_json()["kind"] == "training" and r.get_json()["title"] == "MDT Wednesday"


def test_state_changes(app, client, api):
    mid = client.post("/api/v1/meetings", headers=api.headers, json={"title": "S"}).get_json()["id"]
    for state in ("open", "live", "paused", "live", "ended"):
        r = client.post(f"/api/v1/meetings/{mid}/state", headers=api.headers, json={"state": state})
        assert r.status_code == 200 and r.get_json()["state"] == state
    before = dump_db(app)
    r = client.post(f"/api/v1/meetings/{mid}/state", headers=api.headers, json={"state": "live"})
    assert r.status_code == 409
    assert r.get_json()["errors"]["code"] == "bad_transition"
    r = client.patch(f"/api/v1/meetings/{mid}", headers=api.headers, json={"title": "After the end"})
    assert r.status_code == 409
    assert dump_db(app) == before


def test_rules_get_and_put(app, client, api):
    mid = client.post("/api/v1/meetings", headers=api.headers, json={"title": "R", "rules": RULES}).get_json()["id"]
    r = client.get(f"/api/v1/meetings/{mid}/rules", headers=api.headers)
    assert r.status_code == 200 and r.get_json()["version"] == 1 and r.get_json()["items"] == RULES
    new = RULES + [{"title": "Chat", "text": "Short and kind."}]
    r = client.put(f"/api/v1/meetings/{mid}/rules", headers=api.headers, json={"items": new})
    assert r.status_code == 200 and r.get_json()["version"] == 2 and r.get_json()["items"] == new
    before = _content(app)
    r = client.put(f"/api/v1/meetings/{mid}/rules", headers=api.headers, json={"items": new})
    assert r.status_code == 200 and r.get_json()["version"] == 2, "same content, same version"
    assert _content(app) == before


def _content(app):
    """Every table but the API token's own bookkeeping (last_used_at is updated when a request commits)
    and the audit trail (which records each facilitator request, including one that changed nothing)."""
    return {k: v for k, v in dump_db(app).items() if k not in ("api_tokens", "audit_entries")}


def test_participants_list(app, client, api, factory):
    mid = client.post("/api/v1/meetings", headers=api.headers, json={"title": "P"}).get_json()["id"]
    client.post(f"/api/v1/meetings/{mid}/state", headers=api.headers, json={"state": "open"})
    _, a = factory.join(mid, name="Ana")
    _, b = factory.join(mid, name="Ben", ack=False)
    _, gone = factory.join(mid, name="Gone")
    with app.app_context():
        from facilitator.access import Actor
        from facilitator.actions.participants import check_remove, do_remove

        actor = Actor("facilitator", mid, user_id=api.uid)
        do_remove(actor, check_remove(actor, gone))
        db.session.commit()
    r = client.get(f"/api/v1/meetings/{mid}/participants", headers=api.headers)
    assert r.status_code == 200
    people = r.get_json()
    assert [(p["id"], p["name"], p["rules_version_acked"]) for p in people] == [(a, "Ana", 1), (b, "Ben", None)]
    assert {"mic", "camera", "presence"} <= set(people[0]) and "token_hash" not in people[0]


def test_another_facilitators_meeting_is_404(app, client, api, factory):
    other = factory.user(email="other@example.org")
    mid, _ = factory.meeting(other)
    before = dump_db(app)
    h = api.headers
    assert client.get(f"/api/v1/meetings/{mid}", headers=h).status_code == 404
    assert client.patch(f"/api/v1/meetings/{mid}", headers=h, json={"title": "Mine"}).status_code == 404
    assert client.post(f"/api/v1/meetings/{mid}/state", headers=h, json={"state": "live"}).status_code == 404
    assert client.get(f"/api/v1/meetings/{mid}/rules", headers=h).status_code == 404
    assert client.put(f"/api/v1/meetings/{mid}/rules", headers=h, json={"items": RULES}).status_code == 404
    assert client.get(f"/api/v1/meetings/{mid}/participants", headers=h).status_code == 404
    assert client.get("/api/v1/meetings/99999", headers=h).status_code == 404
    assert mid not in [m["id"] for m in client.get("/api/v1/meetings", headers=h).get_json()]
    assert dump_db(app) == before


INVALID_BODIES = [
    ("post", "/api/v1/meetings", {}),
    ("post", "/api/v1/meetings", {"title": ""}),
    ("post", "/api/v1/meetings", {"title": "x" * 121}),
    ("post", "/api/v1/meetings", {"title": 5}),
    ("post", "/api/v1/meetings", {"title": "ok", "kind": "party"}),
    ("post", "/api/v1/meetings", {"title": "ok", "retention_days": 0}),
    ("post", "/api/v1/meetings", {"title": "ok", "retention_days": "30"}),
    ("post", "/api/v1/meetings", {"title": "ok", "scheduled_at": "next tuesday"}),
    ("post", "/api/v1/meetings", {"title": "ok", "group_tags": ["A", "a"]}),
    ("post", "/api/v1/meetings", {"title": "ok", "group_tags": ["t"] * 13}),
    ("post", "/api/v1/meetings", {"title": "ok", "rules": [{"title": "t"}]}),
    ("post", "/api/v1/meetings", {"title": "ok", "owner_id": 1}),
    ("post", "/api/v1/meetings", ["title"]),
    ("patch", "/api/v1/meetings/{mid}", {"title": ""}),
    ("patch", "/api/v1/meetings/{mid}", {"state": "live"}),
    ("patch", "/api/v1/meetings/{mid}", {"join_code": "AAAAAAAA"}),
    ("post", "/api/v1/meetings/{mid}/state", {"state": "draft"}),
    ("post", "/api/v1/meetings/{mid}/state", {}),
    ("put", "/api/v1/meetings/{mid}/rules", {"items": [{"title": "t", "text": "x" * 601}]}),
    ("put", "/api/v1/meetings/{mid}/rules", {"items": [{"title": "t", "text": "x"}] * 31}),
    ("put", "/api/v1/meetings/{mid}/rules", {"items": "none"}),
    ("put", "/api/v1/meetings/{mid}/rules", {}),
]


def test_invalid_bodies_are_422_and_change_nothing(app, client, api):
    mid = client.post("/api/v1/meetings", headers=api.headers, json={"title": "Keep"}).get_json()["id"]
    before = dump_db(app)
    for method, path, body in INVALID_BODIES:
        r = getattr(client, method)(path.format(mid=mid), headers=api.headers, json=body)
        assert r.status_code == 422, (method, path, body, r.get_json())
        assert r.is_json and r.get_json()["errors"], (method, path, body)
    assert dump_db(app) == before


def test_non_json_and_oversized_bodies_change_nothing(app, client, api):
    before = dump_db(app)
    r = client.post("/api/v1/meetings", headers={**api.headers, "Content-Type": "application/json"},
                    data="{not json")
    assert r.status_code in (400, 422)
    r = client.post("/api/v1/meetings", headers=api.headers, json={"title": "x", "pad": "y" * 300_000})
    assert r.status_code == 413
    assert dump_db(app) == before


def test_archived_meetings_are_listed_separately(app, client, api):
    keep = client.post("/api/v1/meetings", headers=api.headers, json={"title": "Keep"}).get_json()["id"]
    old = client.post("/api/v1/meetings", headers=api.headers, json={"title": "Old"}).get_json()["id"]
    with app.app_context():
        from facilitator.models import utcnow

        db.session.get(Meeting, old).archived_at = utcnow()
        db.session.commit()
    assert [m["id"] for m in client.get("/api/v1/meetings", headers=api.headers).get_json()] == [keep]
    got = client.get("/api/v1/meetings?archived=true", headers=api.headers).get_json()
    assert [m["id"] for m in got] == [old]


def test_rule_templates_are_public(client):
    r = client.get("/api/v1/rule-templates")
    assert r.status_code == 200 and {"key", "title", "text"} <= set(r.get_json()[0])


def test_api_changes_reach_sockets(app, client, api, factory, sockets):
    """The API goes through the same actions: a rule change over REST reaches the people inside."""
    from tests.conftest import events

    mid = client.post("/api/v1/meetings", headers=api.headers, json={"title": "Live"}).get_json()["id"]
    client.post(f"/api/v1/meetings/{mid}/state", headers=api.headers, json={"state": "live"})
    token, pid = factory.join(mid)
    p = sockets(auth={"token": token})
    p.get_received()
    client.put(f"/api/v1/meetings/{mid}/rules", headers=api.headers, json={"items": RULES})
    got = [(e["type"], e["data"]["version"]) for e in events(p) if e["type"] == "rules"]
    assert got == [("rules", 2)]
    with app.app_context():
        assert db.session.get(Participant, pid).rules_version_acked == 1



def test_ending_through_the_api_closes_open_polls(app, client, api):
    """The REST end goes through the same set_state as the console's meeting.state: an open poll is
    closed with it (tests/sockets/test_polls.py checks what every client hears)."""
    from facilitator.actions import polls
    from facilitator.models import Poll
    from facilitator.schemas.polls import PollIn

    mid = client.post("/api/v1/meetings", headers=api.headers, json={"title": "Polled"}).get_json()["id"]
    client.post(f"/api/v1/meetings/{mid}/state", headers=api.headers, json={"state": "live"})
    with app.app_context():
        m = db.session.get(Meeting, mid)
        definition = PollIn().load({"kind": "single", "question": "Go on?", "options": ["Yes", "No"]})
        poll_id = polls.do_create(m, definition, launch=True).id
        db.session.commit()
    r = client.post(f"/api/v1/meetings/{mid}/state", headers=api.headers, json={"state": "ended"})
    assert r.status_code == 200 and r.get_json()["state"] == "ended"
    with app.app_context():
        poll = db.session.get(Poll, poll_id)
        assert poll.state == "closed" and poll.closed_at is not None
